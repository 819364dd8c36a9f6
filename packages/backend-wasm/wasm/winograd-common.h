// What the two Winograd kernels share (winograd.c: forward, winograd-filter-grad.c: weight gradient).
#ifndef ROBUSTFAIR_WINOGRAD_COMMON_H
#define ROBUSTFAIR_WINOGRAD_COMMON_H
#include "simd.h"

#define ADD wasm_f32x4_add
#define SUB wasm_f32x4_sub
#define MUL wasm_f32x4_mul

// Floats between the planes k and k + 1 of a transformed chunk holding `floats` floats each: the
// transforms touch all 16 planes at once, and 16 streams a multiple of 4 KiB apart would all fall
// in one L1 set (and 4K-alias loads against stores: the forward input transform ran 2.5x slower).
// An odd number of cache lines puts the 16 at distinct lines modulo 4 KiB.
INLINE int32_t plane_stride(int32_t floats) { return 16 * (((floats + 15) / 16) | 1); }

// A tile's position (image, tile row, tile column); tiles go in that row-major order.
typedef struct {
  int32_t n, ti, tj;
} tile_position;

// The next tile in that order.
INLINE void advance(tile_position *p, int32_t tiles_h, int32_t tiles_w) {
  if (++p->tj < tiles_w) return;
  p->tj = 0;
  if (++p->ti < tiles_h) return;
  p->ti = 0;
  p->n++;
}

#endif
