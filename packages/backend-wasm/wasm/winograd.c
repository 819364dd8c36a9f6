// Winograd F(2x2, 3x3) convolution (NHWC, 3x3 filter, stride 1, dilation 1) for our wasm Conv2D kernel:
//   y[n, i, j, co] = sum_{a, b, ci} x[n, i + a - top, j + b - left, ci] * w[a, b, ci, co]
// The direct kernel (conv2d.c) already runs near the mul + add roofline of 128-bit SIMD without FMA,
// so the only way to go faster is fewer multiplies: a 2x2 output tile costs 16 products per
// (ci, co) instead of 36 (2.25x fewer), paid for by two add-only transforms.
//
// The tiles of images [n_begin, n_end) are taken in order (image, tile row, tile column) in chunks
// that may span images, so that small images still give the GEMM many rows. Per chunk:
//   1. input transform  V[k][t][ci] = (B^T d B)[k] for the 4x4 window d of tile t (k = 4 * row + column),
//   2. 16 GEMMs         M[k][t][co] = sum_ci V[k][t][ci] * U[k][ci][co], register tiled 4 tiles x 8 co,
//   3. output transform y = A^T m A, 2x2 pixels per tile (clipped at the bottom / right edge).
// Every output is summed in one fixed order whatever chunk or group of 4 its tile falls in, so the
// result is bit-identical for any split of [n_begin, n_end) between threads.
// No data segments, no shadow stack: writes only `packed`, `scratch` and y[n_begin, n_end).
#include "winograd-gemm.h"

// Packed filter layout: U[k][block][ci][8] with k = 4 * row + column of the 4x4 transformed filter,
// block = co / 8 (out_ch padded to a multiple of 8 with zeros), so the GEMM reads 8 weights as two
// vectors, and one (k, block) slice is contiguous.
EXPORT(winograd_packed_floats)
int32_t winograd_packed_floats(int32_t in_ch, int32_t out_ch) { return 16 * in_ch * blocks_of(out_ch) * 8; }

// Scratch (per thread): a zero pixel (in_ch floats, rounded up to 4) that windows read outside the
// image, then V [16][CHUNK][in_ch] and M [16][CHUNK][8 * blocks]. Its size depends on the channels
// only (a chunk may span images); height and width are accepted for the caller's convenience.
EXPORT(winograd_scratch_floats)
int32_t winograd_scratch_floats(int32_t height, int32_t width, int32_t in_ch, int32_t out_ch) {
  (void)height;
  (void)width;
  const int32_t tiles = chunk_tiles(16, in_ch, out_ch);
  return (in_ch + 3) / 4 * 4 + 16 * (plane_stride(tiles * in_ch) + plane_stride(tiles * 8 * blocks_of(out_ch)));
}


// G g G^T along one axis: 3 taps -> 4 values, G = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]].
#define G3(g0, g1, g2, t0, t1, t2, t3)          \
  t0 = (g0);                                    \
  t1 = MUL(half, ADD(ADD(g0, g1), g2));         \
  t2 = MUL(half, ADD(SUB(g0, g1), g2));         \
  t3 = (g2);

// U = G g G^T for 4 output channels at once: w points at w[0][0][ci][co], u at U[0][block][ci][co % 8].
// LOAD is wasm_v128_load, or a lane-wise load of the last (< 4) channels with zeros past out_ch.
#define FILTER_TRANSFORM(LOAD)                                                  \
  {                                                                             \
    const v128_t half = wasm_f32x4_splat(0.5f);                                 \
    v128_t t00, t10, t20, t30, t01, t11, t21, t31, t02, t12, t22, t32;          \
    /* columns first: t = G g ... */                                            \
    G3(LOAD(w), LOAD(w + 3 * tap), LOAD(w + 6 * tap), t00, t10, t20, t30);      \
    G3(LOAD(w + tap), LOAD(w + 4 * tap), LOAD(w + 7 * tap), t01, t11, t21, t31); \
    G3(LOAD(w + 2 * tap), LOAD(w + 5 * tap), LOAD(w + 8 * tap), t02, t12, t22, t32); \
    /* ... then rows: U = t G^T */                                              \
    v128_t u0, u1, u2, u3;                                                      \
    G3(t00, t01, t02, u0, u1, u2, u3);                                          \
    wasm_v128_store(u, u0); wasm_v128_store(u + k_stride, u1);                  \
    wasm_v128_store(u + 2 * k_stride, u2); wasm_v128_store(u + 3 * k_stride, u3); \
    G3(t10, t11, t12, u0, u1, u2, u3);                                          \
    wasm_v128_store(u + 4 * k_stride, u0); wasm_v128_store(u + 5 * k_stride, u1); \
    wasm_v128_store(u + 6 * k_stride, u2); wasm_v128_store(u + 7 * k_stride, u3); \
    G3(t20, t21, t22, u0, u1, u2, u3);                                          \
    wasm_v128_store(u + 8 * k_stride, u0); wasm_v128_store(u + 9 * k_stride, u1); \
    wasm_v128_store(u + 10 * k_stride, u2); wasm_v128_store(u + 11 * k_stride, u3); \
    G3(t30, t31, t32, u0, u1, u2, u3);                                          \
    wasm_v128_store(u + 12 * k_stride, u0); wasm_v128_store(u + 13 * k_stride, u1); \
    wasm_v128_store(u + 14 * k_stride, u2); wasm_v128_store(u + 15 * k_stride, u3); \
  }

