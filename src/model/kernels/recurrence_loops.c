// The LSTM recurrence (forward and backward through time) for one direction, compiled to
// WebAssembly that works directly on the tfjs-backend-wasm heap (imported memory), replacing
// ~15 small tfjs kernels per time step by one call per sequence.
// Pointers are byte offsets into that heap; the code uses no stack arrays and no static data,
// so it never writes outside the arrays it is given.
//
// Shapes (row-major): projected, gates, d_projected [batch, steps, 4 * hidden] with gate blocks
// input | forget | cell | output; h, cells, d_h [batch, steps, hidden]; recurrent, d_recurrent
// [hidden, 4 * hidden]. `reverse` = 1 walks the steps from last to first.
//
// Build (clang + lld from Debian): sh build_loops.sh (beside this file).
#include <wasm_simd128.h>

// e^x for float32: x = n ln2 + r, |r| <= ln2 / 2, degree-6 Taylor polynomial for e^r
// (relative error < 2e-7), 2^n from the exponent bits.
static inline float exp_f(float x) {
  if (x > 88.0f) x = 88.0f;
  if (x < -87.0f) x = -87.0f;
  const float n = __builtin_rintf(x * 1.44269504088896341f);
  const float r = (x - n * 0.693145751953125f) - n * 1.428606765330187e-06f;
  float p = 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  union { float f; int i; } scale = {.i = ((int)n + 127) << 23};
  return p * scale.f;
}

static inline float sigmoid_f(float x) { return 1.0f / (1.0f + exp_f(-x)); }

static inline float tanh_f(float x) {
  const float a = x < 0.0f ? -x : x;
  const float e = exp_f(-2.0f * a);
  const float t = (1.0f - e) / (1.0f + e);
  return x < 0.0f ? -t : t;
}

// Forward through time: gates (after their activations), cells and h for every step.
__attribute__((export_name("lstm_forward"))) void lstm_forward(
    const float* restrict projected, const float* restrict recurrent, float* restrict gates,
    float* restrict cells, float* restrict h, int batch, int steps, int hidden, int reverse) {
  const int width = 4 * hidden;
  for (int step = 0; step < steps; step++) {
    const int t = reverse ? steps - 1 - step : step;
    const int previous = reverse ? t + 1 : t - 1;
    for (int b = 0; b < batch; b++) {
      float* restrict g = gates + (b * steps + t) * width;
      const float* restrict p = projected + (b * steps + t) * width;
      for (int j = 0; j < width; j++) g[j] = p[j];
      const float* h_prev = step > 0 ? h + (b * steps + previous) * hidden : 0;
      const float* c_prev = step > 0 ? cells + (b * steps + previous) * hidden : 0;
      if (h_prev) {
        for (int k = 0; k < hidden; k++) {
          const float hk = h_prev[k];
          const float* restrict row = recurrent + k * width;
          const v128_t hv = wasm_f32x4_splat(hk);
          for (int j = 0; j < width; j += 4) {  // width = 4 * hidden
            wasm_v128_store(g + j, wasm_f32x4_add(wasm_v128_load(g + j),
                                                  wasm_f32x4_mul(hv, wasm_v128_load(row + j))));
          }
        }
      }
      float* restrict c = cells + (b * steps + t) * hidden;
      float* restrict out = h + (b * steps + t) * hidden;
      for (int k = 0; k < hidden; k++) {
        const float i = sigmoid_f(g[k]);
        const float f = sigmoid_f(g[hidden + k]);
        const float z = tanh_f(g[2 * hidden + k]);
        const float o = sigmoid_f(g[3 * hidden + k]);
        g[k] = i;
        g[hidden + k] = f;
        g[2 * hidden + k] = z;
        g[3 * hidden + k] = o;
        c[k] = (c_prev ? f * c_prev[k] : 0.0f) + i * z;
        out[k] = o * tanh_f(c[k]);
      }
    }
  }
}

// Backward through time from d_h (the loss gradient of every step's h): d_projected (the
// gradient of the pre-activation gates) and d_recurrent. `carry` is scratch [2, batch, hidden]
// for the gradients flowing to the previous step's h and cell.
__attribute__((export_name("lstm_backward"))) void lstm_backward(
    const float* restrict d_h, const float* restrict gates, const float* restrict cells,
    const float* restrict h, const float* restrict recurrent, float* restrict d_projected,
    float* restrict d_recurrent, float* restrict carry, int batch, int steps, int hidden,
    int reverse) {
  const int width = 4 * hidden;
  float* restrict dh_next = carry;
  float* restrict dc_next = carry + batch * hidden;
  for (int j = 0; j < hidden * width; j++) d_recurrent[j] = 0.0f;
  for (int j = 0; j < 2 * batch * hidden; j++) carry[j] = 0.0f;
  for (int step = steps - 1; step >= 0; step--) {
    const int t = reverse ? steps - 1 - step : step;
    const int previous = reverse ? t + 1 : t - 1;
    for (int b = 0; b < batch; b++) {
      const float* restrict g = gates + (b * steps + t) * width;
      const float* restrict c = cells + (b * steps + t) * hidden;
      const float* restrict dh_out = d_h + (b * steps + t) * hidden;
      const float* c_prev = step > 0 ? cells + (b * steps + previous) * hidden : 0;
      float* restrict dg = d_projected + (b * steps + t) * width;
      float* restrict dh_b = dh_next + b * hidden;
      float* restrict dc_b = dc_next + b * hidden;
      for (int k = 0; k < hidden; k++) {
        const float i = g[k], f = g[hidden + k], z = g[2 * hidden + k], o = g[3 * hidden + k];
        const float dh = dh_out[k] + dh_b[k];
        const float tc = tanh_f(c[k]);
        const float dc = dh * o * (1.0f - tc * tc) + dc_b[k];
        dg[k] = dc * z * i * (1.0f - i);
        dg[hidden + k] = c_prev ? dc * c_prev[k] * f * (1.0f - f) : 0.0f;
        dg[2 * hidden + k] = dc * i * (1.0f - z * z);
        dg[3 * hidden + k] = dh * tc * o * (1.0f - o);
        dc_b[k] = dc * f;
      }
      if (step == 0) continue;
      const float* restrict h_prev = h + (b * steps + previous) * hidden;
      for (int k = 0; k < hidden; k++) {
        const float* restrict row = recurrent + k * width;
        float* restrict d_row = d_recurrent + k * width;
        const v128_t hv = wasm_f32x4_splat(h_prev[k]);
        v128_t sum = wasm_f32x4_splat(0.0f);
        for (int j = 0; j < width; j += 4) {  // width = 4 * hidden
          const v128_t dgv = wasm_v128_load(dg + j);
          sum = wasm_f32x4_add(sum, wasm_f32x4_mul(dgv, wasm_v128_load(row + j)));
          wasm_v128_store(d_row + j, wasm_f32x4_add(wasm_v128_load(d_row + j),
                                                    wasm_f32x4_mul(hv, dgv)));
        }
        dh_b[k] = wasm_f32x4_extract_lane(sum, 0) + wasm_f32x4_extract_lane(sum, 1) +
                  wasm_f32x4_extract_lane(sum, 2) + wasm_f32x4_extract_lane(sum, 3);
      }
    }
  }
}
