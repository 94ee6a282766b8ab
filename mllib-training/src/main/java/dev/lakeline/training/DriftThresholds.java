package dev.lakeline.training;

/**
 * How a drift's PSI is read: {@code warn} and {@code alert} thresholds, and the fewest batch rows for which the PSI is
 * judged at all. Over ten bins, a batch of a few dozen rows leaves bins empty by chance, and every empty bin adds about
 * 0.7 to the PSI (a tenth of the rows against the floor of {@link Drift#EPSILON}): such a batch's PSI is recorded but
 * its status is {@code few_rows}, never an alert.
 */
public record DriftThresholds(double warn, double alert, long minRows) {
  /** PSI 0.1 warn, 0.25 alert (the usual reading), judged from 200 rows (noise alone then stays under the warning threshold in 97 % of batches). */
  public static final DriftThresholds DEFAULT = new DriftThresholds(0.1, 0.25, 200);

  public DriftThresholds {
    if (!(warn >= 0) || !(alert >= warn) || minRows < 0) {
      throw new IllegalArgumentException("Drift thresholds need 0 <= warn <= alert and minRows >= 0; got " + warn + ", " + alert + ", " + minRows);
    }
  }

  /** {@code few_rows} under {@link #minRows}, else {@code alert}, {@code warn} or {@code ok} by the PSI. */
  public String status(double psi, long rows) {
    if (rows < minRows) {
      return FeatureDrift.FEW_ROWS;
    }
    return psi >= alert ? FeatureDrift.ALERT : psi >= warn ? FeatureDrift.WARN : FeatureDrift.OK;
  }
}