// w [3][3][in_ch][out_ch] -> U (layout above). Every (ci, co) is transformed the same way,
// 4 output channels at a time, writing the 16 k's in contiguous runs of 8.
EXPORT(winograd_pack_filter)
void winograd_pack_filter(const float *w_all, float *packed, int32_t in_ch, int32_t out_ch) {
  FOR_EACH_FILTER_VECTOR(FILTER_TRANSFORM)
}

// B^T along one axis: (d0 - d2, d1 + d2, d2 - d1, d1 - d3).
#define BT(d0, d1, d2, d3, e0, e1, e2, e3) \
  e0 = SUB(d0, d2);                        \
  e1 = ADD(d1, d2);                        \
  e2 = SUB(d2, d1);                        \
  e3 = SUB(d1, d3);

// The 16 pixels of one 4x4 input window, each pointing at in_ch floats (the zero pixel outside x).
typedef struct {
  const float *p00, *p01, *p02, *p03, *p10, *p11, *p12, *p13, *p20, *p21, *p22, *p23, *p30, *p31, *p32, *p33;
} window;

// B^T d B for 4 channels (or 1, in lane 0, with LOAD1 / STORE1) at offset ci of every pixel, stored to
// V[k] + ci, k = 0..15, k_stride floats apart. LOAD/STORE are wasm_v128_load/store or their
// single-lane forms, so the channel tail runs the very same arithmetic.
#define INPUT_TRANSFORM(LOAD, STORE)                                                               \
  {                                                                                                \
    v128_t e00, e01, e02, e03, e10, e11, e12, e13, e20, e21, e22, e23, e30, e31, e32, e33;         \
    /* rows: e[r][.] = d[r][.] B */                                                                \
    BT(LOAD(w->p00 + ci), LOAD(w->p01 + ci), LOAD(w->p02 + ci), LOAD(w->p03 + ci), e00, e01, e02, e03); \
    BT(LOAD(w->p10 + ci), LOAD(w->p11 + ci), LOAD(w->p12 + ci), LOAD(w->p13 + ci), e10, e11, e12, e13); \
    BT(LOAD(w->p20 + ci), LOAD(w->p21 + ci), LOAD(w->p22 + ci), LOAD(w->p23 + ci), e20, e21, e22, e23); \
    BT(LOAD(w->p30 + ci), LOAD(w->p31 + ci), LOAD(w->p32 + ci), LOAD(w->p33 + ci), e30, e31, e32, e33); \
    /* columns: V = B^T e */                                                                       \
    v128_t v0, v1, v2, v3;                                                                         \
    float *o = v + ci;                                                                             \
    BT(e00, e10, e20, e30, v0, v1, v2, v3);                                                        \
    STORE(o + 0 * k_stride, v0); STORE(o + 4 * k_stride, v1);                                      \
    STORE(o + 8 * k_stride, v2); STORE(o + 12 * k_stride, v3);                                     \
    BT(e01, e11, e21, e31, v0, v1, v2, v3);                                                        \
    STORE(o + 1 * k_stride, v0); STORE(o + 5 * k_stride, v1);                                      \
    STORE(o + 9 * k_stride, v2); STORE(o + 13 * k_stride, v3);                                     \
    BT(e02, e12, e22, e32, v0, v1, v2, v3);                                                        \
    STORE(o + 2 * k_stride, v0); STORE(o + 6 * k_stride, v1);                                      \
    STORE(o + 10 * k_stride, v2); STORE(o + 14 * k_stride, v3);                                   \
    BT(e03, e13, e23, e33, v0, v1, v2, v3);                                                        \
    STORE(o + 3 * k_stride, v0); STORE(o + 7 * k_stride, v1);                                      \
    STORE(o + 11 * k_stride, v2); STORE(o + 15 * k_stride, v3);                                    \
  }

#define LOAD1(p) wasm_v128_load32_zero(p)
#define STORE1(p, value) wasm_v128_store32_lane(p, value, 0)

// Transforms one window into V (v points at the tile's row of V[0]).
INLINE void input_tile(const window *w, float *v, int32_t k_stride, int32_t in_ch) {
  int32_t ci = 0;
  for (; ci + 4 <= in_ch; ci += 4) INPUT_TRANSFORM(wasm_v128_load, wasm_v128_store)
  for (; ci < in_ch; ci++) INPUT_TRANSFORM(LOAD1, STORE1)
}

// A^T along one axis: (m0 + m1 + m2, m1 - m2 - m3).
#define AT(m0, m1, m2, m3, s0, s1) \
  s0 = ADD(ADD(m0, m1), m2);       \
  s1 = SUB(SUB(m1, m2), m3);

