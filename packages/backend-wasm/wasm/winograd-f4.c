// Winograd F(4x4, 3x3) convolution (NHWC, 3x3 filter, stride 1, dilation 1) for our wasm Conv2D kernel,
// the same contract as winograd.c's F(2x2, 3x3):
//   y[n, i, j, co] = sum_{a, b, ci} x[n, i + a - top, j + b - left, ci] * w[a, b, ci, co]
// A 4x4 output tile costs 36 products per (ci, co) instead of 144 (4x fewer; F(2x2, 3x3): 2.25x),
// paid for by larger transforms (6x6 windows, interpolation points 0, +-1, +-2, infinity; Lavin & Gray
// 2016) whose constants (up to 8 in A, 5 in B, 1/24 in G) cost some accuracy: conv2d.ts picks this
// kernel where its error against the cpu backend was measured to stay within our tolerance.
//
// Per chunk of tiles (image, tile row, tile column order, chunks may span images):
//   1. input transform  V[k][t][ci] = (B^T d B)[k] for the 6x6 window d of tile t (k = 6 * row + column),
//   2. 36 GEMMs         M[k][t][co] = sum_ci V[k][t][ci] * U[k][ci][co] (winograd-gemm.h),
//   3. output transform y = A^T m A, 4x4 pixels per tile (clipped at the bottom / right edge).
// Every output is summed in one fixed order whatever chunk its tile falls in, so the result is
// bit-identical for any split of [n_begin, n_end) between threads.
// No data segments, no shadow stack: writes only `packed`, `scratch` and y[n_begin, n_end).
#include "winograd-gemm.h"

#define PLANES 36

// Packed filter layout: U[k][block][ci][8] (k = 6 * row + column of the 6x6 transformed filter), as
// winograd.c's with 36 planes.
EXPORT(winograd4_packed_floats)
int32_t winograd4_packed_floats(int32_t in_ch, int32_t out_ch) { return PLANES * in_ch * blocks_of(out_ch) * 8; }

// Floats of a window staged with its zeros: 36 pixels of in_ch floats, rounded up to a multiple
// of 4 per pixel so that V, right after it in the scratch, stays 16-byte aligned.
INLINE int32_t window_floats(int32_t in_ch) { return 36 * ((in_ch + 3) / 4 * 4); }

// Scratch (per thread): a transform's intermediate rows (36 vectors), a staged border window, then
// V [36][CHUNK][in_ch] and M [36][CHUNK][8 * blocks]. Its size depends on the channels only.
EXPORT(winograd4_scratch_floats)
int32_t winograd4_scratch_floats(int32_t height, int32_t width, int32_t in_ch, int32_t out_ch) {
  (void)height;
  (void)width;
  const int32_t tiles = chunk_tiles(PLANES, in_ch, out_ch);
  return 36 * 4 + window_floats(in_ch) + PLANES * (plane_stride(tiles * in_ch) + plane_stride(tiles * 8 * blocks_of(out_ch)));
}

// G g along one axis: 3 taps -> 6 values, G = [[1/4, 0, 0], [-1/6, -1/6, -1/6], [-1/6, 1/6, -1/6],
// [1/24, 1/12, 1/6], [1/24, -1/12, 1/6], [0, 0, 1]].
#define G6(g0, g1, g2, t0, t1, t2, t3, t4, t5)                  \
  {                                                             \
    const v128_t s02 = ADD(g0, g2);                             \
    const v128_t a = madd(sixth, g2, MUL(twenty_fourth, g0));   \
    const v128_t b = MUL(twelfth, g1);                          \
    t0 = MUL(quarter, g0);                                      \
    t1 = MUL(minus_sixth, ADD(s02, g1));                        \
    t2 = MUL(minus_sixth, SUB(s02, g1));                        \
    t3 = ADD(a, b);                                             \
    t4 = SUB(a, b);                                             \
    t5 = (g2);                                                  \
  }

