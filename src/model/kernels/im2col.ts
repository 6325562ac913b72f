/**
 * im2col and its adjoint col2im for NHWC 2-D convolutions: the patch matrix that turns a
 * convolution and both of its gradients into matrix products.
 *
 * For a convolution with info `conv` (tf.backend_util.Conv2DInfo):
 * - x: [batch, inH, inW, inC]
 * - col: [batch * outH * outW, kH * kW * inC], row m = (n, oh, ow), column (kh, kw, ci);
 *   taps that fall into the padding are 0.
 * Then y = col @ W (W reshaped [kH * kW * inC, outC]), dW = col^T @ dy, and
 * dx = col2im(dy @ W^T). {@link im2colTransposed} writes col^T directly, so dW needs no
 * transposed matrix product; {@link col2im} is the adjoint of the (untransposed) col.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/**
 * Fills `colT` ([kH * kW * inC, batch * outH * outW]) with the transposed patch matrix of `x`
 * ([batch, inH, inW, inC]): row (kh, kw, ci) holds that tap of every output position; taps in
 * the padding are 0. Every element of `colT` is written.
 *
 * @example
 * ```ts ignore
 * const conv = tf.backend_util.computeConv2DInfo([1, 2, 2, 1], [2, 2, 1, 1], 1, 1, "valid");
 * const colT = new Float32Array(4);
 * im2colTransposed(Float32Array.of(1, 2, 3, 4), conv, colT); // colT = [1, 2, 3, 4]
 * ```
 */
export function im2colTransposed(
  x: Float32Array,
  conv: tf.backend_util.Conv2DInfo,
  colT: Float32Array,
): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = conv;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = conv;
  const { dilationHeight, dilationWidth } = conv;
  const padTop = conv.padInfo.top;
  const padLeft = conv.padInfo.left;
  const step = strideWidth * c; // distance in x between neighbouring output columns
  const rows = batchSize * outHeight * outWidth; // length of one colT row
  const perImage = outHeight * outWidth;
  // One image at a time (it stays in cache while every tap row reads it), each tap row written
  // as one contiguous run of outH * outW values.
  for (let n = 0; n < batchSize; n++) {
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        // output columns whose tap kw lands inside the image: [owStart, owEnd)
        const shift = kw * dilationWidth - padLeft;
        const owStart = Math.min(outWidth, Math.max(0, Math.ceil(-shift / strideWidth)));
        const owEnd = Math.max(
          owStart,
          Math.min(outWidth, Math.ceil((inWidth - shift) / strideWidth)),
        );
        for (let ci = 0; ci < c; ci++) {
          let dst = ((kh * filterWidth + kw) * c + ci) * rows + n * perImage;
          for (let oh = 0; oh < outHeight; oh++, dst += outWidth) {
            const ih = oh * strideHeight + kh * dilationHeight - padTop;
            if (ih < 0 || ih >= inHeight) {
              colT.fill(0, dst, dst + outWidth);
              continue;
            }
            for (let ow = 0; ow < owStart; ow++) colT[dst + ow] = 0;
            let src = ((n * inHeight + ih) * inWidth + owStart * strideWidth + shift) * c + ci;
            for (let ow = owStart; ow < owEnd; ow++, src += step) colT[dst + ow] = x[src];
            for (let ow = owEnd; ow < outWidth; ow++) colT[dst + ow] = 0;
          }
        }
      }
    }
  }
}

/**
 * Adds each patch row of `col` ([batch * outH * outW, kH * kW * inC]) back into `dx`
 * ([batch, inH, inW, inC], zeroed by the caller): the adjoint of im2col, so
 * dx = col2im(dy @ W^T) is the input gradient of the convolution.
 *
 * @example
 * ```ts ignore
 * const conv = tf.backend_util.computeConv2DInfo([1, 2, 2, 1], [2, 2, 1, 1], 1, 1, "same");
 * const dx = new Float32Array(4);
 * col2im(new Float32Array(16).fill(1), conv, dx); // dx = [1, 2, 2, 4]
 * ```
 */
export function col2im(
  col: Float32Array,
  conv: tf.backend_util.Conv2DInfo,
  dx: Float32Array,
): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = conv;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = conv;
  const { dilationHeight, dilationWidth } = conv;
  const padTop = conv.padInfo.top;
  const padLeft = conv.padInfo.left;
  let m = 0;
  for (let n = 0; n < batchSize; n++) {
    const xBatch = n * inHeight * inWidth * c;
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh * dilationHeight - padTop;
          const rowInside = ih >= 0 && ih < inHeight;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth + kw * dilationWidth - padLeft;
            if (rowInside && iw >= 0 && iw < inWidth) {
              let dst = xBatch + (ih * inWidth + iw) * c;
              for (let ci = 0; ci < c; ci++) dx[dst++] += col[m++];
            } else {
              m += c;
            }
          }
        }
      }
    }
  }
}