// A^T m A of one tile for out channels co..co+4, written to its 2x2 (or clipped) output pixels.
// m points at M[0] + tile row + co; y00 at output pixel (2 ti, 2 tj) + co.
INLINE void output_vector(const float *m, int32_t k_stride, float *y00, int32_t row_stride, int32_t out_ch, int32_t lanes,
                          int32_t has_right, int32_t has_below) {
#define M(k) wasm_v128_load(m + (k) * k_stride)
  v128_t s00, s01, s10, s11, s20, s21, s30, s31;
  AT(M(0), M(1), M(2), M(3), s00, s01);
  AT(M(4), M(5), M(6), M(7), s10, s11);
  AT(M(8), M(9), M(10), M(11), s20, s21);
  AT(M(12), M(13), M(14), M(15), s30, s31);
#undef M
  v128_t y0, y1;
  AT(s00, s10, s20, s30, y0, y1);
  store_lanes(y00, y0, lanes);
  if (has_below) store_lanes(y00 + row_stride, y1, lanes);
  if (has_right) {
    AT(s01, s11, s21, s31, y0, y1);
    store_lanes(y00 + out_ch, y0, lanes);
    if (has_below) store_lanes(y00 + row_stride + out_ch, y1, lanes);
  }
}

EXPORT(winograd_conv2d)
void winograd_conv2d(const float *x, const float *packed, float *y, float *scratch, int32_t n_begin, int32_t n_end, int32_t height,
                     int32_t width, int32_t in_ch, int32_t out_height, int32_t out_width, int32_t out_ch, int32_t top, int32_t left) {
  const int32_t tiles_h = (out_height + 1) / 2, tiles_w = (out_width + 1) / 2, per_image = tiles_h * tiles_w;
  const int32_t total = (n_end - n_begin) * per_image;
  const int32_t chunk = chunk_tiles(16, in_ch, out_ch);
  const int32_t m_ch = 8 * blocks_of(out_ch);
  const int32_t zero_size = (in_ch + 3) / 4 * 4;
  float *zero = scratch;
  for (int32_t k = 0; k < zero_size; k += 4) wasm_v128_store(zero + k, wasm_f32x4_splat(0.0f));
  const int32_t v_stride = plane_stride(chunk * in_ch), m_stride = plane_stride(chunk * m_ch); // between k
  float *v = scratch + zero_size;
  float *m = v + 16 * v_stride;
  const int32_t image_size = height * width * in_ch, out_size = out_height * out_width * out_ch;

  for (int32_t g0 = 0; g0 < total; g0 += chunk) {
    const int32_t count = total - g0 < chunk ? total - g0 : chunk;

    tile_position p = locate(g0, n_begin, tiles_w, per_image);
    for (int32_t t = 0; t < count; t++, advance(&p, tiles_h, tiles_w)) {
      // Window rows r.., columns c.. of image p.n; pixels outside it read the zero pixel.
      const int32_t r = 2 * p.ti - top, c = 2 * p.tj - left, row = width * in_ch;
      const int32_t origin = p.n * image_size + r * row + c * in_ch; // may lie outside x: only valid pixels are read
#define ROW_OK(a) ((uint32_t)(r + (a)) < (uint32_t)height)
#define COL_OK(b) ((uint32_t)(c + (b)) < (uint32_t)width)
      const int32_t r0 = ROW_OK(0), r1 = ROW_OK(1), r2 = ROW_OK(2), r3 = ROW_OK(3);
      const int32_t c0 = COL_OK(0), c1 = COL_OK(1), c2 = COL_OK(2), c3 = COL_OK(3);
#define P(a, b) (r##a && c##b ? x + origin + (a) * row + (b) * in_ch : zero)
      const window w = {P(0, 0), P(0, 1), P(0, 2), P(0, 3), P(1, 0), P(1, 1), P(1, 2), P(1, 3),
                        P(2, 0), P(2, 1), P(2, 2), P(2, 3), P(3, 0), P(3, 1), P(3, 2), P(3, 3)};
#undef P
#undef ROW_OK
#undef COL_OK
      input_tile(&w, v + t * in_ch, v_stride, in_ch);
    }

    gemm_planes(v, v_stride, packed, m, m_stride, 16, count, in_ch, out_ch);

    p = locate(g0, n_begin, tiles_w, per_image);
    for (int32_t t = 0; t < count; t++, advance(&p, tiles_h, tiles_w)) {
      const int32_t i = 2 * p.ti, j = 2 * p.tj;
      const int32_t has_below = i + 1 < out_height, has_right = j + 1 < out_width;
      float *yt = y + p.n * out_size + (i * out_width + j) * out_ch;
      const float *mt = m + t * m_ch;
      const int32_t row_stride = out_width * out_ch;
      int32_t co = 0;
      for (; co + 4 <= out_ch; co += 4) output_vector(mt + co, m_stride, yt + co, row_stride, out_ch, 4, has_right, has_below);
      if (co < out_ch) output_vector(mt + co, m_stride, yt + co, row_stride, out_ch, out_ch - co, has_right, has_below);
    }
  }
}
