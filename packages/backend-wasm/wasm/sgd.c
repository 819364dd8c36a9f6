// One SGD step with momentum and weight decay for one variable, PyTorch semantics (core's sgd.ts):
//   g' = g + wd*w;  v' = mu*v + g';  w' = w - lr*(nesterov ? g' + mu*v' : v')
// Each operation rounded to float32 in the same order as the composed tf ops, so the result equals
// theirs bit for bit. Replaces ~6 TF.js kernel calls per variable (~60 variables per step).
// Elements [begin, end) per call, so large variables split over the helper threads. No stack.
#include "simd.h"

EXPORT(sgd_momentum_step)
void sgd_momentum_step(const float *w, const float *g, const float *v, float *w_out, float *v_out, const float *learning_rate,
                       float weight_decay, float momentum, int32_t nesterov, int32_t begin, int32_t end) {
  const float lr = *learning_rate;
  const v128_t vlr = wasm_f32x4_splat(lr), vwd = wasm_f32x4_splat(weight_decay), vmu = wasm_f32x4_splat(momentum);
  int32_t k = begin;
  for (; k + 4 <= end; k += 4) {
    const v128_t wk = wasm_v128_load(w + k);
    // without decay the composed ops skip the add (g + w*0 could turn -0 into +0)
    const v128_t decayed = weight_decay != 0.0f ? wasm_f32x4_add(wasm_v128_load(g + k), wasm_f32x4_mul(wk, vwd)) : wasm_v128_load(g + k);
    const v128_t velocity = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + k), vmu), decayed);
    const v128_t step = nesterov ? wasm_f32x4_add(decayed, wasm_f32x4_mul(velocity, vmu)) : velocity;
    wasm_v128_store(v_out + k, velocity);
    wasm_v128_store(w_out + k, wasm_f32x4_sub(wk, wasm_f32x4_mul(step, vlr)));
  }
  for (; k < end; k++) {
    const float decayed = weight_decay != 0.0f ? g[k] + w[k] * weight_decay : g[k];
    const float velocity = v[k] * momentum + decayed;
    const float step = nesterov ? decayed + velocity * momentum : velocity;
    v_out[k] = velocity;
    w_out[k] = w[k] - step * lr;
  }
}
