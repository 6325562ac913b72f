# Peer timings for bench/stats_bench.ts: R pROC on the same inputs.
# Usage: Rscript bench/stats_peer.R <inputs.csv> <runs>
# The CSV has columns label, scoreA, scoreB. Prints one JSON line with the timings in seconds.
suppressMessages(library(pROC))
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1])
runs <- as.integer(args[2])

elapsed <- function(f) {
  start <- proc.time()[["elapsed"]]
  value <- f()
  list(seconds = proc.time()[["elapsed"]] - start, value = value)
}
make_roc <- function(scores) {
  roc(response = data$label, predictor = scores, levels = c(0, 1), direction = "<", quiet = TRUE)
}

roc_ci <- list()
test_only <- list()
test_with_roc <- list()
for (i in seq_len(runs)) {
  roc_ci[[i]] <- elapsed(function() ci.auc(make_roc(data$scoreA), method = "delong"))
  ra <- make_roc(data$scoreA)
  rb <- make_roc(data$scoreB)
  test_only[[i]] <- elapsed(function() roc.test(ra, rb, method = "delong", paired = TRUE))
  test_with_roc[[i]] <- elapsed(function() {
    roc.test(make_roc(data$scoreA), make_roc(data$scoreB), method = "delong", paired = TRUE)
  })
}
seconds <- function(items) sprintf("[%s]", paste(sprintf("%.4f", sapply(items, `[[`, "seconds")), collapse = ","))
ci <- as.numeric(roc_ci[[1]]$value)
cat(sprintf(paste0(
  "{\"peer\":\"R %s, pROC %s\",\"rocCiAuc\":%s,\"rocTest\":%s,\"rocTestWithRoc\":%s,",
  "\"auc\":%.17g,\"low\":%.17g,\"high\":%.17g,\"p\":%.17g}\n"),
  getRversion(), packageVersion("pROC"), seconds(roc_ci), seconds(test_only),
  seconds(test_with_roc), ci[2], ci[1], ci[3], test_only[[1]]$value$p.value))
