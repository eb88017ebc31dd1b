// Package agreement holds the statistics that compare two raters on an
// ordinal scale, the ones RSMTool reports: quadratic weighted kappa, exact
// and adjacent agreement, weighted F1, Pearson and Spearman correlation and
// the standardized mean difference. Calibration, the review-agreement
// report and the evaluations share them.
//
// It imports the standard library only, so the packages that need a
// statistic (placement, reports, store) do not compile the grading engine.
// Every function is pure and safe for concurrent use.
package agreement
