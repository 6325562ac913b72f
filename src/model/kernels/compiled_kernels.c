/*
 * Single-precision matrix product and 2-D convolutions (NHWC) for the wasm backend's native
 * path where oneDNN is absent: compiled on the user's machine by compiled_gemm.ts
 * (cc -O3 -march=native), loaded through Deno's FFI and run on the wasm heap in place.
 *
 * pe_sgemm has dnnl_sgemm's signature and meaning (row-major):
 *   C [m, n] = alpha * op(A) [m, k] @ op(B) [k, n] + beta * C,  op(X) = X^T when trans == 'T'.
 * The convolutions are the same product over the patch matrix without writing it out ("implicit
 * im2col"): the packing reads patches straight from the image, and the input gradient adds each
 * finished tile of dy @ W^T into dx instead of storing the patch-matrix gradient.
 *
 * Method (Goto & van de Geijn's blocking): op(B) is packed in KC x NR panels, op(A) in MR x KC
 * panels, and a register-blocked micro-kernel (MR rows x NR columns of accumulators in vector
 * registers, one fused multiply-add per element of B's row per row of A) runs over them. Two
 * micro-kernels: 6 x 32 for wide products, 12 x 16 where n <= 16 (the first convolution's 16
 * filters), so that narrow products do not compute zero columns. Edge tiles are computed in
 * full on zero-padded panels and only their valid part is written. Buffers are per thread
 * (Deno's workers are threads of one process sharing this library).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define VL 16 /* floats per vector: 512 bits (GCC splits them where the target is narrower) */
typedef float vf __attribute__((vector_size(VL * sizeof(float)), aligned(64)));

#ifndef KC
#define KC 256
#endif
#ifndef MC
#define MC 192 /* a multiple of both micro-kernels' MR (6 and 12) */
#endif
#ifndef NC
#define NC 1024
#endif

static __thread float *pack_a = NULL; /* [MC x KC] */
static __thread float *pack_b = NULL; /* [KC x NC] */

static int buffers(void) {
  if (pack_a == NULL) pack_a = aligned_alloc(64, sizeof(float) * MC * KC);
  if (pack_b == NULL) pack_b = aligned_alloc(64, sizeof(float) * KC * NC);
  return pack_a != NULL && pack_b != NULL;
}

/* Element (i, j) of a row-major operand read as op(X): rs/cs are its row and column strides. */
typedef struct {
  const float *x;
  int64_t rs, cs;
} view;

/* dst [panels][kc][mr]: rows i0.. of op(A), columns p0.., zero-padded to whole panels. */
static void pack_rows(view a, int64_t i0, int64_t mc, int64_t p0, int64_t kc, int mr, float *dst) {
  for (int64_t i = 0; i < mc; i += mr) {
    int rows = (int)(mc - i < mr ? mc - i : mr);
    for (int64_t p = 0; p < kc; p++) {
      const float *src = a.x + (i0 + i) * a.rs + (p0 + p) * a.cs;
      int r = 0;
      for (; r < rows; r++) dst[r] = src[r * a.rs];
      for (; r < mr; r++) dst[r] = 0.0f;
      dst += mr;
    }
  }
}

/* dst [panels][kc][nr]: rows p0.. of op(B), columns j0.., zero-padded to whole panels. */
static void pack_cols(view b, int64_t p0, int64_t kc, int64_t j0, int64_t nc, int nr, float *dst) {
  for (int64_t j = 0; j < nc; j += nr) {
    int cols = (int)(nc - j < nr ? nc - j : nr);
    for (int64_t p = 0; p < kc; p++) {
      const float *src = b.x + (p0 + p) * b.rs + (j0 + j) * b.cs;
      int c = 0;
      if (b.cs == 1) {
        memcpy(dst, src, sizeof(float) * cols);
        c = cols;
      } else {
        for (; c < cols; c++) dst[c] = src[c * b.cs];
      }
      for (; c < nr; c++) dst[c] = 0.0f;
      dst += nr;
    }
  }
}

