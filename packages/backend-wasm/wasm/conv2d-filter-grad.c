// Conv2DBackpropFilter read straight from NHWC x and dy on TF.js's heap: no packing, no layout
// changes. It is a GEMM whose reduction runs over every output position (n, i, j):
//   dw[a, b, ci, co] = sum x[n, i*stride_h + a - top, j*stride_w + b - left, ci] * dy[n, i, j, co]
// Register tile: up to 4 input channels (splat) x 8 output channels (two vectors), accumulators held
// across a chunk of images small enough to stay in L2; padding is handled by clipping the i and j
// ranges per filter tap, so the inner loop has no branch. out_ch must be a multiple of 4.
// No data segments, no shadow stack: writes only dw (checked by own-kernels.test.ts).
#include "simd.h"

typedef struct {
  const float *x;
  const float *dy;
  int32_t height, width, in_ch, out_height, out_width, out_ch, stride_h, stride_w;
} problem;

// First index k in [0, count) with k*stride + offset >= 0, and one past the last with < limit.
INLINE int32_t first_inside(int32_t offset, int32_t stride, int32_t count) {
  int32_t k = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  return k < count ? k : count;
}
INLINE int32_t end_inside(int32_t offset, int32_t stride, int32_t limit, int32_t count) {
  if (offset >= limit) return 0;
  int32_t k = (limit - 1 - offset) / stride + 1;
  return k < count ? k : count;
}

// One tile dw[a, b, ci..ci+CB, co..co+4*NO] over images [n0, n1), rows [i0, i1), columns [j0, j1).
// CB and NO are constants at every call site, so the branches on them fold away.
INLINE void tile(const problem *p, float *dw_tile, int32_t CB, int32_t NO, int32_t fresh, int32_t n0, int32_t n1, int32_t i0, int32_t i1,
                 int32_t j0, int32_t j1, int32_t row_offset, int32_t col_offset, int32_t ci, int32_t co) {
  const int32_t oc = p->out_ch;
  // The first chunk of images starts from zero; later chunks continue the sums stored in dw.
  const v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t a00 = zero, a01 = zero, a10 = zero, a11 = zero, a20 = zero, a21 = zero, a30 = zero, a31 = zero;
  if (!fresh) {
    a00 = wasm_v128_load(dw_tile);
    if (NO > 1) a01 = wasm_v128_load(dw_tile + 4);
    if (CB > 1) { a10 = wasm_v128_load(dw_tile + oc); if (NO > 1) a11 = wasm_v128_load(dw_tile + oc + 4); }
    if (CB > 2) { a20 = wasm_v128_load(dw_tile + 2 * oc); if (NO > 1) a21 = wasm_v128_load(dw_tile + 2 * oc + 4); }
    if (CB > 3) { a30 = wasm_v128_load(dw_tile + 3 * oc); if (NO > 1) a31 = wasm_v128_load(dw_tile + 3 * oc + 4); }
  }
  const int32_t x_step = p->stride_w * p->in_ch;
  for (int32_t n = n0; n < n1; n++) {
    for (int32_t i = i0; i < i1; i++) {
      const float *xp = p->x + ((n * p->height + i * p->stride_h + row_offset) * p->width + j0 * p->stride_w + col_offset) * p->in_ch + ci;
      const float *dp = p->dy + ((n * p->out_height + i) * p->out_width + j0) * oc + co;
      for (int32_t j = j0; j < j1; j++, xp += x_step, dp += oc) {
        const v128_t d0 = wasm_v128_load(dp);
        const v128_t d1 = NO > 1 ? wasm_v128_load(dp + 4) : d0;
        v128_t s = wasm_v128_load32_splat(xp);
        a00 = madd(s, d0, a00);
        if (NO > 1) a01 = madd(s, d1, a01);
        if (CB > 1) {
          s = wasm_v128_load32_splat(xp + 1);
          a10 = madd(s, d0, a10);
          if (NO > 1) a11 = madd(s, d1, a11);
        }
        if (CB > 2) {
          s = wasm_v128_load32_splat(xp + 2);
          a20 = madd(s, d0, a20);
          if (NO > 1) a21 = madd(s, d1, a21);
        }
        if (CB > 3) {
          s = wasm_v128_load32_splat(xp + 3);
          a30 = madd(s, d0, a30);
          if (NO > 1) a31 = madd(s, d1, a31);
        }
      }
    }
  }
  wasm_v128_store(dw_tile, a00);
  if (NO > 1) wasm_v128_store(dw_tile + 4, a01);
  if (CB > 1) { wasm_v128_store(dw_tile + oc, a10); if (NO > 1) wasm_v128_store(dw_tile + oc + 4, a11); }
  if (CB > 2) { wasm_v128_store(dw_tile + 2 * oc, a20); if (NO > 1) wasm_v128_store(dw_tile + 2 * oc + 4, a21); }
  if (CB > 3) { wasm_v128_store(dw_tile + 3 * oc, a30); if (NO > 1) wasm_v128_store(dw_tile + 3 * oc + 4, a31); }
}

