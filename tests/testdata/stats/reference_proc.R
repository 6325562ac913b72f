# Expected values from R (pROC 1.18) for the src/stats reference tests.
# Reads inputs.json beside this file, writes expected_proc.json (numbers with 17 significant
# digits; NA -> null, +-Inf -> "Infinity" / "-Infinity").
# Run from the repository root: Rscript tests/testdata/stats/reference_proc.R
suppressMessages({
  library(pROC)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
inputs <- fromJSON(file.path(here, "inputs.json"), simplifyVector = TRUE)

# Minimal JSON writer with full double precision.
num <- function(x) {
  if (length(x) == 0) return("[]")
  out <- ifelse(is.na(x), "null",
    ifelse(is.infinite(x), ifelse(x > 0, "\"Infinity\"", "\"-Infinity\""), sprintf("%.17g", x)))
  if (length(x) == 1) out else paste0("[", paste(out, collapse = ","), "]")
}
obj <- function(...) {
  fields <- list(...)
  paste0("{", paste(sprintf("\"%s\":%s", names(fields), unlist(fields)), collapse = ","), "}")
}
arr <- function(items) paste0("[", paste(unlist(items), collapse = ","), "]")
str_ <- function(s) sprintf("\"%s\"", s)
safe <- function(expr, fallback) tryCatch(expr, error = function(e) fallback, warning = function(w) {
  suppressWarnings(expr)
})

make_roc <- function(scores, labels) {
  roc(response = labels, predictor = scores, levels = c(0, 1), direction = "<", quiet = TRUE)
}

roc_out <- lapply(seq_len(nrow(inputs$rocCases)), function(i) {
  case <- inputs$rocCases[i, ]
  r <- make_roc(case$scores[[1]], case$labels[[1]])
  ci <- safe(as.numeric(ci.auc(r, method = "delong", conf.level = 0.95)), rep(NA, 3))
  ci90 <- safe(as.numeric(ci.auc(r, method = "delong", conf.level = 0.9)), rep(NA, 3))
  v <- safe(var(r, method = "delong"), NA)
  best <- coords(r, x = "best", best.method = "youden",
    ret = c("threshold", "sensitivity", "specificity"), transpose = FALSE)
  obj(
    name = str_(case$name), auc = num(as.numeric(auc(r))), variance = num(v),
    ci95 = num(ci), ci90 = num(ci90),
    youdenThresholds = num(best$threshold), youdenSensitivity = num(best$sensitivity),
    youdenSpecificity = num(best$specificity)
  )
})

paired_out <- lapply(seq_len(nrow(inputs$pairedCases)), function(i) {
  case <- inputs$pairedCases[i, ]
  ra <- make_roc(case$scoresA[[1]], case$labels[[1]])
  rb <- make_roc(case$scoresB[[1]], case$labels[[1]])
  t <- suppressWarnings(roc.test(ra, rb, method = "delong", paired = TRUE))
  obj(
    name = str_(case$name), aucA = num(as.numeric(auc(ra))), aucB = num(as.numeric(auc(rb))),
    z = num(unname(t$statistic)), p = num(t$p.value)
  )
})

case_by_name <- function(name) inputs$rocCases[inputs$rocCases$name == name, ]
unpaired_out <- lapply(seq_len(nrow(inputs$unpairedCases)), function(i) {
  a <- case_by_name(inputs$unpairedCases$a[i])
  b <- case_by_name(inputs$unpairedCases$b[i])
  ra <- make_roc(a$scores[[1]], a$labels[[1]])
  rb <- make_roc(b$scores[[1]], b$labels[[1]])
  t <- suppressWarnings(roc.test(ra, rb, method = "delong", paired = FALSE))
  obj(
    a = str_(a$name), b = str_(b$name), aucA = num(as.numeric(auc(ra))),
    aucB = num(as.numeric(auc(rb))), z = num(unname(t$statistic)),
    df = num(unname(t$parameter)), p = num(t$p.value)
  )
})

holm_out <- lapply(inputs$holmSets, function(p) num(p.adjust(p, method = "holm")))
holm_missing_out <- lapply(inputs$holmWithMissing, function(p) {
  num(p.adjust(as.numeric(sapply(p, function(v) if (is.null(v)) NA else v)), method = "holm"))
})

json <- obj(
  generator = str_(sprintf("R %s, pROC %s", getRversion(), packageVersion("pROC"))),
  roc = arr(roc_out), paired = arr(paired_out), unpaired = arr(unpaired_out),
  holm = arr(holm_out), holmWithMissing = arr(holm_missing_out),
  pnorm = num(pnorm(inputs$normalX)), qnorm = num(qnorm(inputs$normalP))
)
writeLines(json, file.path(here, "expected_proc.json"))