/* 6 x 32: 12 accumulators; per k one row of B (2 vectors) and 6 broadcasts of A. */
static void kernel_6x32(int64_t kc, const float *restrict a, const float *restrict b,
                        float *acc) {
  vf c00 = {0}, c01 = {0}, c10 = {0}, c11 = {0}, c20 = {0}, c21 = {0};
  vf c30 = {0}, c31 = {0}, c40 = {0}, c41 = {0}, c50 = {0}, c51 = {0};
  for (int64_t p = 0; p < kc; p++) {
    vf b0 = *(const vf *)b, b1 = *(const vf *)(b + VL);
    c00 += a[0] * b0, c01 += a[0] * b1;
    c10 += a[1] * b0, c11 += a[1] * b1;
    c20 += a[2] * b0, c21 += a[2] * b1;
    c30 += a[3] * b0, c31 += a[3] * b1;
    c40 += a[4] * b0, c41 += a[4] * b1;
    c50 += a[5] * b0, c51 += a[5] * b1;
    a += 6, b += 32;
  }
  vf *out = (vf *)acc;
  out[0] = c00, out[1] = c01, out[2] = c10, out[3] = c11, out[4] = c20, out[5] = c21;
  out[6] = c30, out[7] = c31, out[8] = c40, out[9] = c41, out[10] = c50, out[11] = c51;
}

/* 12 x 16: 12 accumulators; per k one row of B (1 vector) and 12 broadcasts of A. */
static void kernel_12x16(int64_t kc, const float *restrict a, const float *restrict b,
                         float *acc) {
  vf c0 = {0}, c1 = {0}, c2 = {0}, c3 = {0}, c4 = {0}, c5 = {0};
  vf c6 = {0}, c7 = {0}, c8 = {0}, c9 = {0}, c10 = {0}, c11 = {0};
  for (int64_t p = 0; p < kc; p++) {
    vf b0 = *(const vf *)b;
    c0 += a[0] * b0, c1 += a[1] * b0, c2 += a[2] * b0, c3 += a[3] * b0;
    c4 += a[4] * b0, c5 += a[5] * b0, c6 += a[6] * b0, c7 += a[7] * b0;
    c8 += a[8] * b0, c9 += a[9] * b0, c10 += a[10] * b0, c11 += a[11] * b0;
    a += 12, b += 16;
  }
  vf *out = (vf *)acc;
  out[0] = c0, out[1] = c1, out[2] = c2, out[3] = c3, out[4] = c4, out[5] = c5;
  out[6] = c6, out[7] = c7, out[8] = c8, out[9] = c9, out[10] = c10, out[11] = c11;
}

/* Packs rows i0.. (mc of them) and depths p0.. (kc) of A as [panels][kc][mr]. */
typedef void (*pack_a_fn)(const void *ctx, int64_t i0, int64_t mc, int64_t p0, int64_t kc, int mr,
                          float *dst);
/* Packs depths p0.. (kc) and columns j0.. (nc) of B as [panels][kc][nr]. */
typedef void (*pack_b_fn)(const void *ctx, int64_t p0, int64_t kc, int64_t j0, int64_t nc, int nr,
                          float *dst);
/*
 * Takes a finished tile acc [MR][NR] (rows x cols of it valid) at (i, j); `first` says whether
 * it is the first K block's (for beta).
 */
typedef void (*store_fn)(void *ctx, const float *acc, int nr, int64_t i, int64_t j, int rows,
                         int cols, int first);

static void pack_view_rows(const void *ctx, int64_t i0, int64_t mc, int64_t p0, int64_t kc, int mr,
                           float *dst) {
  pack_rows(*(const view *)ctx, i0, mc, p0, kc, mr, dst);
}

static void pack_view_cols(const void *ctx, int64_t p0, int64_t kc, int64_t j0, int64_t nc, int nr,
                           float *dst) {
  pack_cols(*(const view *)ctx, p0, kc, j0, nc, nr, dst);
}

