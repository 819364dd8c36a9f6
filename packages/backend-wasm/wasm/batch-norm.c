// Batch norm in training mode over x [M, C] (M = N*H*W), both halves of core's batchNormTraining
// on wasm, run on TF.js's heap in place (see layout-kernels.c). Replaces ~5 forward and ~6 backward
// full-size elementwise kernels, which TF.js's wasm backend runs single-threaded.
//
// Each half is two calls that our helper threads split (batch-norm-kernels.ts): per-channel sums
// over a range of channels [c_begin, c_end) (a multiple of 4 apart), then the elementwise pass
// over a range of rows [m_begin, m_end). Splitting the sums by channel keeps every channel's sum
// in one thread, in row order, so results do not depend on the thread count; splitting the
// elementwise pass by rows keeps threads off each other's cache lines. Sums are taken in double
// (f64x2 lanes, held in registers), so one pass gives a stable mean and variance.
//
// `scratch` is 8*C floats the caller allocates: doubles [0, 2C) (as 4C floats) for the sums, then
// floats: forward scale [4C, 5C) and shift [5C, 6C); backward k1, k2, k3 at [4C, 5C, 6C, 7C).
#include "simd.h"

// Lanes 0-1 and 2-3 of a float vector as two double vectors.
#define LOW(v) wasm_f64x2_promote_low_f32x4(v)
#define HIGH(v) wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 0, 1))

// sum[c] = Σ_m a[m, c] and product[c] = Σ_m a[m, c]·b[m, c] (b = a: the sum of squares) for
// c in [c_begin, c_end). Rows go in blocks of ~64 KiB per array, which stay in cache while every
// group of 4 channels sums them in registers and adds the block's sums to memory once: no thread
// writes memory another one uses while it sums, and the order of every sum is fixed by the row
// blocks alone (not by the thread count).
static void channel_sums(const float *a, const float *b, double *sum, double *product, int32_t m_count, int32_t c_count, int32_t c_begin,
                         int32_t c_end) {
  for (int32_t c = c_begin; c < c_end; c++) sum[c] = product[c] = 0.0;
  int32_t block = 16384 / c_count;
  if (block < 1) block = 1;
  for (int32_t m0 = 0; m0 < m_count; m0 += block) {
    const int32_t m1 = m0 + block < m_count ? m0 + block : m_count;
    int32_t c = c_begin;
    for (; c + 4 <= c_end; c += 4) {
      v128_t s0 = wasm_f64x2_splat(0.0), s1 = s0, p0 = s0, p1 = s0;
      const float *ra = a + m0 * c_count + c, *rb = b + m0 * c_count + c;
      for (int32_t m = m0; m < m1; m++, ra += c_count, rb += c_count) {
        const v128_t va = wasm_v128_load(ra), vb = wasm_v128_load(rb);
        const v128_t a0 = LOW(va), a1 = HIGH(va);
        s0 = wasm_f64x2_add(s0, a0);
        s1 = wasm_f64x2_add(s1, a1);
        p0 = wasm_f64x2_add(p0, wasm_f64x2_mul(a0, LOW(vb)));
        p1 = wasm_f64x2_add(p1, wasm_f64x2_mul(a1, HIGH(vb)));
      }
      wasm_v128_store(sum + c, wasm_f64x2_add(wasm_v128_load(sum + c), s0));
      wasm_v128_store(sum + c + 2, wasm_f64x2_add(wasm_v128_load(sum + c + 2), s1));
      wasm_v128_store(product + c, wasm_f64x2_add(wasm_v128_load(product + c), p0));
      wasm_v128_store(product + c + 2, wasm_f64x2_add(wasm_v128_load(product + c + 2), p1));
    }
    for (; c < c_end; c++) {
      double s = 0.0, p = 0.0;
      for (int32_t m = m0; m < m1; m++) {
        const double value = a[m * c_count + c];
        s += value;
        p += value * (double)b[m * c_count + c];
      }
      sum[c] += s;
      product[c] += p;
    }
  }
}

