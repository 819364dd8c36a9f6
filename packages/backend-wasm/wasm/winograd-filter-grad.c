// Weight gradient of a 3x3, stride-1, dilation-1 convolution (NHWC) by Winograd F(3x3, 2x2):
//   dw[a, b, ci, co] = sum_{n, i, j} x[n, i + a - top, j + b - left, ci] * dy[n, i, j, co]
// The direct kernel (conv2d-filter-grad.c) costs 36 products per 2x2 block of dy per (ci, co); here
// every 2x2 tile g of dy and its 4x4 window d of x contribute dw += A^T [(G g G^T) (.) (B^T d B)] A,
// 16 products per (ci, co), paid for by add-only transforms of x and dy.
//
// F(3, 2) in one dimension (y[a] = sum_i d[a + i] g[i], a = 0..2, i = 0..1), points 0, 1, -1, inf:
// it is the transpose of the Toom-Cook linear convolution of a 3-vector by g, so
//   B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, -1, 0, 1]]   (B^T d = d0-d2, d1+d2, d2-d1, d3-d1)
//   G   = [[1, 0], [1/2, 1/2], [1/2, -1/2], [0, 1]]
//   A^T = [[1, 1, 1, 0], [0, 1, -1, 0], [0, 1, 1, 1]]
// The halves of G are not applied to dy: the transforms use G' = 2 G on the middle rows
// (add-only), and the output transform multiplies M[r][c] by s_r s_c, s = (1, 1/2, 1/2, 1): a
// power of two, so exactly the same result as scaling every product.
//
// Per call (threads take disjoint ranges [k_begin, k_end) of the 16 points k = 4 r + c):
//   for each chunk of tiles (order: image, tile row, tile column; chunks may span images)
//     1. V[k][t][ci] = (B^T d B)[k] and D[k][t][co] = (G' g G'^T)[k], only for the rows r of the
//        4x4 transforms that contain the call's k (half the transform work for [0,8) or [8,16)),
//     2. M[k][ci][co] += sum_t V[k][t][ci] D[k][t][co], 4 ci x 8 co register tiles, accumulators
//        carried across chunks through m_all (float32, exact round trip).
// Every M element is therefore the float32 sum over all tiles in the one fixed tile order, computed
// by the same operations whatever the k split: bit-identical results for any split.
// winograd_filter_grad_output (one thread, after all k ranges are done) writes dw = A^T (S (.) M) A.
// No data segments, no shadow stack: writes only scratch, m_all[k_begin..k_end) and (output) dw.
#include "winograd-common.h"

#ifndef CHUNK_BUDGET
#define CHUNK_BUDGET (64 * 1024) // floats of one k plane of V and D together (T * (ci4 + co8))
#endif
#ifndef MIN_CHUNK
#define MIN_CHUNK 64
#endif
#ifndef MAX_CHUNK
#define MAX_CHUNK 128
#endif

INLINE int32_t ci4_of(int32_t in_ch) { return (in_ch + 3) & ~3; }
INLINE int32_t co8_of(int32_t out_ch) { return (out_ch + 7) & ~7; }

INLINE int32_t chunk_tiles(int32_t in_ch, int32_t out_ch) {
  int32_t tiles = CHUNK_BUDGET / (ci4_of(in_ch) + co8_of(out_ch));
  if (tiles < MIN_CHUNK) tiles = MIN_CHUNK;
  if (tiles > MAX_CHUNK) tiles = MAX_CHUNK;
  return tiles;
}


// Layout of scratch: zero pixel (max(ci4, co8) floats), V [16][ci4 / 4][T][4], D [16][co8 / 8][T][8].
typedef struct {
  int32_t chunk, zero_size, v_stride, d_stride;
} layout;

INLINE layout layout_of(int32_t in_ch, int32_t out_ch) {
  const int32_t chunk = chunk_tiles(in_ch, out_ch), ci4 = ci4_of(in_ch), co8 = co8_of(out_ch);
  const layout l = {chunk, ci4 > co8 ? ci4 : co8, plane_stride(chunk * ci4), plane_stride(chunk * co8)};
  return l;
}

EXPORT(winograd_filter_grad_scratch_floats)
int32_t winograd_filter_grad_scratch_floats(int32_t in_ch, int32_t out_ch) {
  const layout l = layout_of(in_ch, out_ch);
  return l.zero_size + 16 * (l.v_stride + l.d_stride);
}