/* The blocked product: loops over NC, KC and MC blocks, packs, runs the micro-kernel. */
static int gemm_core(int64_t m, int64_t n, int64_t k, pack_a_fn pack_a_block, const void *a_ctx,
                     pack_b_fn pack_b_block, const void *b_ctx, store_fn store, void *s_ctx) {
  if (!buffers()) return 1;
  const int narrow = n <= 16;
  const int mr = narrow ? 12 : 6, nr = narrow ? 16 : 32;
  float acc[12 * 32] __attribute__((aligned(64)));
  for (int64_t j0 = 0; j0 < n; j0 += NC) {
    int64_t nc = n - j0 < NC ? n - j0 : NC;
    for (int64_t p0 = 0; p0 < k; p0 += KC) {
      int64_t kc = k - p0 < KC ? k - p0 : KC;
      pack_b_block(b_ctx, p0, kc, j0, nc, nr, pack_b);
      for (int64_t i0 = 0; i0 < m; i0 += MC) {
        int64_t mc = m - i0 < MC ? m - i0 : MC;
        pack_a_block(a_ctx, i0, mc, p0, kc, mr, pack_a);
        for (int64_t j = 0; j < nc; j += nr) {
          int cols = (int)(nc - j < nr ? nc - j : nr);
          const float *bp = pack_b + (j / nr) * kc * nr;
          for (int64_t i = 0; i < mc; i += mr) {
            int rows = (int)(mc - i < mr ? mc - i : mr);
            const float *ap = pack_a + (i / mr) * kc * mr;
            if (narrow) kernel_12x16(kc, ap, bp, acc);
            else kernel_6x32(kc, ap, bp, acc);
            store(s_ctx, acc, nr, i0 + i, j0 + j, rows, cols, p0 == 0);
          }
        }
      }
    }
  }
  return 0;
}

typedef struct {
  float *c;
  int64_t ldc;
  float alpha, beta;
} matrix_out;

/* C = alpha * acc + beta * C in the first K block (beta == 0: C is not read), += after. */
static void store_matrix(void *ctx, const float *acc, int nr, int64_t i, int64_t j, int rows,
                         int cols, int first) {
  const matrix_out *out = ctx;
  const float beta = first ? out->beta : 1.0f;
  for (int r = 0; r < rows; r++) {
    float *row = out->c + (i + r) * out->ldc + j;
    const float *a = acc + r * nr;
    if (beta == 0.0f) {
      for (int q = 0; q < cols; q++) row[q] = out->alpha * a[q];
    } else {
      for (int q = 0; q < cols; q++) row[q] = out->alpha * a[q] + beta * row[q];
    }
  }
}

int32_t pe_sgemm(uint8_t trans_a, uint8_t trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                 const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c,
                 int64_t ldc) {
  if (m <= 0 || n <= 0) return 0;
  if (k <= 0) {
    for (int64_t i = 0; i < m; i++) {
      for (int64_t j = 0; j < n; j++) c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
    }
    return 0;
  }
  view va = (trans_a == 'T' || trans_a == 't') ? (view){a, 1, lda} : (view){a, lda, 1};
  view vb = (trans_b == 'T' || trans_b == 't') ? (view){b, 1, ldb} : (view){b, ldb, 1};
  matrix_out out = {c, ldc, alpha, beta};
  return gemm_core(m, n, k, pack_view_rows, &va, pack_view_cols, &vb, store_matrix, &out);
}

/*
 * A convolution's geometry (tfjs's Conv2DInfo): x [batch, ih, iw, ic], filter [kh, kw, ic, oc],
 * y [batch, oh, ow, oc]; pad_top/pad_left as tfjs computed them. Patch index p = (ky * kw + kx)
 * * ic + c; output row r = (b * oh + oy) * ow + ox.
 */
