// Layout changes for the wasm Conv2DBackpropFilter, run on TF.js's own heap: this module imports
// the wasm backend's memory and gets byte offsets of its tensors. TF.js's Transpose kernel does
// these at ~8 ns per element (a generic index loop); here they are 4x4 SIMD block transposes and
// contiguous row copies. No data segments and no shadow stack: the module never writes memory
// it was not given (checked by layout-kernels.test.ts). Built by scripts/build-wasm.mjs.
#include "simd.h"

// [N, P, C] -> [C, P, N] (P = H*W): dst[(c*P + p)*N + n] = src[(n*P + p)*C + c].
EXPORT(transpose_batch_to_channels)
void transpose_batch_to_channels(const float *src, float *dst, int32_t n_count, int32_t p_count, int32_t c_count) {
  const int32_t src_n_stride = p_count * c_count;
  const int32_t dst_c_stride = p_count * n_count;
  for (int32_t p = 0; p < p_count; p++) {
    const float *s = src + p * c_count;
    float *d = dst + p * n_count;
    int32_t n = 0;
    for (; n + 4 <= n_count; n += 4) {
      const float *s0 = s + n * src_n_stride;
      const float *s1 = s0 + src_n_stride;
      const float *s2 = s1 + src_n_stride;
      const float *s3 = s2 + src_n_stride;
      int32_t c = 0;
      for (; c + 4 <= c_count; c += 4) {
        const v128_t r0 = wasm_v128_load(s0 + c);
        const v128_t r1 = wasm_v128_load(s1 + c);
        const v128_t r2 = wasm_v128_load(s2 + c);
        const v128_t r3 = wasm_v128_load(s3 + c);
        const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5);
        const v128_t t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
        const v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
        const v128_t t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
        wasm_v128_store(d + (c + 0) * dst_c_stride + n, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
        wasm_v128_store(d + (c + 1) * dst_c_stride + n, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
        wasm_v128_store(d + (c + 2) * dst_c_stride + n, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
        wasm_v128_store(d + (c + 3) * dst_c_stride + n, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
      }
      for (; c < c_count; c++) {
        float *row = d + c * dst_c_stride + n;
        row[0] = s0[c];
        row[1] = s1[c];
        row[2] = s2[c];
        row[3] = s3[c];
      }
    }
    for (; n < n_count; n++) {
      const float *row = s + n * src_n_stride;
      for (int32_t c = 0; c < c_count; c++) d[c * dst_c_stride + n] = row[c];
    }
  }
}

// [N, P, C] -> [P, N, C]: dst[(p*N + n)*C + c] = src[(n*P + p)*C + c], rows of C copied whole.
EXPORT(move_batch_inward)
void move_batch_inward(const float *src, float *dst, int32_t n_count, int32_t p_count, int32_t c_count) {
  for (int32_t n = 0; n < n_count; n++) {
    for (int32_t p = 0; p < p_count; p++) {
      const float *s = src + (n * p_count + p) * c_count;
      float *d = dst + (p * n_count + n) * c_count;
      int32_t c = 0;
      for (; c + 4 <= c_count; c += 4) wasm_v128_store(d + c, wasm_v128_load(s + c));
      for (; c < c_count; c++) d[c] = s[c];
    }
  }
}

// Sub-pixel Conv2DBackpropInput: writes one stride phase's result src [N, rows, cols, C] into
// dst [N, H, W, C] at y = q*stride_h + row_phase - top, x = r*stride_w + col_phase - left
// (positions outside dst are skipped).
EXPORT(interleave_phase)
void interleave_phase(const float *src, float *dst, int32_t n_count, int32_t rows, int32_t cols, int32_t c_count, int32_t height,
                      int32_t width, int32_t stride_h, int32_t stride_w, int32_t row_phase, int32_t col_phase, int32_t top, int32_t left) {
  for (int32_t n = 0; n < n_count; n++) {
    for (int32_t q = 0; q < rows; q++) {
      const int32_t y = q * stride_h + row_phase - top;
      if (y < 0 || y >= height) continue;
      const float *source_row = src + ((n * rows + q) * cols) * c_count;
      float *target_row = dst + ((n * height + y) * width) * c_count;
      for (int32_t r = 0; r < cols; r++) {
        const int32_t x = r * stride_w + col_phase - left;
        if (x < 0 || x >= width) continue;
        const float *s = source_row + r * c_count;
        float *d = target_row + x * c_count;
        int32_t c = 0;
        for (; c + 4 <= c_count; c += 4) wasm_v128_store(d + c, wasm_v128_load(s + c));
        for (; c < c_count; c++) d[c] = s[c];
      }
    }
  }
}