// mean = Σx/M; variance = Σx²/M − mean² (biased); rstd = 1/sqrt(variance + epsilon); and the
// affine form of y = (x − mean)·rstd·gamma + beta: scale = rstd·gamma, shift = beta − mean·scale.
EXPORT(batch_norm_statistics)
void batch_norm_statistics(const float *x, const float *gamma, const float *beta, float *mean, float *variance, float *rstd, float *scratch,
                           int32_t m_count, int32_t c_count, float epsilon, int32_t c_begin, int32_t c_end) {
  double *sum = (double *)scratch;
  double *square = sum + c_count;
  float *scale = scratch + 4 * c_count;
  float *shift = scale + c_count;
  channel_sums(x, x, sum, square, m_count, c_count, c_begin, c_end);
  for (int32_t c = c_begin; c < c_end; c++) {
    const double mu = sum[c] / m_count;
    double var = square[c] / m_count - mu * mu;
    if (var < 0.0) var = 0.0;
    mean[c] = (float)mu;
    variance[c] = (float)var;
    rstd[c] = (float)(1.0 / __builtin_sqrt(var + (double)epsilon));
    scale[c] = rstd[c] * gamma[c];
    shift[c] = beta[c] - mean[c] * scale[c];
  }
}

// y = x·scale + shift for rows [m_begin, m_end), SIMD over channels.
EXPORT(batch_norm_affine)
void batch_norm_affine(const float *x, const float *scratch, float *y, int32_t m_begin, int32_t m_end, int32_t c_count) {
  const float *scale = scratch + 4 * c_count;
  const float *shift = scale + c_count;
  for (int32_t m = m_begin; m < m_end; m++) {
    const float *row = x + m * c_count;
    float *out = y + m * c_count;
    int32_t c = 0;
    for (; c + 4 <= c_count; c += 4) {
      wasm_v128_store(out + c, wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(row + c), wasm_v128_load(scale + c)), wasm_v128_load(shift + c)));
    }
    for (; c < c_count; c++) out[c] = row[c] * scale[c] + shift[c];
  }
}

// dbeta = Σdy; dgamma = Σdy·x̂ = rstd·(Σdy·x − mean·Σdy); and the affine form of
// dx = gamma·rstd/M·(M·dy − dbeta − x̂·dgamma) = k1·dy + k2·x + k3 with
// k1 = gamma·rstd, k2 = −gamma·rstd²·dgamma/M, k3 = gamma·rstd·(rstd·mean·dgamma − dbeta)/M.
EXPORT(batch_norm_gradient_sums)
void batch_norm_gradient_sums(const float *dy, const float *x, const float *gamma, const float *mean, const float *rstd, float *dgamma, float *dbeta,
                              float *scratch, int32_t m_count, int32_t c_count, int32_t c_begin, int32_t c_end) {
  double *sum_dy = (double *)scratch;
  double *sum_dy_x = sum_dy + c_count;
  float *k1 = scratch + 4 * c_count;
  float *k2 = k1 + c_count;
  float *k3 = k2 + c_count;
  channel_sums(dy, x, sum_dy, sum_dy_x, m_count, c_count, c_begin, c_end);
  const float inverse_m = 1.0f / (float)m_count;
  for (int32_t c = c_begin; c < c_end; c++) {
    dbeta[c] = (float)sum_dy[c];
    dgamma[c] = (float)(rstd[c] * (sum_dy_x[c] - mean[c] * sum_dy[c]));
    const float a = gamma[c] * rstd[c];
    k1[c] = a;
    k2[c] = -a * rstd[c] * dgamma[c] * inverse_m;
    k3[c] = a * (rstd[c] * mean[c] * dgamma[c] - dbeta[c]) * inverse_m;
  }
}

// dx = k1·dy + k2·x + k3 for rows [m_begin, m_end).
EXPORT(batch_norm_gradient_apply)
void batch_norm_gradient_apply(const float *dy, const float *x, const float *scratch, float *dx, int32_t m_begin, int32_t m_end, int32_t c_count) {
  const float *k1 = scratch + 4 * c_count;
  const float *k2 = k1 + c_count;
  const float *k3 = k2 + c_count;
  for (int32_t m = m_begin; m < m_end; m++) {
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