typedef struct {
  const float *x;
  int64_t batch, ih, iw, ic, oh, ow, kh, kw, sh, sw, dh, dw, pt, pl;
} conv_geometry;

/* An output row walked in order: its image b and output pixel (oy, ox). */
typedef struct {
  int64_t b, oy, ox;
} row_cursor;

/* The cursor at output row r. */
static inline row_cursor cursor_at(const conv_geometry *g, int64_t r) {
  int64_t t = r / g->ow;
  return (row_cursor){t / g->oh, t % g->oh, r % g->ow};
}

/* The next output row (no divisions: rows are walked one after another). */
static inline void cursor_next(const conv_geometry *g, row_cursor *at) {
  if (++at->ox == g->ow) {
    at->ox = 0;
    if (++at->oy == g->oh) at->oy = 0, at->b++;
  }
}

/* A stretch of patch entries that is one contiguous run of the image, or padding (offset -1). */
typedef struct {
  int64_t offset, length;
} patch_run;

/*
 * The patch entries p .. p + count - 1 of the output row whose patch starts at (y0, x0) in
 * image b, as runs: entries whose pixels follow each other in memory (the channels of one
 * pixel, and with dilation 1 the pixels of one filter row) form one run. Returns the count.
 */
static int patch_runs(const conv_geometry *g, int64_t b, int64_t y0, int64_t x0, int64_t p,
                      int64_t count, patch_run *runs) {
  int n = 0;
  int64_t c = p % g->ic, q = p / g->ic, kx = q % g->kw, ky = q / g->kw;
  const int64_t image = b * g->ih * g->iw * g->ic;
  const int free = b < 0; /* a template: offsets relative to the patch's corner, no bounds */
  for (int64_t done = 0; done < count;) {
    int64_t length = g->ic - c < count - done ? g->ic - c : count - done;
    int64_t iy = y0 + ky * g->dh, ix = x0 + kx * g->dw;
    int64_t offset = free ? (iy * g->iw + ix) * g->ic + c
                     : (iy < 0 || iy >= g->ih || ix < 0 || ix >= g->iw)
                         ? -1
                         : image + (iy * g->iw + ix) * g->ic + c;
    patch_run *last = n > 0 ? &runs[n - 1] : NULL;
    if (last != NULL && ((offset < 0 && last->offset < 0) ||
                         (offset >= 0 && last->offset >= 0 && last->offset + last->length == offset))) {
      last->length += length;
    } else {
      runs[n++] = (patch_run){offset, length};
    }
    done += length;
    c = 0;
    if (++kx == g->kw) kx = 0, ky++;
  }
  return n;
}

/* Enough runs for KC entries (each run holds at least one). */
#define MAX_RUNS (KC + 1)

/*
 * The runs of entries p .. p + count - 1 for a patch wholly inside the image, relative to its
 * corner pixel: the same for every such patch, so computed once per block.
 */
static int interior_runs(const conv_geometry *g, int64_t p, int64_t count, patch_run *runs) {
  return patch_runs(g, -1, 0, 0, p, count, runs);
}

/* Whether the patch with corner (y0, x0) lies wholly inside the image; then its corner offset. */
static inline int interior(const conv_geometry *g, int64_t b, int64_t y0, int64_t x0,
                           int64_t *corner) {
  if (y0 < 0 || x0 < 0 || y0 + (g->kh - 1) * g->dh >= g->ih || x0 + (g->kw - 1) * g->dw >= g->iw) {
    return 0;
  }
  *corner = ((b * g->ih + y0) * g->iw + x0) * g->ic;
  return 1;
}

/* The runs of one row's patch entries: the template shifted to its corner, or computed. */
static inline const patch_run *row_runs(const conv_geometry *g, const row_cursor *at, int64_t p,
                                        int64_t count, const patch_run *inner, int inner_n,
                                        int64_t *shift, patch_run *own, int *n) {
  int64_t y0 = at->oy * g->sh - g->pt, x0 = at->ox * g->sw - g->pl;
  if (interior(g, at->b, y0, x0, shift)) {
    *n = inner_n;
    return inner;
  }
  *shift = 0;
  *n = patch_runs(g, at->b, y0, x0, p, count, own);
  return own;
}

