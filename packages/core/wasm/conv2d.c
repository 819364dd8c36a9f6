// Conv2D forward (NHWC, dilation 1) straight from x on TF.js's heap, for our wasm Conv2D kernel:
//   y[n, i, j, co] = sum_{a, b, ci} x[n, i*stride_h + a - top, j*stride_w + b - left, ci] * w[a, b, ci, co]
// XNNPACK's wasm convolution runs at about half the speed of this register-tiled loop on V8.
// The filter is first packed into blocks of 8 output channels, [block][a][b][ci][8] (zero padded),
// so a tile reads its 8 weights as two vectors. A tile is 4 neighbouring output positions of one
// row x 8 output channels (8 accumulators); positions whose window crosses the left or right
// border run one at a time with the taps clipped, rows clip their taps per output row, so no
// loop tests a bound per element. A call computes the images [n_begin, n_end): threads take
// disjoint image ranges, every output is summed in one fixed order (bit-identical for any split).
// No data segments, no shadow stack: writes only `packed` and y (checked by own-kernels.test.ts).
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define INLINE static inline __attribute__((always_inline))

// w [taps_in = kh*kw*ci, out_ch] -> packed [ceil(out_ch/8)][taps_in][8], zeros past out_ch.
EXPORT(conv2d_pack_filter)
void conv2d_pack_filter(const float *w, float *packed, int32_t taps_in, int32_t out_ch) {
  const int32_t blocks = (out_ch + 7) / 8;
  for (int32_t block = 0; block < blocks; block++) {
    const int32_t co = block * 8;
    const int32_t valid = out_ch - co < 8 ? out_ch - co : 8;
    float *target = packed + block * taps_in * 8;
    for (int32_t t = 0; t < taps_in; t++) {
      const float *source = w + t * out_ch + co;
      for (int32_t k = 0; k < 8; k++) target[t * 8 + k] = k < valid ? source[k] : 0.0f;
    }
  }
}

typedef struct {
  const float *image; // one input image, already padded: row r, column c of the window grid
  int32_t image_width; // its row length in pixels
  float *y;           // the output image
  int32_t in_ch, out_width, out_ch, filter_h, filter_w, stride_h, stride_w;
} problem;

// Stores the first `count` (0..4) lanes of v at y (lane indices must be constants, hence the switch).
INLINE void store_lanes(float *y, v128_t v, int32_t count) {
  switch (count) {
    case 4: wasm_v128_store(y, v); break;
    case 3: wasm_v128_store64_lane(y, v, 0); wasm_v128_store32_lane(y + 2, v, 2); break;
    case 2: wasm_v128_store64_lane(y, v, 0); break;
    case 1: wasm_v128_store32_lane(y, v, 0); break;
    default: break;
  }
}

// Stores the first `valid` (1..8) channels of a tile row at y.
INLINE void store(float *y, v128_t low, v128_t high, int32_t valid) {
  if (valid >= 8) {
    wasm_v128_store(y, low);
    wasm_v128_store(y + 4, high);
    return;
  }
  store_lanes(y, low, valid < 4 ? valid : 4);
  store_lanes(y + 4, high, valid - 4 > 0 ? valid - 4 : 0);
}

// R (1 or 4) neighbouring positions j.. of output row i, channels co..co+8 (NO = 2) or co..co+4.
INLINE void tile(const problem *p, const float *wp, int32_t i, int32_t j, int32_t co, int32_t R, int32_t NO) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
  const int32_t ci_count = p->in_ch, step = p->stride_w * ci_count;
  for (int32_t a = 0; a < p->filter_h; a++) {
    const float *x_row = p->image + ((i * p->stride_h + a) * p->image_width + j * p->stride_w) * ci_count;
    const float *w = wp + a * p->filter_w * ci_count * 8;
    // The taps b of one row are consecutive in both the padded image and the packed filter.
    const int32_t length = p->filter_w * ci_count;
    const float *xp = x_row;
    for (int32_t k = 0; k < length; k++, w += 8, xp++) {
      const v128_t w0 = wasm_v128_load(w);
      const v128_t w1 = NO > 1 ? wasm_v128_load(w + 4) : w0;
      v128_t s = wasm_v128_load32_splat(xp);
      c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(s, w0));
      if (NO > 1) c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(s, w1));
      if (R > 1) {
        s = wasm_v128_load32_splat(xp + step);
        c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(s, w0));
        if (NO > 1) c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(s, w1));
        s = wasm_v128_load32_splat(xp + 2 * step);
        c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(s, w0));
        if (NO > 1) c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(s, w1));
        s = wasm_v128_load32_splat(xp + 3 * step);
        c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(s, w0));
        if (NO > 1) c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(s, w1));
      }
    }
  }
  const int32_t valid = p->out_ch - co < 8 ? p->out_ch - co : 8;
  float *y = p->y + (i * p->out_width + j) * p->out_ch + co;
  store(y, c00, c01, valid);
  if (R > 1) {
    store(y + p->out_ch, c10, c11, valid);
    store(y + 2 * p->out_ch, c20, c21, valid);
    store(y + 3 * p->out_ch, c30, c31, valid);
  }
}

