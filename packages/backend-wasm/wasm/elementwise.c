// Full-size elementwise kernels of a training step and an attack step (ReLU, its gradient's Step,
// the residual adds, batch norm's folded eval-mode scale and shift, the ReLU-gradient multiply,
// the attacks' sign of the gradient and their clip to each sample's ε box by Minimum/Maximum):
// TF.js's wasm backend runs them single-threaded, ~100 ms of a PreAct-ResNet-18/16 PGD step, and
// its Minimum/Maximum took 0.4-0.7 ms for 18 CIFAR images (an AutoAttack step is ~10 ms).
// Each call covers elements (or rows) [begin, end), so our helper threads split them; every
// element is computed alone, so results do not depend on the split. SIMD, no shadow stack.
#include "simd.h"

enum { ADD = 0, MULTIPLY = 1, SUBTRACT = 2, MINIMUM = 3, MAXIMUM = 4 };

// wasm's f32x4.min/max return NaN when either lane is NaN and order -0 below +0, as JavaScript's
// Math.min/max (TF.js's cpu kernels) do; the scalar tail goes through the same instructions.
INLINE v128_t apply(int32_t op, v128_t a, v128_t b) {
  switch (op) {
    case ADD: return wasm_f32x4_add(a, b);
    case MULTIPLY: return wasm_f32x4_mul(a, b);
    case SUBTRACT: return wasm_f32x4_sub(a, b);
    case MINIMUM: return wasm_f32x4_min(a, b);
    default: return wasm_f32x4_max(a, b);
  }
}
INLINE float apply1(int32_t op, float a, float b) {
  return wasm_f32x4_extract_lane(apply(op, wasm_f32x4_splat(a), wasm_f32x4_splat(b)), 0);
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

// One export per shape class; `op` picks add, multiply, subtract, minimum or maximum. A scalar operand is the
// per-channel case with a 4-float vector of copies and rows of 4 (elementwise-kernels.ts).
EXPORT(binary_same)
void binary_same(int32_t op, const float *a, const float *b, float *out, int32_t begin, int32_t end) {
  switch (op) {
    case ADD: same(ADD, a, b, out, begin, end); break;
    case MULTIPLY: same(MULTIPLY, a, b, out, begin, end); break;
    case SUBTRACT: same(SUBTRACT, a, b, out, begin, end); break;
    case MINIMUM: same(MINIMUM, a, b, out, begin, end); break;
    default: same(MAXIMUM, a, b, out, begin, end); break;
  }
}

EXPORT(binary_per_channel)
void binary_per_channel(int32_t op, const float *a, const float *b, float *out, int32_t begin, int32_t end, int32_t channels, int32_t b_first) {
  switch (op) {
    case ADD: per_channel(ADD, a, b, out, begin, end, channels, b_first); break;
    case MULTIPLY: per_channel(MULTIPLY, a, b, out, begin, end, channels, b_first); break;
    case SUBTRACT: per_channel(SUBTRACT, a, b, out, begin, end, channels, b_first); break;
    case MINIMUM: per_channel(MINIMUM, a, b, out, begin, end, channels, b_first); break;
    default: per_channel(MAXIMUM, a, b, out, begin, end, channels, b_first); break;
  }
}

enum { RELU = 0, STEP = 1, SIGN = 2 };

// mode RELU: out = max(x, 0); STEP (alpha 0): out = x > 0 ? 1 : 0, NaN stays NaN, as in TF.js;
// SIGN: out = x < 0 ? -1 : x > 0 ? 1 : 0 (NaN and -0 give +0, as TF.js's cpu kernel)
EXPORT(unary)
void unary(int32_t mode, const float *x, float *out, int32_t begin, int32_t end) {
  const v128_t zero = wasm_f32x4_splat(0.0f), one = wasm_f32x4_splat(1.0f), minus_one = wasm_f32x4_splat(-1.0f);
  int32_t k = begin;
  if (mode == STEP) {
    for (; k + 4 <= end; k += 4) {
      const v128_t v = wasm_v128_load(x + k);
      const v128_t nan = wasm_f32x4_ne(v, v);
      const v128_t result = wasm_v128_and(wasm_f32x4_gt(v, zero), one);
      wasm_v128_store(out + k, wasm_v128_bitselect(v, result, nan));
    }
    for (; k < end; k++) out[k] = x[k] != x[k] ? x[k] : (x[k] > 0.0f ? 1.0f : 0.0f);
  } else if (mode == SIGN) {
    for (; k + 4 <= end; k += 4) {
      const v128_t v = wasm_v128_load(x + k);
      wasm_v128_store(out + k, wasm_v128_or(wasm_v128_and(wasm_f32x4_gt(v, zero), one), wasm_v128_and(wasm_f32x4_lt(v, zero), minus_one)));
    }
    for (; k < end; k++) out[k] = x[k] < 0.0f ? -1.0f : (x[k] > 0.0f ? 1.0f : 0.0f);
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