/* A = patch matrix [rows, patch]: output rows i, patch entries p (forward convolution). */
static void pack_patch_rows(const void *ctx, int64_t i0, int64_t mc, int64_t p0, int64_t kc,
                            int mr, float *dst) {
  const conv_geometry *g = ctx;
  patch_run inner[MAX_RUNS], own[MAX_RUNS];
  const int inner_n = interior_runs(g, p0, kc, inner);
  row_cursor at = cursor_at(g, i0);
  for (int64_t i = 0; i < mc; i += mr) {
    int rows = (int)(mc - i < mr ? mc - i : mr);
    for (int r = 0; r < mr; r++) {
      float *d = dst + r;
      if (r >= rows) {
        for (int64_t p = 0; p < kc; p++) d[p * mr] = 0.0f;
        continue;
      }
      int n;
      int64_t shift;
      const patch_run *runs = row_runs(g, &at, p0, kc, inner, inner_n, &shift, own, &n);
      cursor_next(g, &at);
      for (int u = 0; u < n; u++) {
        const float *src = g->x + shift + runs[u].offset;
        if (runs[u].offset < 0) {
          for (int64_t q = 0; q < runs[u].length; q++) d[q * mr] = 0.0f;
        } else {
          for (int64_t q = 0; q < runs[u].length; q++) d[q * mr] = src[q];
        }
        d += runs[u].length * mr;
      }
    }
    dst += kc * mr;
  }
}

/* B = patch matrix [rows, patch]: output rows p (depth), patch entries j (filter gradient). */
static void pack_patch_panels(const void *ctx, int64_t p0, int64_t kc, int64_t j0, int64_t nc,
                              int nr, float *dst) {
  const conv_geometry *g = ctx;
  patch_run inner[MAX_RUNS], own[MAX_RUNS];
  for (int64_t j = 0; j < nc; j += nr) {
    int cols = (int)(nc - j < nr ? nc - j : nr);
    const int inner_n = interior_runs(g, j0 + j, cols, inner);
    row_cursor at = cursor_at(g, p0);
    for (int64_t k = 0; k < kc; k++) {
      int n;
      int64_t shift;
      const patch_run *runs = row_runs(g, &at, j0 + j, cols, inner, inner_n, &shift, own, &n);
      cursor_next(g, &at);
      float *d = dst;
      for (int u = 0; u < n; u++) {
        const float *src = g->x + shift + runs[u].offset;
        if (runs[u].offset < 0) {
          for (int64_t q = 0; q < runs[u].length; q++) d[q] = 0.0f;
        } else {
          for (int64_t q = 0; q < runs[u].length; q++) d[q] = src[q];
        }
        d += runs[u].length;
      }
      for (int q = cols; q < nr; q++) *d++ = 0.0f;
      dst += nr;
    }
  }
}

/* C^T: the tile (i, j) of a product computed transposed lands at (j, i). */
static void store_matrix_transposed(void *ctx, const float *acc, int nr, int64_t i, int64_t j,
                                    int rows, int cols, int first) {
  const matrix_out *out = ctx;
  const float beta = first ? out->beta : 1.0f;
  for (int r = 0; r < rows; r++) {
    const float *a = acc + r * nr;
    float *column = out->c + j * out->ldc + i + r;
    if (beta == 0.0f) {
      for (int q = 0; q < cols; q++) column[q * out->ldc] = out->alpha * a[q];
    } else {
      for (int q = 0; q < cols; q++) {
        column[q * out->ldc] = out->alpha * a[q] + beta * column[q * out->ldc];
      }
    }
  }
}

typedef struct {
  const conv_geometry *g;
  float *dx;
} patch_scatter;