// m_all: [16][ci4][co8] (channels padded to 4 and 8; the padding is never read by the output).
EXPORT(winograd_filter_grad_m_floats)
int32_t winograd_filter_grad_m_floats(int32_t in_ch, int32_t out_ch) { return 16 * ci4_of(in_ch) * co8_of(out_ch); }

INLINE v128_t zero_v(void) { return wasm_f32x4_splat(0.0f); }

// ---------------------------------------------------------------------------------------------
// Input transform, B^T d B, separably: first along the window's rows for each x column (e[r] = row r
// of B^T applied to the column's 4 pixels), then along the columns. Neighbouring tiles of a tile row
// share 2 of their 4 columns, so e is computed once per column and carried to the next tile: per
// tile and 4 channels 8 loads and 8 + 16 adds instead of 16 and 32. Only rows RLO..RHI of the
// result (the planes a call needs) are formed. Row r of B^T d needs pixel rows r0 {0, 2}, r1 {1, 2},
// r2 {1, 2}, r3 {1, 3}.
//
// Window rows: rp[a] points at x row a of the window (pixel 0, channel 0), wd[a] is the image
// width, or 0 for a row outside the image, so that (unsigned)col < wd[a] tells a real pixel.
INLINE void x_column(const float *const rp[4], const int32_t wd[4], const float *zero, int32_t col, int32_t in_ch, int32_t ci,
                     int32_t lanes, v128_t e[4], int32_t RLO, int32_t RHI) {
  const int32_t need0 = RLO == 0, need1 = RHI >= 1, need2 = RLO <= 2, need3 = RHI == 3;
#define PIXEL(a) load_lanes(((uint32_t)col < (uint32_t)wd[a] ? rp[a] + col * in_ch : zero) + ci, lanes)
  v128_t d0 = zero_v(), d1 = zero_v(), d2 = zero_v(), d3 = zero_v();
  if (need0) d0 = PIXEL(0);
  if (need1) d1 = PIXEL(1);
  if (need2) d2 = PIXEL(2);
  if (need3) d3 = PIXEL(3);
#undef PIXEL
  if (RLO <= 0 && 0 <= RHI) e[0] = SUB(d0, d2);
  if (RLO <= 1 && 1 <= RHI) e[1] = ADD(d1, d2);
  if (RLO <= 2 && 2 <= RHI) e[2] = SUB(d2, d1);
  if (RLO <= 3 && 3 <= RHI) e[3] = SUB(d3, d1);
}

// `len` consecutive tiles of one tile row whose first window starts at x column c0; v points at
// the first tile's slot in V[0][0].
INLINE void x_segment(const float *const rp[4], const int32_t wd[4], const float *zero, int32_t c0, int32_t len, int32_t in_ch,
                      float *v, int32_t T, int32_t v_stride, int32_t RLO, int32_t RHI) {
  for (int32_t ci = 0; ci < in_ch; ci += 4) {
    const int32_t lanes = in_ch - ci < 4 ? in_ch - ci : 4;
    float *o = v + ci * T;
#define SEGMENT(LANES)                                                                  \
  {                                                                                     \
    v128_t a0[4], a1[4];                                                                \
    x_column(rp, wd, zero, c0, in_ch, ci, LANES, a0, RLO, RHI);                         \
    x_column(rp, wd, zero, c0 + 1, in_ch, ci, LANES, a1, RLO, RHI);                     \
    for (int32_t s = 0; s < len; s++, o += 4) {                                         \
      v128_t b0[4], b1[4];                                                              \
      x_column(rp, wd, zero, c0 + 2 * s + 2, in_ch, ci, LANES, b0, RLO, RHI);           \
      x_column(rp, wd, zero, c0 + 2 * s + 3, in_ch, ci, LANES, b1, RLO, RHI);           \
      for (int32_t r = RLO; r <= RHI; r++) {                                            \
        float *out = o + 4 * r * v_stride;                                              \
        wasm_v128_store(out, SUB(a0[r], b0[r]));                                        \
        wasm_v128_store(out + v_stride, ADD(a1[r], b0[r]));                             \
        wasm_v128_store(out + 2 * v_stride, SUB(b0[r], a1[r]));                         \
        wasm_v128_store(out + 3 * v_stride, SUB(b1[r], a1[r]));                         \
        a0[r] = b0[r];                                                                  \
        a1[r] = b1[r];                                                                  \
      }                                                                                 \
    }                                                                                   \
  }
    if (lanes == 4) SEGMENT(4) else SEGMENT(lanes)
#undef SEGMENT
  }
}

