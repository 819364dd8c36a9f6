// Conv2D forward (NHWC, dilation 1) straight from x on TF.js's heap, for our wasm Conv2D kernel:
//   y[n, i, j, co] = sum_{a, b, ci} x[n, i*stride_h + a - top, j*stride_w + b - left, ci] * w[a, b, ci, co]
// XNNPACK's wasm convolution runs at about half the speed of this register-tiled loop on V8.
// The filter is first packed into blocks of 8 output channels, [block][a][b][ci][8] (zero padded),
// so a tile reads its 8 weights as two vectors. A tile is 4 neighbouring output positions of one
// row x 8 output channels (8 accumulators). Each image is first copied into a zero-bordered
// scratch image, so no window crosses a border and no loop tests a bound. A call computes the
// images [n_begin, n_end): threads take disjoint image ranges, every output is summed in one
// fixed order (bit-identical for any split). The input gradient (below) runs the same tiles.
// No data segments, no shadow stack: writes only `packed`, the scratch and the output (checked by
// own-kernels.test.ts).
#include "simd.h"

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

// One image's convolution over a grid of output positions (i, j). Input: the window of (i, j)
// starts at row i*stride_h + row_offset, column j*stride_w + col_offset of `image` (padded, so
// every window is inside). Output: position (i, j) is stored at y + y_base + i*y_row + j*y_col, so
// the input gradient's stride phases can write straight into dx (y_col = stride * channels).
typedef struct {
  const float *image;
  int32_t image_width; // row length of `image` in pixels
  int32_t row_offset, col_offset;
  float *y;
  int32_t y_base, y_row, y_col;
  int32_t in_ch, out_ch, filter_h, filter_w, stride_h, stride_w;
} problem;

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
    const float *x_row = p->image + ((i * p->stride_h + a + p->row_offset) * p->image_width + j * p->stride_w + p->col_offset) * ci_count;
    const float *w = wp + a * p->filter_w * ci_count * 8;
    // The taps b of one row are consecutive in both the padded image and the packed filter.
    const int32_t length = p->filter_w * ci_count;
    const float *xp = x_row;
    for (int32_t k = 0; k < length; k++, w += 8, xp++) {
      const v128_t w0 = wasm_v128_load(w);
      const v128_t w1 = NO > 1 ? wasm_v128_load(w + 4) : w0;
      v128_t s = wasm_v128_load32_splat(xp);
      c00 = madd(s, w0, c00);
      if (NO > 1) c01 = madd(s, w1, c01);
      if (R > 1) {
        s = wasm_v128_load32_splat(xp + step);
        c10 = madd(s, w0, c10);
        if (NO > 1) c11 = madd(s, w1, c11);
        s = wasm_v128_load32_splat(xp + 2 * step);
        c20 = madd(s, w0, c20);
        if (NO > 1) c21 = madd(s, w1, c21);
        s = wasm_v128_load32_splat(xp + 3 * step);
        c30 = madd(s, w0, c30);
        if (NO > 1) c31 = madd(s, w1, c31);
      }
    }
  }
  const int32_t valid = p->out_ch - co < 8 ? p->out_ch - co : 8;
  float *y = p->y + p->y_base + i * p->y_row + j * p->y_col + co;
  store(y, c00, c01, valid);
  if (R > 1) {
    store(y + p->y_col, c10, c11, valid);
    store(y + 2 * p->y_col, c20, c21, valid);
    store(y + 3 * p->y_col, c30, c31, valid);
  }
}

// Output positions [i0, i1) x [j0, j1) of one block of 8 (NO = 2) or 4 output channels.
INLINE void grid(const problem *p, const float *wp, int32_t i0, int32_t i1, int32_t j0, int32_t j1, int32_t co, int32_t NO) {
  for (int32_t i = i0; i < i1; i++) {
    int32_t j = j0;
    for (; j + 4 <= j1; j += 4) tile(p, wp, i, j, co, 4, NO);
    for (; j < j1; j++) tile(p, wp, i, j, co, 1, NO);
  }
}

// Every output-channel block of the grid; `packed` holds the blocks one after another.
INLINE void all_blocks(const problem *p, const float *packed, int32_t i0, int32_t i1, int32_t j0, int32_t j1) {
  const int32_t block_size = p->filter_h * p->filter_w * p->in_ch * 8;
  for (int32_t co = 0; co < p->out_ch; co += 8) {
    const float *wp = packed + (co / 8) * block_size;
    if (p->out_ch - co > 4) grid(p, wp, i0, i1, j0, j1, co, 2);
    else grid(p, wp, i0, i1, j0, j1, co, 1);
  }
}