// U = G g G^T for 4 output channels at once: w points at w[0][0][ci][co], u at U[0][block][ci][co % 8].
// LOAD is wasm_v128_load, or a lane-wise load of the last (< 4) channels with zeros past out_ch.
#define FILTER_TRANSFORM(LOAD)                                                                  \
  {                                                                                             \
    v128_t t00, t10, t20, t30, t40, t50, t01, t11, t21, t31, t41, t51, t02, t12, t22, t32, t42, t52; \
    /* columns first: t = G g ... */                                                            \
    G6(LOAD(w), LOAD(w + 3 * tap), LOAD(w + 6 * tap), t00, t10, t20, t30, t40, t50);            \
    G6(LOAD(w + tap), LOAD(w + 4 * tap), LOAD(w + 7 * tap), t01, t11, t21, t31, t41, t51);      \
    G6(LOAD(w + 2 * tap), LOAD(w + 5 * tap), LOAD(w + 8 * tap), t02, t12, t22, t32, t42, t52);  \
    /* ... then rows: U = t G^T, k = 6 * row + column */                                        \
    FILTER_ROW(0, t00, t01, t02) FILTER_ROW(1, t10, t11, t12) FILTER_ROW(2, t20, t21, t22)      \
    FILTER_ROW(3, t30, t31, t32) FILTER_ROW(4, t40, t41, t42) FILTER_ROW(5, t50, t51, t52)      \
  }
#define FILTER_ROW(a, g0, g1, g2)                                                       \
  {                                                                                     \
    v128_t u0, u1, u2, u3, u4, u5;                                                      \
    G6(g0, g1, g2, u0, u1, u2, u3, u4, u5);                                             \
    float *o = u + 6 * (a) * k_stride;                                                  \
    wasm_v128_store(o, u0); wasm_v128_store(o + k_stride, u1);                          \
    wasm_v128_store(o + 2 * k_stride, u2); wasm_v128_store(o + 3 * k_stride, u3);       \
    wasm_v128_store(o + 4 * k_stride, u4); wasm_v128_store(o + 5 * k_stride, u5);       \
  }

// w [3][3][in_ch][out_ch] -> U (layout above).
EXPORT(winograd4_pack_filter)
void winograd4_pack_filter(const float *w_all, float *packed, int32_t in_ch, int32_t out_ch) {
  const v128_t quarter = wasm_f32x4_splat(0.25f), minus_sixth = wasm_f32x4_splat(-1.0f / 6.0f);
  const v128_t sixth = wasm_f32x4_splat(1.0f / 6.0f), twelfth = wasm_f32x4_splat(1.0f / 12.0f);
  const v128_t twenty_fourth = wasm_f32x4_splat(1.0f / 24.0f);
  FOR_EACH_FILTER_VECTOR(FILTER_TRANSFORM)
}

// B^T along one axis: 6 values -> 6, B^T = [[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0],
// [0, 4, -4, -1, 1, 0], [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]].
#define BT6(d0, d1, d2, d3, d4, d5, e0, e1, e2, e3, e4, e5) \
  {                                                         \
    const v128_t x0 = (d0), x1 = (d1), x2 = (d2), x3 = (d3), x4 = (d4), x5 = (d5); \
    const v128_t d31 = SUB(x3, x1), d42 = SUB(x4, x2);      \
    e0 = madd(four, x0, madd(minus_five, x2, x4));          \
    e1 = madd(minus_four, ADD(x1, x2), ADD(x3, x4));        \
    e2 = madd(four, SUB(x1, x2), SUB(x4, x3));              \
    e3 = madd(two, d31, d42);                               \
    e4 = madd(minus_two, d31, d42);                         \
    e5 = madd(four, x1, madd(minus_five, x3, x5));          \
  }

// B^T d B of one window for 4 channels at offset ci (or 1, in lane 0, with LOAD1 / STORE1): pixel
// (a, b) of the window at d + a * row + b * col. Rows first into tmp (36 vectors), then columns
// into V[k] + ci, k = 6 * row + column, k_stride floats apart.
#define INPUT_TRANSFORM(LOAD, STORE)                                                    \
  {                                                                                     \
    for (int32_t a = 0; a < 6; a++) {                                                   \
      const float *p = d + a * row + ci;                                                \
      v128_t e0, e1, e2, e3, e4, e5;                                                    \
      BT6(LOAD(p), LOAD(p + col), LOAD(p + 2 * col), LOAD(p + 3 * col), LOAD(p + 4 * col), LOAD(p + 5 * col), \
          e0, e1, e2, e3, e4, e5);                                                      \
      float *o = tmp + 24 * a;                                                          \
      wasm_v128_store(o, e0); wasm_v128_store(o + 4, e1); wasm_v128_store(o + 8, e2);   \
      wasm_v128_store(o + 12, e3); wasm_v128_store(o + 16, e4); wasm_v128_store(o + 20, e5); \
    }                                                                                   \
    for (int32_t b = 0; b < 6; b++) {                                                   \
      const float *q = tmp + 4 * b;                                                     \
      v128_t v0, v1, v2, v3, v4, v5;                                                    \
      BT6(wasm_v128_load(q), wasm_v128_load(q + 24), wasm_v128_load(q + 48), wasm_v128_load(q + 72), \
          wasm_v128_load(q + 96), wasm_v128_load(q + 120), v0, v1, v2, v3, v4, v5);     \
      float *o = v + b * k_stride + ci;                                                 \
      STORE(o, v0); STORE(o + 6 * k_stride, v1); STORE(o + 12 * k_stride, v2);          \
      STORE(o + 18 * k_stride, v3); STORE(o + 24 * k_stride, v4); STORE(o + 30 * k_stride, v5); \
    }                                                                                   \
  }