// dy transform: rows RLO..RHI of G' g G'^T for 4 output channels; g[a][b] is dy pixel (a, b) of the
// 2x2 tile. G' rows: (1, 0), (1, 1), (1, -1), (0, 1).
INLINE void dy_transform(const float *const g[2][2], int32_t co, int32_t lanes, float *out, int32_t d_stride, int32_t RLO,
                         int32_t RHI) {
  const int32_t need0 = RLO <= 2, need1 = RHI >= 1;
  v128_t g0[2], g1[2];
  for (int32_t b = 0; b < 2; b++) {
    if (need0) g0[b] = load_lanes(g[0][b] + co, lanes);
    if (need1) g1[b] = load_lanes(g[1][b] + co, lanes);
  }
  for (int32_t r = RLO; r <= RHI; r++) {
    v128_t t0, t1;
    if (r == 0) { t0 = g0[0]; t1 = g0[1]; }
    else if (r == 1) { t0 = ADD(g0[0], g1[0]); t1 = ADD(g0[1], g1[1]); }
    else if (r == 2) { t0 = SUB(g0[0], g1[0]); t1 = SUB(g0[1], g1[1]); }
    else { t0 = g1[0]; t1 = g1[1]; }
    float *o = out + 4 * r * d_stride;
    wasm_v128_store(o, t0);
    wasm_v128_store(o + d_stride, ADD(t0, t1));
    wasm_v128_store(o + 2 * d_stride, SUB(t0, t1));
    wasm_v128_store(o + 3 * d_stride, t1);
  }
}

// ---------------------------------------------------------------------------------------------
typedef struct {
  const float *x, *dy, *zero;
  float *v, *d;
  int32_t height, width, in_ch, out_height, out_width, out_ch, top, left, tiles_h, tiles_w, chunk, v_stride, d_stride;
} problem;

// Transforms `count` tiles from position p into V and D (rows RLO..RHI of every transform), one run
// of tiles along a tile row at a time.
INLINE void transform_chunk(const problem *q, tile_position p, int32_t count, int32_t RLO, int32_t RHI) {
  const int32_t in_ch = q->in_ch, out_ch = q->out_ch, T = q->chunk;
  const int32_t row = q->width * in_ch, image_size = q->height * row;
  const int32_t dy_row = q->out_width * out_ch, dy_image = q->out_height * dy_row;
  for (int32_t t0 = 0; t0 < count;) {
    const int32_t len = q->tiles_w - p.tj < count - t0 ? q->tiles_w - p.tj : count - t0;
    // x window rows r..r+3 of image p.n; rows outside the image read the zero pixel.
    const int32_t r = 2 * p.ti - q->top;
    const float *rp[4];
    int32_t wd[4];
    for (int32_t a = 0; a < 4; a++) {
      const int32_t ok = (uint32_t)(r + a) < (uint32_t)q->height;
      rp[a] = ok ? q->x + p.n * image_size + (r + a) * row : q->zero;
      wd[a] = ok ? q->width : 0;
    }
    x_segment(rp, wd, q->zero, 2 * p.tj - q->left, len, in_ch, q->v + 4 * t0, T, q->v_stride, RLO, RHI);

    // dy tiles: pixels (2 ti + a, 2 tj + b); the ones past the bottom / right edge read zeros.
    const int32_t i = 2 * p.ti, below = i + 1 < q->out_height;
    for (int32_t s = 0; s < len; s++) {
      const int32_t j = 2 * (p.tj + s), right = j + 1 < q->out_width;
      const float *g00 = q->dy + p.n * dy_image + i * dy_row + j * out_ch;
      const float *const g[2][2] = {{g00, right ? g00 + out_ch : q->zero},
                                    {below ? g00 + dy_row : q->zero, below && right ? g00 + dy_row + out_ch : q->zero}};
      float *d = q->d + 8 * (t0 + s);
      // D[k][block][t][8]: channel co goes to block co / 8, lane co % 8.
      int32_t co = 0;
      for (; co + 4 <= out_ch; co += 4) dy_transform(g, co, 4, d + (co >> 3) * 8 * T + (co & 4), q->d_stride, RLO, RHI);
      if (co < out_ch) dy_transform(g, co, out_ch - co, d + (co >> 3) * 8 * T + (co & 4), q->d_stride, RLO, RHI);
    }
    t0 += len;
    p.tj += len - 1;
    advance(&p, q->tiles_h, q->tiles_w);
  }
}

