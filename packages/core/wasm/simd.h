// Helpers shared by our WebAssembly kernels (every wasm/*.c includes this; build-wasm.mjs hashes it
// with the sources).
#ifndef ROBUSTFAIR_SIMD_H
#define ROBUSTFAIR_SIMD_H
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define INLINE static inline __attribute__((always_inline))

// Stores the first `count` (0..4) lanes of v at p (lane indices must be constants, hence the switch).
INLINE void store_lanes(float *p, v128_t v, int32_t count) {
  switch (count) {
    case 4: wasm_v128_store(p, v); break;
    case 3: wasm_v128_store64_lane(p, v, 0); wasm_v128_store32_lane(p + 2, v, 2); break;
    case 2: wasm_v128_store64_lane(p, v, 0); break;
    case 1: wasm_v128_store32_lane(p, v, 0); break;
    default: break;
  }
}

#endif