#define LOAD1(p) wasm_v128_load32_zero(p)
#define STORE1(p, value) wasm_v128_store32_lane(p, value, 0)

// Transforms the window at d (pixels row / col floats apart) into V (v points at the tile's row of V[0]).
INLINE void input_tile(const float *d, int32_t row, int32_t col, float *v, float *tmp, int32_t k_stride, int32_t in_ch) {
  const v128_t four = wasm_f32x4_splat(4.0f), minus_four = wasm_f32x4_splat(-4.0f), minus_five = wasm_f32x4_splat(-5.0f);
  const v128_t two = wasm_f32x4_splat(2.0f), minus_two = wasm_f32x4_splat(-2.0f);
  int32_t ci = 0;
  for (; ci + 4 <= in_ch; ci += 4) INPUT_TRANSFORM(wasm_v128_load, wasm_v128_store)
  for (; ci < in_ch; ci++) INPUT_TRANSFORM(LOAD1, STORE1)
}

// Copies the 6x6 window at rows r.., columns c.. of image x (zeros outside it) into `window`,
// pixels in_ch floats apart: border tiles then run the same transform as inner ones.
INLINE void stage_window(const float *image, int32_t r, int32_t c, int32_t height, int32_t width, int32_t in_ch, float *window) {
  for (int32_t a = 0; a < 6; a++) {
    for (int32_t b = 0; b < 6; b++) {
      float *o = window + (6 * a + b) * in_ch;
      const int32_t inside = (uint32_t)(r + a) < (uint32_t)height && (uint32_t)(c + b) < (uint32_t)width;
      const float *p = image + ((r + a) * width + c + b) * in_ch;
      int32_t ci = 0;
      if (inside) {
        for (; ci + 4 <= in_ch; ci += 4) wasm_v128_store(o + ci, wasm_v128_load(p + ci));
        for (; ci < in_ch; ci++) o[ci] = p[ci];
      } else {
        for (; ci + 4 <= in_ch; ci += 4) wasm_v128_store(o + ci, wasm_f32x4_splat(0.0f));
        for (; ci < in_ch; ci++) o[ci] = 0.0f;
      }
    }
  }
}

// A^T along one axis: 6 values -> 4, A^T = [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0],
// [0, 1, -1, 8, -8, 1]].
#define AT6(m0, m1, m2, m3, m4, m5, y0, y1, y2, y3)              \
  {                                                              \
    const v128_t x1 = (m1), x2 = (m2), x3 = (m3), x4 = (m4);     \
    const v128_t s12 = ADD(x1, x2), d12 = SUB(x1, x2);           \
    const v128_t s34 = ADD(x3, x4), d34 = SUB(x3, x4);           \
    y0 = ADD(ADD(m0, s12), s34);                                 \
    y1 = madd(two, d34, d12);                                    \
    y2 = madd(four, s34, s12);                                   \
    y3 = ADD(madd(eight, d34, d12), m5);                         \
  }

