// Batch norm in training mode over x [M, C] (M = N*H*W), both halves of core's batchNormTraining
// on wasm, run on TF.js's heap in place (see layout-kernels.c). Per-channel sums are taken in
// double in `scratch` (2*C doubles the caller allocates), so one pass gives a stable mean and
// variance; the elementwise passes are SIMD. Replaces ~5 forward and ~6 backward full-size
// elementwise kernels, which TF.js's wasm backend runs single-threaded.
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

// y = x*scale + shift per channel, SIMD over channels.
static void affine(const float *x, const float *scale, const float *shift, float *y, int32_t m_count, int32_t c_count) {
  for (int32_t m = 0; m < m_count; m++) {
    const float *row = x + m * c_count;
    float *out = y + m * c_count;
    int32_t c = 0;
    for (; c + 4 <= c_count; c += 4) {
      wasm_v128_store(out + c, wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(row + c), wasm_v128_load(scale + c)), wasm_v128_load(shift + c)));
    }
    for (; c < c_count; c++) out[c] = row[c] * scale[c] + shift[c];
  }
}

// mean = Σx/M; variance = Σx²/M − mean² (biased); rstd = 1/sqrt(variance + epsilon);
// y = (x − mean)·rstd·gamma + beta.
EXPORT(batch_norm_forward)
void batch_norm_forward(const float *x, const float *gamma, const float *beta, float *y, float *mean, float *variance, float *rstd,
                        double *scratch, int32_t m_count, int32_t c_count, float epsilon) {
  double *sum = scratch;
  double *square = scratch + c_count;
  for (int32_t c = 0; c < c_count; c++) sum[c] = square[c] = 0.0;
  for (int32_t m = 0; m < m_count; m++) {
    const float *row = x + m * c_count;
    for (int32_t c = 0; c < c_count; c++) {
      const double value = row[c];
      sum[c] += value;
      square[c] += value * value;
    }
  }
  for (int32_t c = 0; c < c_count; c++) {
    const double mu = sum[c] / m_count;
    double var = square[c] / m_count - mu * mu;
    if (var < 0.0) var = 0.0;
    mean[c] = (float)mu;
    variance[c] = (float)var;
    rstd[c] = (float)(1.0 / __builtin_sqrt(var + (double)epsilon));
  }
  // The doubles are used up: the same scratch holds scale and shift as floats.
  float *scale = (float *)scratch;
  float *shift = scale + c_count;
  for (int32_t c = 0; c < c_count; c++) {
    scale[c] = rstd[c] * gamma[c];
    shift[c] = beta[c] - mean[c] * scale[c];
  }
  affine(x, scale, shift, y, m_count, c_count);
}

// dbeta = Σdy; dgamma = Σdy·x̂ = rstd·(Σdy·x − mean·Σdy);
// dx = gamma·rstd/M·(M·dy − dbeta − x̂·dgamma) = k1·dy + k2·x + k3 with
// k1 = gamma·rstd, k2 = −gamma·rstd²·dgamma/M, k3 = gamma·rstd·(rstd·mean·dgamma − dbeta)/M.
EXPORT(batch_norm_backward)
void batch_norm_backward(const float *dy, const float *x, const float *gamma, const float *mean, const float *rstd, float *dx, float *dgamma,
                         float *dbeta, double *scratch, int32_t m_count, int32_t c_count) {
  double *sum_dy = scratch;
  double *sum_dy_x = scratch + c_count;
  for (int32_t c = 0; c < c_count; c++) sum_dy[c] = sum_dy_x[c] = 0.0;
  for (int32_t m = 0; m < m_count; m++) {
    const float *g = dy + m * c_count;
    const float *row = x + m * c_count;
    for (int32_t c = 0; c < c_count; c++) {
      const double value = g[c];
      sum_dy[c] += value;
      sum_dy_x[c] += value * row[c];
    }
  }
  for (int32_t c = 0; c < c_count; c++) {
    dbeta[c] = (float)sum_dy[c];
    dgamma[c] = (float)(rstd[c] * (sum_dy_x[c] - mean[c] * sum_dy[c]));
  }
  float *k1 = (float *)scratch;
  float *k2 = k1 + c_count;
  float *k3 = k2 + c_count;
  const float inverse_m = 1.0f / (float)m_count;
  for (int32_t c = 0; c < c_count; c++) {
    const float a = gamma[c] * rstd[c];
    k1[c] = a;
    k2[c] = -a * rstd[c] * dgamma[c] * inverse_m;
    k3[c] = a * (rstd[c] * mean[c] * dgamma[c] - dbeta[c]) * inverse_m;
  }
  for (int32_t m = 0; m < m_count; m++) {
    const float *g = dy + m * c_count;
    const float *row = x + m * c_count;
    float *out = dx + m * c_count;
    int32_t c = 0;
    for (; c + 4 <= c_count; c += 4) {
      const v128_t term = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(g + c), wasm_v128_load(k1 + c)), wasm_f32x4_mul(wasm_v128_load(row + c), wasm_v128_load(k2 + c)));
      wasm_v128_store(out + c, wasm_f32x4_add(term, wasm_v128_load(k3 + c)));
    }
    for (; c < c_count; c++) out[c] = g[c] * k1[c] + row[c] * k2[c] + k3[c];
  }
}
