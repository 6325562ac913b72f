// Batch norm in training (batch statistics) over x viewed as [rows, channels], forward and
// backward, compiled to WebAssembly that works directly on the tfjs-backend-wasm heap
// (imported memory). Built from tfjs ops the same computation is ~10 kernels forward and ~20
// backward, each a full pass over x. Sums are accumulated in double precision.
// Pointers are byte offsets into that heap; `sums` is caller-provided scratch of 2 * channels
// doubles. The code uses no stack arrays and no static data.
//
// Build (clang + lld from Debian): sh build_loops.sh (beside this file).

static inline float rsqrt_f(float v) { return 1.0f / __builtin_sqrtf(v); }

// y = (x - mean) / sqrt(variance + epsilon) * gamma + beta with the batch's mean and (biased)
// variance, which are written to `mean` and `variance` [channels]; then y = max(y, 0) when
// `relu` is non-zero (the ReLU that follows the norm in a conv block, in the same pass).
__attribute__((export_name("batch_norm_forward"))) void batch_norm_forward(
    const float* restrict x, const float* restrict gamma, const float* restrict beta,
    float* restrict y, float* restrict mean, float* restrict variance, double* restrict sums,
    int rows, int channels, float epsilon, int relu) {
  double* total = sums;
  double* squares = sums + channels;
  for (int c = 0; c < channels; c++) total[c] = squares[c] = 0.0;
  for (int r = 0; r < rows; r++) {
    const float* restrict row = x + r * channels;
    for (int c = 0; c < channels; c++) total[c] += row[c];
  }
  for (int c = 0; c < channels; c++) mean[c] = (float)(total[c] / rows);
  for (int r = 0; r < rows; r++) {
    const float* restrict row = x + r * channels;
    for (int c = 0; c < channels; c++) {
      const double d = (double)row[c] - mean[c];
      squares[c] += d * d;
    }
  }
  for (int c = 0; c < channels; c++) variance[c] = (float)(squares[c] / rows);
  // the sums are spent: their space holds the normalising pass's scale and shift (floats)
  float* scale = (float*)sums;
  float* shift = scale + channels;
  for (int c = 0; c < channels; c++) {
    scale[c] = rsqrt_f(variance[c] + epsilon) * gamma[c];
    shift[c] = beta[c] - mean[c] * scale[c];
  }
  for (int r = 0; r < rows; r++) {
    const float* restrict row = x + r * channels;
    float* restrict out = y + r * channels;
    if (relu) {
      for (int c = 0; c < channels; c++) {
        const float v = row[c] * scale[c] + shift[c];
        out[c] = v > 0.0f ? v : 0.0f;
      }
    } else {
      for (int c = 0; c < channels; c++) out[c] = row[c] * scale[c] + shift[c];
    }
  }
}

// dx = dy where y > 0, else 0 (the ReLU's gradient), over n values.
static void relu_mask(const float* restrict dy, const float* restrict y, float* restrict dx,
                      int n) {
  for (int i = 0; i < n; i++) {
    const float g = dy[i];  // loaded unconditionally, so that the loop vectorises to a select
    dx[i] = y[i] > 0.0f ? g : 0.0f;
  }
}

// Gradients of the forward above from dy: d_beta = sum dy, d_gamma = sum dy * x_hat and
// dx = gamma / sqrt(variance + epsilon) * (dy - (d_beta + x_hat * d_gamma) / rows), where
// x_hat = (x - mean) / sqrt(variance + epsilon). With `relu`, `y` is the forward's output and
// dy counts only where y > 0 (the ReLU's gradient): the masked dy is first written to dx, and
// the passes below read it there (the last one in place); without, `y` is not read.
__attribute__((export_name("batch_norm_backward"))) void batch_norm_backward(
    const float* restrict dy_in, const float* restrict x, const float* restrict mean,
    const float* restrict variance, const float* restrict gamma, const float* restrict y,
    float* restrict dx, float* restrict d_gamma, float* restrict d_beta, double* restrict sums,
    int rows, int channels, float epsilon, int relu) {
  if (relu) relu_mask(dy_in, y, dx, rows * channels);
  const float* dy = relu ? dx : dy_in;
  double* restrict sum_dy = sums;
  double* restrict sum_dy_x = sums + channels;  // sum dy * (x - mean)
  for (int c = 0; c < channels; c++) sum_dy[c] = sum_dy_x[c] = 0.0;
  for (int r = 0; r < rows; r++) {
    const float* restrict g = dy + r * channels;
    const float* restrict row = x + r * channels;
    for (int c = 0; c < channels; c++) {
      sum_dy[c] += g[c];
      sum_dy_x[c] += (double)g[c] * (row[c] - mean[c]);
    }
  }
  for (int c = 0; c < channels; c++) {
    const float inv_std = rsqrt_f(variance[c] + epsilon);
    d_beta[c] = (float)sum_dy[c];
    d_gamma[c] = (float)(sum_dy_x[c] * inv_std);
  }
  // dx = a * dy + b * (x - mean) + k per channel:
  // a = gamma inv_std, b = -gamma inv_std^3 sum_dy_x / rows, k = -gamma inv_std sum_dy / rows;
  // the sums are spent (read into d_beta, d_gamma): their space holds a, b, k (floats)
  float* a = (float*)sums;
  float* b = a + channels;
  float* k = b + channels;
  for (int c = 0; c < channels; c++) {
    const float inv_std = rsqrt_f(variance[c] + epsilon);
    const float ga = gamma[c] * inv_std;
    const float d_gamma_c = d_gamma[c];
    const float d_beta_c = d_beta[c];
    a[c] = ga;
    b[c] = -ga * inv_std * d_gamma_c / rows;
    k[c] = -ga * d_beta_c / rows;
  }
  for (int r = 0; r < rows; r++) {
    const float* restrict row = x + r * channels;
    float* restrict out = dx + r * channels;
    if (relu) {  // the masked dy is in dx: read each value, then overwrite it
      for (int c = 0; c < channels; c++) out[c] = a[c] * out[c] + b[c] * (row[c] - mean[c]) + k[c];
    } else {
      const float* restrict g = dy_in + r * channels;
      for (int c = 0; c < channels; c++) out[c] = a[c] * g[c] + b[c] * (row[c] - mean[c]) + k[c];
    }
  }
}
