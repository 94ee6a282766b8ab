package dev.lakeline.validation.internal.deequ;

/**
 * What Deequ measured for one {@link Measure}.
 *
 * @param value the metric's value, null when it has none (empty input or a failure)
 * @param matches rows that satisfied the measure (compliance, uniqueness: rows whose key occurs once), or null
 * @param count rows the measure looked at (after its filter), or null when unknown
 * @param empty true when Deequ found no input rows (its "empty state"): all filtered away, or no non-null values
 * @param failure why the metric could not be computed, or null; never set together with {@code empty}
 */
public record Measurement(Double value, Long matches, Long count, boolean empty, String failure) {

  static Measurement failed(String message) {
    return new Measurement(null, null, null, false, message);
  }

  public boolean failed() {
    return failure != null;
  }
}
