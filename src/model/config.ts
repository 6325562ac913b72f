/**
 * The network's shape as configuration: which slice encoder, the width of the per-slice
 * features, attention heads, BiLSTM depth and width, how the exam logit is pooled and which
 * features feed the slice head.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { modelConfigSchema } from "./config.ts";
 * const config = modelConfigSchema.parse({ encoder: "small" });
 * assert.equal(config.lstmLayers, 3);
 * ```
 */
import { z } from "zod";

/** Encoder presets: output channels of each stride-2 stage, and 3x3 convs per stage. */
export const ENCODER_PRESETS = {
  /** CPU default: 4 stride-2 3x3 convs 16/32/64/128 + global average pool (128 features). */
  small: { channels: [16, 32, 64, 128], convsPerStage: 1 },
  /** GPU: 5 stages 32..512, two 3x3 convs each (the second at stride 1), 512 features. */
  large: { channels: [32, 64, 128, 256, 512], convsPerStage: 2 },
} as const;

/** Model configuration (one schema; every field has a default). */
export const modelConfigSchema = z.object({
  /** Per-slice 2D encoder preset. */
  encoder: z.enum(["small", "large"]).default("small"),
  /**
   * How each slice's last feature maps become one vector: global average (the method's
   * CoAtNet head) or global max, which keeps a small local finding (one clot among many
   * vessels) from being averaged away; the demo uses max (docs/training.md).
   */
  spatialPooling: z.enum(["average", "max"]).default("average"),
  /**
   * Batch norm after each encoder conv ("batch") or none (the default; the method's CoAtNet has
   * its own normalisation). Trained from scratch in a few thousand steps, a small CNN finds
   * small clots sooner with it (docs/demo.md).
   */
  encoderNorm: z.enum(["none", "batch"]).default("none"),
  /** Width of the projected per-slice features (linear -> batch norm). */
  featureSize: z.number().int().positive().default(64),
  /** Heads of the self-attention over slices; must divide featureSize. */
  attentionHeads: z.number().int().positive().default(4),
  /** Stacked bidirectional LSTM layers. */
  lstmLayers: z.number().int().min(1).default(3),
  /** Hidden units per LSTM direction. */
  lstmHidden: z.number().int().positive().default(64),
  /** Exam logit from attention pooling over slices (method) or the last step (published). */
  examPooling: z.enum(["attention", "last"]).default("attention"),
  /** Slice head input: BiLSTM outputs (method, with context) or projected features (published). */
  sliceFeatures: z.enum(["bilstm", "projected"]).default("bilstm"),
}).refine((c) => c.featureSize % c.attentionHeads === 0, {
  message: "featureSize must be divisible by attentionHeads; fix: e.g. 64 features, 4 heads",
  path: ["attentionHeads"],
});

/** A validated model configuration. */
export type ModelConfig = z.infer<typeof modelConfigSchema>;
