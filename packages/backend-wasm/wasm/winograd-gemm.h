// What the two Winograd convolutions share (winograd.c: F(2x2, 3x3), winograd-f4.c: F(4x4, 3x3)):
// the per-k GEMM of the transformed input against the transformed filter, and the tile order.
#ifndef ROBUSTFAIR_WINOGRAD_GEMM_H
#define ROBUSTFAIR_WINOGRAD_GEMM_H
#include "winograd-common.h"

// Output channels in blocks of 8 (the transformed filter is zero padded to whole blocks).
INLINE int32_t blocks_of(int32_t out_ch) { return (out_ch + 7) / 8; }

// Tiles per chunk: about CHUNK_BUDGET floats of V and M (planes * tiles * (in_ch + padded out_ch);
// planes = 16 for F(2x2, 3x3), 36 for F(4x4, 3x3)), so the chunk stays in L2, but at least
// MIN_CHUNK tiles: all of U (planes * in_ch * out_ch floats, 16 MiB at 512 -> 512 for F(2x2, 3x3))
// is streamed once per chunk, and each (k, block) slice of it, held in L1, must serve enough tiles
// to hide that. Measured on this 2-core AMD EPYC / V8: F(2x2, 3x3) is flat for budgets 32K..256K
// floats; F(4x4, 3x3) within the spread for MIN_CHUNK 16..64.
#define CHUNK_BUDGET (64 * 1024)
#define MIN_CHUNK 64
#define MAX_CHUNK 512

INLINE int32_t chunk_tiles(int32_t planes, int32_t in_ch, int32_t out_ch) {
  int32_t tiles = CHUNK_BUDGET / (planes * (in_ch + 8 * blocks_of(out_ch)));
  if (tiles < MIN_CHUNK) tiles = MIN_CHUNK;
  if (tiles > MAX_CHUNK) tiles = MAX_CHUNK;
  return tiles & ~3;
}

// The loops of both filter packings: TRANSFORM(LOAD) runs for every input channel ci and group of 4
// output channels co.. of w_all [3][3][in_ch][out_ch], with w at w_all[0][0][ci][co], u at
// U[0][block][ci][co % 8] of `packed` (U[k][block][ci][8], planes k_stride floats apart), tap the
// floats between filter taps, and LOAD wasm_v128_load, or a lane-wise load with zeros past out_ch
// for the last (< 4) channels.
#define FOR_EACH_FILTER_VECTOR(TRANSFORM)                                        \
  const int32_t blocks = blocks_of(out_ch), k_stride = blocks * in_ch * 8, tap = in_ch * out_ch; \
  for (int32_t block = 0; block < blocks; block++) {                            \
    for (int32_t ci = 0; ci < in_ch; ci++) {                                    \
      for (int32_t half_block = 0; half_block < 8; half_block += 4) {           \
        const int32_t co = block * 8 + half_block, valid = out_ch - co;         \
        const float *w = w_all + ci * out_ch + co;                              \
        float *u = packed + (block * in_ch + ci) * 8 + half_block;              \
        if (valid >= 4) TRANSFORM(wasm_v128_load)                               \
        else TRANSFORM(LOAD_TAIL)                                               \
      }                                                                         \
    }                                                                           \
  }
#define LOAD_TAIL(p) load_lanes(p, valid)

// 4 (R = 4) or 1 (R = 1) consecutive tiles x channels co..co+8 (NO = 2) or co..co+4 (NO = 1) of
// M[k]: v is the first tile's row of V[k] (rows in_ch apart), u the (k, block) slice of U, m the
// first tile's row of M[k] (rows m_ch apart). Same shape as conv2d.c's tile(): per ci 4 splats +
// 2 vector loads feed 8 multiply-adds. 5 or 6 tiles (10 or 12 accumulators), or unrolling ci by 2,
// ran 1.5x slower on V8 (register spills).
INLINE void gemm_tile(const float *v, const float *u, float *m, int32_t in_ch, int32_t m_ch, int32_t R, int32_t NO) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
  for (int32_t ci = 0; ci < in_ch; ci++, u += 8) {
    const v128_t w0 = wasm_v128_load(u);
    const v128_t w1 = NO > 1 ? wasm_v128_load(u + 4) : w0;
    v128_t s;
#define ROW(r)                                                   \
  if (R > r) {                                                   \
    s = wasm_v128_load32_splat(v + r * in_ch + ci);              \
    c##r##0 = madd(s, w0, c##r##0);                          \
    if (NO > 1) c##r##1 = madd(s, w1, c##r##1);              \
  }
    ROW(0) ROW(1) ROW(2) ROW(3)
#undef ROW
  }
  // M's rows are padded to whole blocks of 8, so full vectors can always be stored; lanes past
  // out_ch are never read.
#define ROW(r)                                              \
  if (R > r) {                                              \
    wasm_v128_store(m + r * m_ch, c##r##0);                 \
    if (NO > 1) wasm_v128_store(m + r * m_ch + 4, c##r##1); \
  }
  ROW(0) ROW(1) ROW(2) ROW(3)
#undef ROW
}

INLINE void gemm_tiles(const float *v, const float *u, float *m, int32_t tiles, int32_t in_ch, int32_t m_ch, int32_t NO) {
  int32_t t = 0;
  for (; t + 4 <= tiles; t += 4) gemm_tile(v + t * in_ch, u, m + t * m_ch, in_ch, m_ch, 4, NO);
  for (; t < tiles; t++) gemm_tile(v + t * in_ch, u, m + t * m_ch, in_ch, m_ch, 1, NO);
}

// M[k] = V[k] U[k] for the planes k = 0..planes-1 of one chunk of `count` tiles, every block of 8
// output channels. One (k, block) slice of U (in_ch x 8) stays in L1 while every tile passes.
INLINE void gemm_planes(const float *v, int32_t v_stride, const float *packed, float *m, int32_t m_stride, int32_t planes, int32_t count,
                        int32_t in_ch, int32_t out_ch) {
  const int32_t blocks = blocks_of(out_ch), m_ch = 8 * blocks;
  for (int32_t k = 0; k < planes; k++) {
    const float *vk = v + k * v_stride;
    float *mk = m + k * m_stride;
    for (int32_t block = 0; block < blocks; block++) {
      const float *u = packed + (k * blocks + block) * in_ch * 8;
      if (out_ch - block * 8 > 4) gemm_tiles(vk, u, mk + block * 8, count, in_ch, m_ch, 2);
      else gemm_tiles(vk, u, mk + block * 8, count, in_ch, m_ch, 1);
    }
  }
}

// Tile index g of the call (counted over images n_begin.. in row-major tile order) -> image and
// tile position.
INLINE tile_position locate(int32_t g, int32_t n_begin, int32_t tiles_w, int32_t per_image) {
  const int32_t t = g % per_image;
  const tile_position p = {n_begin + g / per_image, t / tiles_w, t % tiles_w};
  return p;
}

#endif