// ---------------------------------------------------------------------------------------------
// M[k][ci..ci+4][co..co+4 NO] += sum over `count` tiles of V[k][ci block][t][4] x D[k][co block][t][8].
// Same register tile as conv2d-filter-grad.c: per tile 4 splats + 2 vector loads feed 8 mul + 8 add.
INLINE void gemm_block(const float *v, const float *d, float *m, int32_t m_ch, int32_t count, int32_t fresh, int32_t NO) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
  if (!fresh) {
    c00 = wasm_v128_load(m), c10 = wasm_v128_load(m + m_ch), c20 = wasm_v128_load(m + 2 * m_ch), c30 = wasm_v128_load(m + 3 * m_ch);
    if (NO > 1) {
      c01 = wasm_v128_load(m + 4), c11 = wasm_v128_load(m + m_ch + 4);
      c21 = wasm_v128_load(m + 2 * m_ch + 4), c31 = wasm_v128_load(m + 3 * m_ch + 4);
    }
  }
  for (int32_t t = 0; t < count; t++, v += 4, d += 8) {
    const v128_t w0 = wasm_v128_load(d);
    const v128_t w1 = NO > 1 ? wasm_v128_load(d + 4) : w0;
    v128_t s;
#define ROW(r)                                      \
  s = wasm_v128_load32_splat(v + r);                \
  c##r##0 = madd(s, w0, c##r##0);               \
  if (NO > 1) c##r##1 = madd(s, w1, c##r##1);
    ROW(0) ROW(1) ROW(2) ROW(3)
#undef ROW
  }
  wasm_v128_store(m, c00), wasm_v128_store(m + m_ch, c10), wasm_v128_store(m + 2 * m_ch, c20), wasm_v128_store(m + 3 * m_ch, c30);
  if (NO > 1) {
    wasm_v128_store(m + 4, c01), wasm_v128_store(m + m_ch + 4, c11);
    wasm_v128_store(m + 2 * m_ch + 4, c21), wasm_v128_store(m + 3 * m_ch + 4, c31);
  }
}

INLINE void gemm_chunk(const problem *q, float *m_all, int32_t k_begin, int32_t k_end, int32_t count, int32_t fresh) {
  const int32_t ci4 = ci4_of(q->in_ch), co8 = co8_of(q->out_ch), T = q->chunk;
  for (int32_t k = k_begin; k < k_end; k++) {
    const float *vk = q->v + k * q->v_stride, *dk = q->d + k * q->d_stride;
    float *mk = m_all + k * ci4 * co8;
    // The D block (T x 8) stays in L1 while every ci block passes.
    for (int32_t co = 0; co < co8; co += 8) {
      const float *db = dk + co * T;
      if (q->out_ch - co > 4) {
        for (int32_t ci = 0; ci < ci4; ci += 4) gemm_block(vk + ci * T, db, mk + ci * co8 + co, co8, count, fresh, 2);
      } else {
        for (int32_t ci = 0; ci < ci4; ci += 4) gemm_block(vk + ci * T, db, mk + ci * co8 + co, co8, count, fresh, 1);
      }
    }
  }
}

