# Independent reference for tests/report/reference_test.ts: evaluates small_predictions.csv the
# way docs/evaluation.md describes, with R's pROC (AUC, DeLong CI/variance, paired DeLong test,
# Youden threshold), prop.test (Wilson score interval, no continuity correction), binom.test
# (Clopper-Pearson) and p.adjust (Holm). Writes reference_metrics.json.
#
# Run from the repository root:
#   Rscript tests/testdata/report/reference_metrics.R
suppressPackageStartupMessages({
  library(pROC)
  library(jsonlite)
})

dir <- "tests/testdata/report"
raw <- read.csv(file.path(dir, "small_predictions.csv"), stringsAsFactors = FALSE,
                na.strings = character(0))
avg <- aggregate(score ~ exam_id + split + label + subtype + fraction, data = raw, FUN = mean)
fractions <- sort(unique(avg$fraction))
reference <- 100

roc_of <- function(d) roc(d$label, d$score, levels = c(0, 1), direction = "<", quiet = TRUE)

# Youden threshold per fraction on the public split (all exams); ties -> lowest threshold.
thresholds <- sapply(fractions, function(f) {
  d <- avg[avg$split == "public" & avg$fraction == f, ]
  best <- coords(roc_of(d), "best", best.method = "youden", ret = "threshold", transpose = FALSE)
  min(best$threshold)
})
names(thresholds) <- fractions

wilson <- function(x, n) as.numeric(suppressWarnings(prop.test(x, n, correct = FALSE))$conf.int)
clopper <- function(x, n) as.numeric(binom.test(x, n)$conf.int)

rows_for <- function(ci) {
  out <- list()
  for (split in c("public", "private")) {
    for (subset in c("all", "central", "peripheral")) {
      d_split <- avg[avg$split == split, ]
      keep <- if (subset == "all") rep(TRUE, nrow(d_split)) else
        d_split$label == 0 | d_split$subtype == subset
      d_subset <- d_split[keep, ]
      ref <- d_subset[d_subset$fraction == reference, ]
      ref <- ref[order(ref$exam_id), ]
      block <- list()
      for (f in fractions) {
        d <- d_subset[d_subset$fraction == f, ]
        d <- d[order(d$exam_id), ]
        r <- roc_of(d)
        ci_auc <- as.numeric(ci.auc(r, method = "delong"))
        t <- thresholds[[as.character(f)]]
        pred <- d$score >= t
        tp <- sum(pred & d$label == 1); fp <- sum(pred & d$label == 0)
        tn <- sum(!pred & d$label == 0); fn <- sum(!pred & d$label == 1)
        prop <- function(x, n) {
          ci_x <- ci(x, n)
          list(estimate = x / n, low = ci_x[1], high = ci_x[2])
        }
        acc <- prop(tp + tn, tp + fp + tn + fn); sens <- prop(tp, tp + fn)
        spec <- prop(tn, tn + fp); ppv <- prop(tp, tp + fp); npv <- prop(tn, tn + fn)
        p <- if (f == reference) NA else
          roc.test(r, roc_of(ref), method = "delong", paired = TRUE)$p.value
        block[[length(block) + 1]] <- list(
          split = split, subset = subset, fraction = f, n = nrow(d), n_pos = sum(d$label),
          auc = as.numeric(auc(r)), auc_ci_low = ci_auc[1], auc_ci_high = ci_auc[3],
          auc_var = var(r, method = "delong"), threshold = t,
          tp = tp, fp = fp, tn = tn, fn = fn,
          accuracy = acc$estimate, accuracy_ci_low = acc$low, accuracy_ci_high = acc$high,
          sensitivity = sens$estimate, sensitivity_ci_low = sens$low, sensitivity_ci_high = sens$high,
          specificity = spec$estimate, specificity_ci_low = spec$low, specificity_ci_high = spec$high,
          ppv = ppv$estimate, ppv_ci_low = ppv$low, ppv_ci_high = ppv$high,
          npv = npv$estimate, npv_ci_low = npv$low, npv_ci_high = npv$high,
          p_vs_reference = p)
      }
      holm <- p.adjust(sapply(block, function(b) b$p_vs_reference), method = "holm")
      for (i in seq_along(block)) block[[i]]$p_vs_reference_holm <- holm[i]
      out <- c(out, block)
    }
  }
  out
}

ci <- wilson
wilson_rows <- rows_for("wilson")
ci <- clopper
clopper_rows <- rows_for("clopper-pearson")
result <- list(
  source = "small_predictions.csv; R pROC + prop.test/binom.test + p.adjust",
  versions = list(R = R.version.string, pROC = as.character(packageVersion("pROC"))),
  wilson = wilson_rows, `clopper-pearson` = clopper_rows)
write(toJSON(result, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE),
      file.path(dir, "reference_metrics.json"))
cat("wrote", file.path(dir, "reference_metrics.json"), "\n")