static void zero_floats(float *target, int32_t count) {
  int32_t k = 0;
  for (; k + 4 <= count; k += 4) wasm_v128_store(target + k, wasm_f32x4_splat(0.0f));
  for (; k < count; k++) target[k] = 0.0f;
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
  if (scratch) zero_floats(scratch, padded_h * padded_w * in_ch);
  for (int32_t n = n_begin; n < n_end; n++) {
    const float *image = x + n * height * width * in_ch;
    if (scratch) pad_image(image, scratch, height, width, in_ch, padded_h, padded_w, top, left);
    const problem p = {scratch ? scratch : image, scratch ? padded_w : width, 0, 0, y + n * out_height * out_width * out_ch, 0,
                       out_width * out_ch, out_ch, in_ch, out_ch, filter_h, filter_w, 1 * stride_h, stride_w};
    all_blocks(&p, packed, 0, out_height, 0, out_width);
  }
}

// ---- The input gradient (Conv2DBackpropInput), every stride phase straight into dx ----
//
// With p = y + top: dx[y] = sum over taps a = p (mod s) of dy[(p - a)/s] * w[a]. The taps of one
// phase rho = p mod s are a = rho + s*m, m < taps = ceil((filter - rho)/s); phase row q = p div s
// is a stride-1 convolution of dy (padded by taps - 1 on top) with that sub-filter flipped and
// its channel axes swapped, and lands on dx row q*s + rho - top. dy is padded once per image
// (by the largest phase's taps - 1), each phase reads it at its own offset, and writes its rows
// and columns of dx in place (no phase results, no interleave pass, no zero fill but the phases
// with no taps). See conv2d-backprop-input.ts.

INLINE int32_t taps_on_phase(int32_t size, int32_t phase, int32_t stride) {
  return size > phase ? (size - phase + stride - 1) / stride : 0;
}

// Floats of one phase's packed sub-filter (blocks of 8 dx channels, zero padded).
INLINE int32_t phase_packed_floats(int32_t taps_high, int32_t taps_wide, int32_t dy_ch, int32_t dx_ch) {
  return ((dx_ch + 7) / 8) * 8 * taps_high * taps_wide * dy_ch;
}

// Every phase's sub-filter, phases in row-major order, each packed for conv2d's tiles:
// packed[block][m][k][co][8] = w[rho_h + stride_h*(taps_high-1-m), rho_w + stride_w*(taps_wide-1-k), block*8 + lane, co].
// w is [filter_h, filter_w, dx_ch, dy_ch]; `packed` holds conv2d_backprop_input_packed_floats floats.
EXPORT(conv2d_backprop_input_pack)
void conv2d_backprop_input_pack(const float *w, float *packed, int32_t filter_h, int32_t filter_w, int32_t dx_ch, int32_t dy_ch,
                                int32_t stride_h, int32_t stride_w) {
  for (int32_t rho_h = 0; rho_h < stride_h; rho_h++) {
    const int32_t taps_high = taps_on_phase(filter_h, rho_h, stride_h);
    for (int32_t rho_w = 0; rho_w < stride_w; rho_w++) {
      const int32_t taps_wide = taps_on_phase(filter_w, rho_w, stride_w);
      const int32_t taps_in = taps_high * taps_wide * dy_ch;
      for (int32_t block = 0; block * 8 < dx_ch; block++) {
        float *target = packed + block * taps_in * 8;
        for (int32_t m = 0; m < taps_high; m++) {
          const int32_t a = rho_h + stride_h * (taps_high - 1 - m);
          for (int32_t k = 0; k < taps_wide; k++) {
            const int32_t b = rho_w + stride_w * (taps_wide - 1 - k);
            const float *source = w + (a * filter_w + b) * dx_ch * dy_ch;
            for (int32_t co = 0; co < dy_ch; co++, target += 8) {
              for (int32_t lane = 0; lane < 8; lane++) {
                const int32_t ci = block * 8 + lane;
                target[lane] = ci < dx_ch ? source[ci * dy_ch + co] : 0.0f;
              }
            }
          }
        }
      }
      packed += phase_packed_floats(taps_high, taps_wide, dy_ch, dx_ch);
    }
  }
}

EXPORT(conv2d_backprop_input_packed_floats)
int32_t conv2d_backprop_input_packed_floats(int32_t filter_h, int32_t filter_w, int32_t dx_ch, int32_t dy_ch, int32_t stride_h, int32_t stride_w) {
  int32_t total = 0;
  for (int32_t rho_h = 0; rho_h < stride_h; rho_h++) {
    for (int32_t rho_w = 0; rho_w < stride_w; rho_w++) {
      total += phase_packed_floats(taps_on_phase(filter_h, rho_h, stride_h), taps_on_phase(filter_w, rho_w, stride_w), dy_ch, dx_ch);
    }
  }
  return total;
}

// Phase rows q (columns alike) cover dx rows y = q*stride + rho - top in [0, height).
INLINE int32_t phase_first(int32_t rho, int32_t stride, int32_t top) {
  return top - rho > 0 ? (top - rho + stride - 1) / stride : 0;
}
INLINE int32_t phase_end(int32_t rho, int32_t stride, int32_t top, int32_t height) {
  const int32_t last = height - 1 + top - rho;
  return last >= 0 ? last / stride + 1 : 0;
}