EXPORT(winograd_filter_grad)
void winograd_filter_grad(const float *x, const float *dy, float *scratch, int32_t k_begin, int32_t k_end, int32_t batch,
                          int32_t height, int32_t width, int32_t in_ch, int32_t out_height, int32_t out_width, int32_t out_ch,
                          int32_t top, int32_t left, float *m_all) {
  if (k_begin < 0) k_begin = 0;
  if (k_end > 16) k_end = 16;
  if (k_begin >= k_end) return;
  const layout l = layout_of(in_ch, out_ch);
  for (int32_t k = 0; k < l.zero_size; k += 4) wasm_v128_store(scratch + k, wasm_f32x4_splat(0.0f));
  problem q = {x, dy, scratch, scratch + l.zero_size, scratch + l.zero_size + 16 * l.v_stride,
               height, width, in_ch, out_height, out_width, out_ch, top, left,
               (out_height + 1) / 2, (out_width + 1) / 2, l.chunk, l.v_stride, l.d_stride};
  const int32_t total = batch * q.tiles_h * q.tiles_w;
  const int32_t rlo = k_begin >> 2, rhi = (k_end - 1) >> 2;
  tile_position p = {0, 0, 0};
  for (int32_t g0 = 0; g0 < total; g0 += l.chunk) {
    const int32_t count = total - g0 < l.chunk ? total - g0 : l.chunk;
    // Rows rlo..rhi of the transforms: each k's values are computed by the same operations in
    // every variant, so the choice does not change any bit.
    switch (rlo * 4 + rhi) {
      case 0 * 4 + 0: transform_chunk(&q, p, count, 0, 0); break;
      case 0 * 4 + 1: transform_chunk(&q, p, count, 0, 1); break;
      case 0 * 4 + 2: transform_chunk(&q, p, count, 0, 2); break;
      case 1 * 4 + 1: transform_chunk(&q, p, count, 1, 1); break;
      case 1 * 4 + 2: transform_chunk(&q, p, count, 1, 2); break;
      case 1 * 4 + 3: transform_chunk(&q, p, count, 1, 3); break;
      case 2 * 4 + 2: transform_chunk(&q, p, count, 2, 2); break;
      case 2 * 4 + 3: transform_chunk(&q, p, count, 2, 3); break;
      case 3 * 4 + 3: transform_chunk(&q, p, count, 3, 3); break;
      default: transform_chunk(&q, p, count, 0, 3); break;
    }
    gemm_chunk(&q, m_all, k_begin, k_end, count, g0 == 0);
    for (int32_t t = 0; t < count; t++) advance(&p, q.tiles_h, q.tiles_w);
  }
}

// dw[a][b][ci][co] = (A^T (S (.) M[.][ci][co]) A)[a][b], 4 output channels at a time.
EXPORT(winograd_filter_grad_output)
void winograd_filter_grad_output(const float *m_all, float *dw, int32_t in_ch, int32_t out_ch) {
  const int32_t ci4 = ci4_of(in_ch), co8 = co8_of(out_ch), plane = ci4 * co8, tap = in_ch * out_ch;
  const v128_t half = wasm_f32x4_splat(0.5f), quarter = wasm_f32x4_splat(0.25f);
  for (int32_t ci = 0; ci < in_ch; ci++) {
    for (int32_t co = 0; co < out_ch; co += 4) {
      const float *m = m_all + ci * co8 + co;
      v128_t u[4][4];
      for (int32_t r = 0; r < 4; r++) {
        for (int32_t c = 0; c < 4; c++) {
          const v128_t value = wasm_v128_load(m + (4 * r + c) * plane);
          const int32_t halves = (r == 1 || r == 2) + (c == 1 || c == 2);
          u[r][c] = halves == 0 ? value : MUL(value, halves == 1 ? half : quarter);
        }
      }
      // A^T along rows: (u0 + u1 + u2, u1 - u2, u1 + u2 + u3), then along columns.
      v128_t s[3][4];
      for (int32_t c = 0; c < 4; c++) {
        const v128_t sum12 = ADD(u[1][c], u[2][c]);
        s[0][c] = ADD(u[0][c], sum12);
        s[1][c] = SUB(u[1][c], u[2][c]);
        s[2][c] = ADD(sum12, u[3][c]);
      }
      const int32_t lanes = out_ch - co < 4 ? out_ch - co : 4;
      float *o = dw + ci * out_ch + co;
      for (int32_t a = 0; a < 3; a++) {
        const v128_t sum12 = ADD(s[a][1], s[a][2]);
        store_lanes(o + (3 * a) * tap, ADD(s[a][0], sum12), lanes);
        store_lanes(o + (3 * a + 1) * tap, SUB(s[a][1], s[a][2]), lanes);
        store_lanes(o + (3 * a + 2) * tap, ADD(sum12, s[a][3]), lanes);
      }
    }
  }
}