/* dx += col2im(tile): each tile entry (output row, patch entry) lands on one input pixel. */
static void store_patch_scatter(void *ctx, const float *acc, int nr, int64_t i, int64_t j,
                                int rows, int cols, int first) {
  (void)first; /* additive in every K block */
  const patch_scatter *s = ctx;
  patch_run inner[MAX_RUNS], own[MAX_RUNS];
  const int inner_n = interior_runs(s->g, j, cols, inner);
  row_cursor at = cursor_at(s->g, i);
  for (int r = 0; r < rows; r++) {
    int n;
    int64_t shift;
    const patch_run *runs = row_runs(s->g, &at, j, cols, inner, inner_n, &shift, own, &n);
    cursor_next(s->g, &at);
    const float *a = acc + r * nr;
    for (int u = 0; u < n; u++) {
      if (runs[u].offset >= 0) {
        float *image = s->dx + shift + runs[u].offset;
        for (int64_t q = 0; q < runs[u].length; q++) image[q] += a[q];
      }
      a += runs[u].length;
    }
  }
}

static conv_geometry geometry(const float *x, const int32_t *d) {
  return (conv_geometry){x,    d[0], d[1], d[2], d[3],  d[4],  d[5], d[6],
                         d[7], d[8], d[9], d[10], d[11], d[12], d[13]};
}

/*
 * dims (14 int32): batch, inH, inW, inC, outH, outW, kH, kW, strideH, strideW, dilationH,
 * dilationW, padTop, padLeft (patch_loops.ts's order).
 */

/* y [rows, outC] = patches(x) [rows, patch] @ w [patch, outC]. */
int32_t pe_conv2d(const float *x, const float *w, float *y, const int32_t *dims, int32_t out_c) {
  conv_geometry g = geometry(x, dims);
  int64_t rows = g.batch * g.oh * g.ow, patch = g.kh * g.kw * g.ic;
  view vw = {w, out_c, 1};
  matrix_out out = {y, out_c, 1.0f, 0.0f};
  return gemm_core(rows, out_c, patch, pack_patch_rows, &g, pack_view_cols, &vw, store_matrix,
                   &out);
}

/*
 * dw [patch, outC] = patches(x)^T [patch, rows] @ dy [rows, outC], computed as its transpose
 * dy^T [outC, rows] @ patches(x) [rows, patch], so that the patches are packed a whole row of
 * contiguous runs at a time.
 */
int32_t pe_conv2d_filter_grad(const float *x, const float *dy, float *dw, const int32_t *dims,
                              int32_t out_c) {
  conv_geometry g = geometry(x, dims);
  int64_t rows = g.batch * g.oh * g.ow, patch = g.kh * g.kw * g.ic;
  view vdyt = {dy, 1, out_c}; /* dy^T: element (o, r) at dy[r * out_c + o] */
  matrix_out out = {dw, out_c, 1.0f, 0.0f};
  return gemm_core(out_c, patch, rows, pack_view_rows, &vdyt, pack_patch_panels, &g,
                   store_matrix_transposed, &out);
}

/* dx [batch, inH, inW, inC] = col2im(dy [rows, outC] @ w^T [outC, patch]). */
int32_t pe_conv2d_input_grad(const float *dy, const float *w, float *dx, const int32_t *dims,
                             int32_t out_c) {
  conv_geometry g = geometry(NULL, dims);
  int64_t rows = g.batch * g.oh * g.ow, patch = g.kh * g.kw * g.ic;
  memset(dx, 0, sizeof(float) * g.batch * g.ih * g.iw * g.ic);
  view vdy = {dy, out_c, 1};
  view vwt = {w, 1, out_c}; /* w^T: element (o, p) at w[p * out_c + o] */
  patch_scatter s = {&g, dx};
  return gemm_core(rows, patch, out_c, pack_view_rows, &vdy, pack_view_cols, &vwt,
                   store_patch_scatter, &s);
}
