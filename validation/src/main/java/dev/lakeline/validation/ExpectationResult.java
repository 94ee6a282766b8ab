package dev.lakeline.validation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The outcome of one expectation on one batch, in Great Expectations' terms.
 *
 * @param expectation the expectation
 * @param label its label, unique within the suite ({@link ExpectationSuite#labels()})
 * @param success whether it passed (vacuously true for column-map expectations without non-null values)
 * @param elementCount rows in the batch (GE's {@code element_count})
 * @param missingCount rows not evaluated because the value is null (column-map and row expectations other than
 *     the two null checks), else null
 * @param unexpectedCount evaluated rows that broke it (column-map and row expectations), else null; null also
 *     when it could not be evaluated
 * @param partialUnexpectedList up to 20 unexpected values (rows as column→value maps for SQL conditions, keys
 *     as maps for compound uniqueness), filled only when it failed
 * @param observedValue the measured value of table, aggregate and schema expectations, else null
 * @param exceptionMessage why it could not be evaluated, or null when it was
 * @param detail one readable line on what was observed
 */
public record ExpectationResult(
    Expectation expectation,
    String label,
    boolean success,
    long elementCount,
    Long missingCount,
    Long unexpectedCount,
    List<Object> partialUnexpectedList,
    Object observedValue,
    String exceptionMessage,
    String detail) {

  public ExpectationResult {
    partialUnexpectedList =
        partialUnexpectedList == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(partialUnexpectedList));
  }

  /** Unexpected rows as a percentage of the evaluated (non-missing) rows, or null when not a row count. */
  public Double unexpectedPercent() {
    if (unexpectedCount == null) {
      return null;
    }
    long evaluated = elementCount - (missingCount == null ? 0 : missingCount);
    return evaluated <= 0 ? 0.0 : 100.0 * unexpectedCount / evaluated;
  }

  /** True when the expectation could not be evaluated (it then failed). */
  public boolean raisedException() {
    return exceptionMessage != null;
  }

  /** Whether the expectation judges single rows (see {@link Expectation#rowLevel()}). */
  public boolean rowLevel() {
    return expectation.rowLevel();
  }

  /** Failed at severity ERROR. */
  public boolean failedAsError() {
    return !success && expectation.severity() == Severity.ERROR;
  }

  /** What was observed, for messages (the same as {@link #detail()}). */
  public String observed() {
    return detail;
  }

  public ExpectationResult withPartialUnexpectedList(List<Object> values) {
    return new ExpectationResult(
        expectation, label, success, elementCount, missingCount, unexpectedCount, values, observedValue, exceptionMessage, detail);
  }

  public ExpectationResult withObservedValue(Object value) {
    return new ExpectationResult(
        expectation, label, success, elementCount, missingCount, unexpectedCount, partialUnexpectedList, value, exceptionMessage, detail);
  }

  public ExpectationResult withDetail(String value) {
    return new ExpectationResult(
        expectation, label, success, elementCount, missingCount, unexpectedCount, partialUnexpectedList, observedValue, exceptionMessage, value);
  }
}