// Writes zeros at the dx positions of a phase that no tap reaches.
static void zero_phase(float *dx, int32_t height, int32_t width, int32_t ch, int32_t stride_h, int32_t stride_w, int32_t rho_h, int32_t rho_w,
                       int32_t top, int32_t left) {
  const int32_t q0 = phase_first(rho_h, stride_h, top), q1 = phase_end(rho_h, stride_h, top, height);
  const int32_t r0 = phase_first(rho_w, stride_w, left), r1 = phase_end(rho_w, stride_w, left, width);
  for (int32_t q = q0; q < q1; q++) {
    for (int32_t r = r0; r < r1; r++) zero_floats(dx + ((q * stride_h + rho_h - top) * width + r * stride_w + rho_w - left) * ch, ch);
  }
}

// `scratch` holds one padded dy image of (pad_h + rows) x (pad_w + columns) x dy_ch floats, where
// pad = taps of phase 0 - 1 and rows/columns = the phase grid (ceil((top + height)/stride)).
EXPORT(conv2d_backprop_input)
void conv2d_backprop_input(const float *dy, const float *packed, float *dx, float *scratch, int32_t n_begin, int32_t n_end, int32_t height,
                           int32_t width, int32_t dx_ch, int32_t out_height, int32_t out_width, int32_t dy_ch, int32_t filter_h,
                           int32_t filter_w, int32_t stride_h, int32_t stride_w, int32_t top, int32_t left) {
  const int32_t pad_h = taps_on_phase(filter_h, 0, stride_h) - 1, pad_w = taps_on_phase(filter_w, 0, stride_w) - 1;
  const int32_t rows = (top + height + stride_h - 1) / stride_h, columns = (left + width + stride_w - 1) / stride_w;
  const int32_t padded_h = pad_h + rows, padded_w = pad_w + columns;
  zero_floats(scratch, padded_h * padded_w * dy_ch);
  for (int32_t n = n_begin; n < n_end; n++) {
    // pad_image drops dy rows and columns past the phase grid: no phase reads them (they met only padding)
    pad_image(dy + n * out_height * out_width * dy_ch, scratch, out_height, out_width, dy_ch, padded_h, padded_w, pad_h, pad_w);
    float *dx_image = dx + n * height * width * dx_ch;
    const float *phase_packed = packed;
    for (int32_t rho_h = 0; rho_h < stride_h; rho_h++) {
      const int32_t taps_high = taps_on_phase(filter_h, rho_h, stride_h);
      for (int32_t rho_w = 0; rho_w < stride_w; rho_w++) {
        const int32_t taps_wide = taps_on_phase(filter_w, rho_w, stride_w);
        if (taps_high == 0 || taps_wide == 0) {
          zero_phase(dx_image, height, width, dx_ch, stride_h, stride_w, rho_h, rho_w, top, left);
          continue;
        }
        const problem p = {scratch, padded_w, pad_h - (taps_high - 1), pad_w - (taps_wide - 1), dx_image,
                           (rho_h - top) * width * dx_ch + (rho_w - left) * dx_ch, stride_h * width * dx_ch, stride_w * dx_ch,
                           dy_ch, dx_ch, taps_high, taps_wide, 1, 1};
        all_blocks(&p, phase_packed, phase_first(rho_h, stride_h, top), phase_end(rho_h, stride_h, top, height),
                   phase_first(rho_w, stride_w, left), phase_end(rho_w, stride_w, left, width));
        phase_packed += phase_packed_floats(taps_high, taps_wide, dy_ch, dx_ch);
      }
    }
  }
}

// The input gradient of a stride-1 convolution is a convolution of dy with the filter flipped in
// both spatial axes and its channel axes swapped: out[m, k, co, ci] = w[filter_h-1-m, filter_w-1-k, ci, co]
// (w [filter_h, filter_w, in_ch, out_ch] → out [filter_h, filter_w, out_ch, in_ch]), for the
// Winograd route of conv2d-backprop-input.ts.
EXPORT(conv2d_flip_filter)
void conv2d_flip_filter(const float *w, float *out, int32_t filter_h, int32_t filter_w, int32_t in_ch, int32_t out_ch) {
  for (int32_t m = 0; m < filter_h; m++) {
    for (int32_t k = 0; k < filter_w; k++) {
      const float *source = w + ((filter_h - 1 - m) * filter_w + (filter_w - 1 - k)) * in_ch * out_ch;
      float *target = out + (m * filter_w + k) * out_ch * in_ch;
      for (int32_t co = 0; co < out_ch; co++) {
        for (int32_t ci = 0; ci < in_ch; ci++) target[co * in_ch + ci] = source[ci * out_ch + co];
      }
    }
  }
}