// A^T m A of one tile for out channels co..co+lanes (lanes <= 4), written to its rows x columns
// (<= 4 x 4) output pixels: m points at M[0] + tile row + co, y00 at output pixel (4 ti, 4 tj) + co,
// tmp at 24 vectors of scratch.
INLINE void output_vector(const float *m, int32_t k_stride, float *y00, int32_t row_stride, int32_t out_ch, int32_t lanes, int32_t rows,
                          int32_t columns, float *tmp) {
  const v128_t two = wasm_f32x4_splat(2.0f), four = wasm_f32x4_splat(4.0f), eight = wasm_f32x4_splat(8.0f);
  // rows of m first: s[a][j] = (m[a][.] A)[j]
  for (int32_t a = 0; a < 6; a++) {
    const float *p = m + 6 * a * k_stride;
    v128_t s0, s1, s2, s3;
    AT6(wasm_v128_load(p), wasm_v128_load(p + k_stride), wasm_v128_load(p + 2 * k_stride), wasm_v128_load(p + 3 * k_stride),
        wasm_v128_load(p + 4 * k_stride), wasm_v128_load(p + 5 * k_stride), s0, s1, s2, s3);
    float *o = tmp + 16 * a;
    wasm_v128_store(o, s0); wasm_v128_store(o + 4, s1); wasm_v128_store(o + 8, s2); wasm_v128_store(o + 12, s3);
  }
  // then columns: y[.][j] = A^T s[.][j]
  for (int32_t j = 0; j < columns; j++) {
    const float *q = tmp + 4 * j;
    v128_t y0, y1, y2, y3;
    AT6(wasm_v128_load(q), wasm_v128_load(q + 16), wasm_v128_load(q + 32), wasm_v128_load(q + 48), wasm_v128_load(q + 64),
        wasm_v128_load(q + 80), y0, y1, y2, y3);
    float *o = y00 + j * out_ch;
    store_lanes(o, y0, lanes);
    if (rows > 1) store_lanes(o + row_stride, y1, lanes);
    if (rows > 2) store_lanes(o + 2 * row_stride, y2, lanes);
    if (rows > 3) store_lanes(o + 3 * row_stride, y3, lanes);
  }
}

EXPORT(winograd4_conv2d)
void winograd4_conv2d(const float *x, const float *packed, float *y, float *scratch, int32_t n_begin, int32_t n_end, int32_t height,
                      int32_t width, int32_t in_ch, int32_t out_height, int32_t out_width, int32_t out_ch, int32_t top, int32_t left) {
  const int32_t tiles_h = (out_height + 3) / 4, tiles_w = (out_width + 3) / 4, per_image = tiles_h * tiles_w;
  const int32_t total = (n_end - n_begin) * per_image;
  const int32_t chunk = chunk_tiles(PLANES, in_ch, out_ch);
  const int32_t m_ch = 8 * blocks_of(out_ch);
  float *tmp = scratch;
  float *window = tmp + 36 * 4;
  const int32_t v_stride = plane_stride(chunk * in_ch), m_stride = plane_stride(chunk * m_ch); // between k
  float *v = window + window_floats(in_ch);
  float *m = v + PLANES * v_stride;
  const int32_t image_size = height * width * in_ch, out_size = out_height * out_width * out_ch, row = width * in_ch;

  for (int32_t g0 = 0; g0 < total; g0 += chunk) {
    const int32_t count = total - g0 < chunk ? total - g0 : chunk;

    tile_position p = locate(g0, n_begin, tiles_w, per_image);
    for (int32_t t = 0; t < count; t++, advance(&p, tiles_h, tiles_w)) {
      // Window rows r..r+5, columns c..c+5 of image p.n, read in place when it lies inside the image.
      const int32_t r = 4 * p.ti - top, c = 4 * p.tj - left;
      const float *image = x + p.n * image_size;
      if (r >= 0 && c >= 0 && r + 6 <= height && c + 6 <= width) {
        input_tile(image + r * row + c * in_ch, row, in_ch, v + t * in_ch, tmp, v_stride, in_ch);
      } else {
        stage_window(image, r, c, height, width, in_ch, window);
        input_tile(window, 6 * in_ch, in_ch, v + t * in_ch, tmp, v_stride, in_ch);
      }
    }

    gemm_planes(v, v_stride, packed, m, m_stride, PLANES, count, in_ch, out_ch);

    p = locate(g0, n_begin, tiles_w, per_image);
    for (int32_t t = 0; t < count; t++, advance(&p, tiles_h, tiles_w)) {
      const int32_t i = 4 * p.ti, j = 4 * p.tj;
      const int32_t rows = out_height - i < 4 ? out_height - i : 4, columns = out_width - j < 4 ? out_width - j : 4;
      float *yt = y + p.n * out_size + (i * out_width + j) * out_ch;
      const float *mt = m + t * m_ch;
      const int32_t row_stride = out_width * out_ch;
      int32_t co = 0;
      for (; co + 4 <= out_ch; co += 4) output_vector(mt + co, m_stride, yt + co, row_stride, out_ch, 4, rows, columns, tmp);
      if (co < out_ch) output_vector(mt + co, m_stride, yt + co, row_stride, out_ch, out_ch - co, rows, columns, tmp);
    }
  }
}