// The work is split into units, one per (tap a, tap b, input-channel block of 4, output-channel
// block of 8), in that order; a call computes the units [unit_begin, unit_end) over the whole
// batch. Threads take disjoint unit ranges, so every dw element is summed in the same order
// whatever the thread count (bit-identical results), with no partial buffers to add.
INLINE void unit(const problem *p, float *dw, int32_t n0, int32_t n1, int32_t fresh, int32_t filter_w, int32_t top, int32_t left,
                 int32_t u) {
  const int32_t ci_blocks = (p->in_ch + 3) / 4, co_blocks = (p->out_ch + 7) / 8;
  const int32_t cob = u % co_blocks, cib = (u / co_blocks) % ci_blocks, tap = u / (co_blocks * ci_blocks);
  const int32_t a = tap / filter_w, b = tap % filter_w, ci = cib * 4, co = cob * 8;
  const int32_t row_offset = a - top, col_offset = b - left;
  const int32_t i0 = first_inside(row_offset, p->stride_h, p->out_height);
  const int32_t i1 = end_inside(row_offset, p->stride_h, p->height, p->out_height);
  const int32_t j0 = first_inside(col_offset, p->stride_w, p->out_width);
  const int32_t j1 = end_inside(col_offset, p->stride_w, p->width, p->out_width);
  // An empty tap range (padding wider than the input) leaves the loops empty: the tile stays zero.
  const int32_t ni = i1 > i0 ? i1 : i0, nj = j1 > j0 ? j1 : j0;
  float *dw_tile = dw + (tap * p->in_ch + ci) * p->out_ch + co;
  const int32_t cb = p->in_ch - ci < 4 ? p->in_ch - ci : 4;
  const int32_t wide = p->out_ch - co >= 8;
#define TILE(CB, NO) tile(p, dw_tile, CB, NO, fresh, n0, n1, i0, ni, j0, nj, row_offset, col_offset, ci, co)
  switch (cb * 2 + wide) {
    case 9: TILE(4, 2); break;
    case 8: TILE(4, 1); break;
    case 7: TILE(3, 2); break;
    case 6: TILE(3, 1); break;
    case 5: TILE(2, 2); break;
    case 4: TILE(2, 1); break;
    case 3: TILE(1, 2); break;
    default: TILE(1, 1); break;
  }
#undef TILE
}

EXPORT(conv2d_filter_grad)
void conv2d_filter_grad(const float *x, const float *dy, float *dw, int32_t unit_begin, int32_t unit_end, int32_t batch, int32_t height,
                        int32_t width, int32_t in_ch, int32_t out_height, int32_t out_width, int32_t out_ch, int32_t filter_w,
                        int32_t stride_h, int32_t stride_w, int32_t top, int32_t left) {
  const problem p = {x, dy, height, width, in_ch, out_height, out_width, out_ch, stride_h, stride_w};
  // Images per chunk: the chunk's x and dy together within ~256 KiB, so each tile re-reads them from L2.
  const int32_t image_bytes = (height * width * in_ch + out_height * out_width * out_ch) * 4;
  int32_t chunk = (256 * 1024) / image_bytes;
  if (chunk < 1) chunk = 1;
  for (int32_t n0 = 0; n0 < batch; n0 += chunk) {
    const int32_t n1 = n0 + chunk < batch ? n0 + chunk : batch;
    for (int32_t u = unit_begin; u < unit_end; u++) unit(&p, dw, n0, n1, n0 == 0, filter_w, top, left, u);
  }
}