INLINE void rows(const problem *p, const float *wp, int32_t out_height, int32_t co, int32_t NO) {
  for (int32_t i = 0; i < out_height; i++) {
    int32_t j = 0;
    for (; j + 4 <= p->out_width; j += 4) tile(p, wp, i, j, co, 4, NO);
    for (; j < p->out_width; j++) tile(p, wp, i, j, co, 1, NO);
  }
}

// Copies image n of x into the padded image (whose border the caller zeroed once): x row r lands
// on padded row r + top; rows and columns past the padded size are never read by the conv.
static void pad_image(const float *x, float *padded, int32_t height, int32_t width, int32_t ch, int32_t padded_h, int32_t padded_w,
                      int32_t top, int32_t left) {
  const int32_t rows = height < padded_h - top ? height : padded_h - top;
  const int32_t cols = width < padded_w - left ? width : padded_w - left;
  for (int32_t r = 0; r < rows; r++) {
    const float *source = x + r * width * ch;
    float *target = padded + ((r + top) * padded_w + left) * ch;
    int32_t k = 0;
    for (; k + 4 <= cols * ch; k += 4) wasm_v128_store(target + k, wasm_v128_load(source + k));
    for (; k < cols * ch; k++) target[k] = source[k];
  }
}

// `scratch` holds one padded image of padded_h x padded_w pixels ((out-1)*stride + filter), or is
// 0 when no padding is needed (top = left = 0 and x already covers every window): then x is read
// in place.
EXPORT(conv2d_forward)
void conv2d_forward(const float *x, const float *packed, float *y, float *scratch, int32_t n_begin, int32_t n_end, int32_t height,
                    int32_t width, int32_t in_ch, int32_t out_height, int32_t out_width, int32_t out_ch, int32_t filter_h,
                    int32_t filter_w, int32_t stride_h, int32_t stride_w, int32_t top, int32_t left) {
  const int32_t padded_h = (out_height - 1) * stride_h + filter_h;
  const int32_t padded_w = (out_width - 1) * stride_w + filter_w;
  if (scratch) {
    const int32_t size = padded_h * padded_w * in_ch;
    int32_t k = 0;
    for (; k + 4 <= size; k += 4) wasm_v128_store(scratch + k, wasm_f32x4_splat(0.0f));
    for (; k < size; k++) scratch[k] = 0.0f;
  }
  const int32_t block_size = filter_h * filter_w * in_ch * 8;
  for (int32_t n = n_begin; n < n_end; n++) {
    const float *image = x + n * height * width * in_ch;
    if (scratch) pad_image(image, scratch, height, width, in_ch, padded_h, padded_w, top, left);
    const problem p = {scratch ? scratch : image, scratch ? padded_w : width, y + n * out_height * out_width * out_ch,
                       in_ch, out_width, out_ch, filter_h, filter_w, stride_h, stride_w};
    for (int32_t co = 0; co < out_ch; co += 8) {
      const float *wp = packed + (co / 8) * block_size;
      if (out_ch - co > 4) rows(&p, wp, out_height, co, 2);
      else rows(&p, wp, out_height, co, 1);
    }
  }
}

// The sub-filter of one stride phase for the input gradient (conv2d-backprop-input.ts), flipped
// and with its channel axes swapped, as an HWIO filter for conv2d_forward:
//   sub[m, k, co, ci] = w[row_phase + stride_h*(taps_high-1-m), col_phase + stride_w*(taps_wide-1-k), ci, co]
// w is [filter_h, filter_w, in_ch, out_ch]; sub is [taps_high, taps_wide, out_ch, in_ch].
EXPORT(conv2d_phase_filter)
void conv2d_phase_filter(const float *w, float *sub, int32_t filter_w, int32_t in_ch, int32_t out_ch, int32_t row_phase,
                         int32_t col_phase, int32_t stride_h, int32_t stride_w, int32_t taps_high, int32_t taps_wide) {
  for (int32_t m = 0; m < taps_high; m++) {
    const int32_t a = row_phase + stride_h * (taps_high - 1 - m);
    for (int32_t k = 0; k < taps_wide; k++) {
      const int32_t b = col_phase + stride_w * (taps_wide - 1 - k);
      const float *source = w + (a * filter_w + b) * in_ch * out_ch;
      float *target = sub + (m * taps_wide + k) * out_ch * in_ch;
      // target[co][ci] = source[ci][co]: a transpose of one in_ch x out_ch matrix.
      for (int32_t co = 0; co < out_ch; co++) {
        for (int32_t ci = 0; ci < in_ch; ci++) target[co * in_ch + ci] = source[ci * out_ch + co];
      }
    }
  }
}
