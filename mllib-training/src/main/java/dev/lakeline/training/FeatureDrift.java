package dev.lakeline.training;

/**
 * How far one column of a batch moved from its baseline.
 *
 * @param feature the column ({@code score} for the model's scores)
 * @param kind {@link FeatureProfile#NUMERIC} or {@link FeatureProfile#CATEGORICAL}
 * @param rows the batch's rows
 * @param psi the population stability index over the baseline's bins and the null bin: Σ (a − e) · ln(a / e), shares
 *     floored at {@link Drift#EPSILON}; under 0.1 is usually read as stable, 0.1–0.25 as worth a look, above 0.25 as
 *     moved
 * @param maxGap numeric: the largest gap between the two cumulative shares at a bin edge (a binned Kolmogorov–Smirnov
 *     statistic, nulls left out); categorical: the largest gap between the shares of one category
 * @param baselineNullRate the share of nulls in the baseline
 * @param nullRate the share of nulls in the batch
 * @param status {@code ok}, {@code warn} (PSI at or above the warning threshold), {@code alert}, or {@code few_rows}
 *     (a batch too small for its PSI to mean much: {@link DriftThresholds})
 */
public record FeatureDrift(
    String feature, String kind, long rows, double psi, double maxGap, double baselineNullRate, double nullRate, String status) {
  public static final String OK = "ok";
  public static final String WARN = "warn";
  public static final String ALERT = "alert";
  public static final String FEW_ROWS = "few_rows";
}
