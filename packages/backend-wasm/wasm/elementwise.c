// Full-size elementwise kernels of a training step and an attack step (ReLU, its gradient's Step,
// the residual adds, batch norm's folded eval-mode scale and shift, the ReLU-gradient multiply):
// TF.js's wasm backend runs them single-threaded, ~100 ms of a PreAct-ResNet-18/16 PGD step.
// Each call covers elements (or rows) [begin, end), so our helper threads split them; every
// element is computed alone, so results do not depend on the split. SIMD, no shadow stack.
#include "simd.h"

enum { ADD = 0, MULTIPLY = 1, SUBTRACT = 2 };

INLINE v128_t apply(int32_t op, v128_t a, v128_t b) {
  return op == ADD ? wasm_f32x4_add(a, b) : op == MULTIPLY ? wasm_f32x4_mul(a, b) : wasm_f32x4_sub(a, b);
}
INLINE float apply1(int32_t op, float a, float b) {
  return op == ADD ? a + b : op == MULTIPLY ? a * b : a - b;
}

// out[k] = a[k] op b[k]
INLINE void same(int32_t op, const float *a, const float *b, float *out, int32_t begin, int32_t end) {
  int32_t k = begin;
  for (; k + 4 <= end; k += 4) wasm_v128_store(out + k, apply(op, wasm_v128_load(a + k), wasm_v128_load(b + k)));
  for (; k < end; k++) out[k] = apply1(op, a[k], b[k]);
}

// out[m, c] = a[m, c] op b[c] for rows [begin, end) (b_first: b[c] op a[m, c])
INLINE void per_channel(int32_t op, const float *a, const float *b, float *out, int32_t begin, int32_t end, int32_t channels, int32_t b_first) {
  for (int32_t m = begin; m < end; m++) {
    const float *row = a + m * channels;
    float *target = out + m * channels;
    int32_t c = 0;
    for (; c + 4 <= channels; c += 4) {
      const v128_t x = wasm_v128_load(row + c), y = wasm_v128_load(b + c);
      wasm_v128_store(target + c, b_first ? apply(op, y, x) : apply(op, x, y));
    }
    for (; c < channels; c++) target[c] = b_first ? apply1(op, b[c], row[c]) : apply1(op, row[c], b[c]);
  }
}

// One export per shape class; `op` picks add, multiply or subtract. A scalar operand is the
// per-channel case with a 4-float vector of copies and rows of 4 (elementwise-kernels.ts).
EXPORT(binary_same)
void binary_same(int32_t op, const float *a, const float *b, float *out, int32_t begin, int32_t end) {
  switch (op) {
    case ADD: same(ADD, a, b, out, begin, end); break;
    case MULTIPLY: same(MULTIPLY, a, b, out, begin, end); break;
    default: same(SUBTRACT, a, b, out, begin, end); break;
  }
}

EXPORT(binary_per_channel)
void binary_per_channel(int32_t op, const float *a, const float *b, float *out, int32_t begin, int32_t end, int32_t channels, int32_t b_first) {
  switch (op) {
    case ADD: per_channel(ADD, a, b, out, begin, end, channels, b_first); break;
    case MULTIPLY: per_channel(MULTIPLY, a, b, out, begin, end, channels, b_first); break;
    default: per_channel(SUBTRACT, a, b, out, begin, end, channels, b_first); break;
  }
}

// out = max(x, 0) (ReLU) or out = x > 0 ? 1 : 0 (Step with alpha 0: NaN stays NaN, as in TF.js)
EXPORT(relu_or_step)
void relu_or_step(int32_t step, const float *x, float *out, int32_t begin, int32_t end) {
  const v128_t zero = wasm_f32x4_splat(0.0f), one = wasm_f32x4_splat(1.0f);
  int32_t k = begin;
  if (step) {
    for (; k + 4 <= end; k += 4) {
      const v128_t v = wasm_v128_load(x + k);
      const v128_t nan = wasm_f32x4_ne(v, v);
      const v128_t result = wasm_v128_and(wasm_f32x4_gt(v, zero), one);
      wasm_v128_store(out + k, wasm_v128_bitselect(v, result, nan));
    }
    for (; k < end; k++) out[k] = x[k] != x[k] ? x[k] : (x[k] > 0.0f ? 1.0f : 0.0f);
  } else {
    for (; k + 4 <= end; k += 4) {
      const v128_t v = wasm_v128_load(x + k);
      // as TF.js's cpu kernel: v where v > 0 or v is NaN, else +0 (so -0 becomes +0)
      const v128_t keep = wasm_v128_or(wasm_f32x4_gt(v, zero), wasm_f32x4_ne(v, v));
      wasm_v128_store(out + k, wasm_v128_and(v, keep));
    }
    for (; k < end; k++) out[k] = (x[k] > 0.0f || x[k] != x[k]) ? x[k] : 0.0f;
  }
}
