// One Adam (or AdamW) update of a parameter tensor, compiled to WebAssembly that works directly
// on the tfjs-backend-wasm heap (imported memory): one pass instead of ~12 tfjs kernels, each a
// pass over the tensor. The constants come from the caller in float32 as the tfjs-op update
// uses them, so that both give the same values.
// Pointers are byte offsets into that heap; the code uses no stack arrays and no static data.
//
// Build (clang + lld from Debian): sh build_loops.sh (beside this file).

// m' = beta1 m + (1 - beta1) g; v' = beta2 v + (1 - beta2) g^2;
// w' = w - lr (m' / c1) / (sqrt(v' / c2) + epsilon) - lr decay w (decay 0: plain Adam).
__attribute__((export_name("adam_update"))) void adam_update(
    const float* restrict w, const float* restrict g, const float* restrict m,
    const float* restrict v, float* restrict w_out, float* restrict m_out,
    float* restrict v_out, int size, float lr, float beta1, float one_minus_beta1, float beta2,
    float one_minus_beta2, float epsilon, float c1, float c2, float lr_decay) {
  for (int i = 0; i < size; i++) {
    const float mi = m[i] * beta1 + g[i] * one_minus_beta1;
    const float vi = v[i] * beta2 + (g[i] * g[i]) * one_minus_beta2;
    const float update = (mi / c1) / (__builtin_sqrtf(vi / c2) + epsilon);
    float wi = w[i] - update * lr;
    if (lr_decay > 0.0f) wi = wi - w[i] * lr_decay;
    m_out[i] = mi;
    v_out[i] = vi;
    w_out[i] = wi;
  }
}
