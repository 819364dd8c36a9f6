// Helpers shared by our WebAssembly kernels (every wasm/*.c includes this; build-wasm.mjs hashes it
// with the sources).
#ifndef ROBUSTFAIR_SIMD_H
#define ROBUSTFAIR_SIMD_H
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define INLINE static inline __attribute__((always_inline))

typedef float robustfair_f32x4 __attribute__((__vector_size__(16), __aligned__(16)));

// a * b + c, lane by lane: the inner-product step of every convolution kernel. The relaxed-SIMD
// variant of the module (-mrelaxed-simd) emits f32x4.relaxed_madd, which the engine lowers to one
// fused multiply-add where the CPU has one (x86 FMA3, ARM NEON); the plain variant multiplies and
// adds. Either way each output keeps one fixed order of operations, so results stay bit-identical
// across thread counts on one machine (the two variants differ from each other by rounding only).
INLINE v128_t madd(v128_t a, v128_t b, v128_t c) {
#ifdef __wasm_relaxed_simd__
  return (v128_t)__builtin_wasm_relaxed_madd_f32x4((robustfair_f32x4)a, (robustfair_f32x4)b, (robustfair_f32x4)c);
#else
  return wasm_f32x4_add(c, wasm_f32x4_mul(a, b));
#endif
}

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

// Loads the first `count` (0..4) floats at p, zeros in the other lanes.
INLINE v128_t load_lanes(const float *p, int32_t count) {
  if (count >= 4) return wasm_v128_load(p);
  v128_t v = wasm_f32x4_splat(0.0f);
  if (count > 0) v = wasm_v128_load32_lane(p, v, 0);
  if (count > 1) v = wasm_v128_load32_lane(p + 1, v, 1);
  if (count > 2) v = wasm_v128_load32_lane(p + 2, v, 2);
  return v;
}

#endif
