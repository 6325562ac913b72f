// Patch-matrix loops for the wasm backend's convolution gradients (see im2col.ts), compiled
// to WebAssembly that works directly on the tfjs-backend-wasm heap (imported memory).
// Pointers are byte offsets into that heap; the code uses no stack and no static data, so it
// never writes outside the arrays it is given.
//
// Build (clang + lld from Debian): sh build_loops.sh (beside this file).
#include <wasm_simd128.h>

static inline int max_i(int a, int b) { return a > b ? a : b; }
static inline int min_i(int a, int b) { return a < b ? a : b; }
// ceil(a / b) for b > 0, any sign of a
static inline int ceil_div(int a, int b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }

// colT [k_h * k_w * c, batch * out_h * out_w] from x [batch, in_h, in_w, c]; padding taps = 0.
__attribute__((export_name("im2col_transposed"))) void im2col_transposed(
    const float* x, float* col_t, int batch, int in_h, int in_w, int c, int out_h, int out_w,
    int k_h, int k_w, int stride_h, int stride_w, int dil_h, int dil_w, int pad_top,
    int pad_left) {
  const int rows = batch * out_h * out_w;
  const int per_image = out_h * out_w;
  const int step = stride_w * c;
  for (int n = 0; n < batch; n++) {
    for (int kh = 0; kh < k_h; kh++) {
      for (int kw = 0; kw < k_w; kw++) {
        const int shift = kw * dil_w - pad_left;
        const int ow_start = min_i(out_w, max_i(0, ceil_div(-shift, stride_w)));
        const int ow_end = max_i(ow_start, min_i(out_w, ceil_div(in_w - shift, stride_w)));
        for (int ci = 0; ci < c; ci++) {
          float* dst = col_t + ((kh * k_w + kw) * c + ci) * rows + n * per_image;
          for (int oh = 0; oh < out_h; oh++, dst += out_w) {
            const int ih = oh * stride_h + kh * dil_h - pad_top;
            if (ih < 0 || ih >= in_h) {
              for (int ow = 0; ow < out_w; ow++) dst[ow] = 0.0f;
              continue;
            }
            for (int ow = 0; ow < ow_start; ow++) dst[ow] = 0.0f;
            const float* src =
                x + ((n * in_h + ih) * in_w + ow_start * stride_w + shift) * c + ci;
            for (int ow = ow_start; ow < ow_end; ow++, src += step) dst[ow] = *src;
            for (int ow = ow_end; ow < out_w; ow++) dst[ow] = 0.0f;
          }
        }
      }
    }
  }
}

// dx [batch, in_h, in_w, c] = col2im(col [batch * out_h * out_w, k_h * k_w * c]) (dx is zeroed
// here first).
__attribute__((export_name("col2im"))) void col2im(
    const float* col, float* dx, int batch, int in_h, int in_w, int c, int out_h, int out_w,
    int k_h, int k_w, int stride_h, int stride_w, int dil_h, int dil_w, int pad_top,
    int pad_left) {
  const int size = batch * in_h * in_w * c;
  for (int i = 0; i < size; i++) dx[i] = 0.0f;
  const int c4 = c & ~3;
  for (int n = 0; n < batch; n++) {
    float* image = dx + n * in_h * in_w * c;
    for (int oh = 0; oh < out_h; oh++) {
      for (int ow = 0; ow < out_w; ow++) {
        for (int kh = 0; kh < k_h; kh++) {
          const int ih = oh * stride_h + kh * dil_h - pad_top;
          const int row_inside = ih >= 0 && ih < in_h;
          for (int kw = 0; kw < k_w; kw++, col += c) {
            const int iw = ow * stride_w + kw * dil_w - pad_left;
            if (!row_inside || iw < 0 || iw >= in_w) continue;
            float* dst = image + (ih * in_w + iw) * c;
            int ci = 0;
            for (; ci < c4; ci += 4) {
              wasm_v128_store(dst + ci, wasm_f32x4_add(wasm_v128_load(dst + ci),
                                                       wasm_v128_load(col + ci)));
            }
            for (; ci < c; ci++) dst[ci] += col[ci];
          }
        }
      }
    }
  }
}
