package dev.lakeline.validation;

import java.util.List;

/**
 * The outcome of a suite on one batch, in Great Expectations' shape: {@link #success()}, {@link #statistics()}
 * and one {@link ExpectationResult} per expectation, in suite order. {@link #toJson()} writes GE's validation
 * result JSON; {@link #fromJson(String)} reads it back.
 */
public record ValidationResult(String suite, long rowCount, List<ExpectationResult> results) {
  public ValidationResult {
    results = List.copyOf(results);
  }

  /** GE's statistics block. */
  public record Statistics(int evaluatedExpectations, int successfulExpectations, int unsuccessfulExpectations, double successPercent) {}

  /** True when every expectation passed (warnings included, as in GE). */
  public boolean success() {
    return results.stream().allMatch(ExpectationResult::success);
  }

  public Statistics statistics() {
    int evaluated = evaluated();
    int successful = successful();
    return new Statistics(evaluated, successful, evaluated - successful, evaluated == 0 ? 100.0 : 100.0 * successful / evaluated);
  }

  /** The failed expectations of severity ERROR. */
  public List<ExpectationResult> errors() {
    return results.stream().filter(ExpectationResult::failedAsError).toList();
  }

  /** The failed expectations of severity WARNING. */
  public List<ExpectationResult> warnings() {
    return results.stream().filter(r -> !r.success() && r.expectation().severity() == Severity.WARNING).toList();
  }

  /** The result of the expectation labelled {@code label}, or null. */
  public ExpectationResult result(String label) {
    return results.stream().filter(r -> r.label().equals(label)).findFirst().orElse(null);
  }

  public int evaluated() {
    return results.size();
  }

  public int successful() {
    return (int) results.stream().filter(ExpectationResult::success).count();
  }

  public int unsuccessful() {
    return evaluated() - successful();
  }

  /** One line per failed expectation, with its severity, counts and a few unexpected values. */
  public String failureSummary() {
    return Summaries.failures(this);
  }

  /** This result as Great Expectations' validation result JSON. */
  public String toJson() {
    return ResultJson.write(this);
  }

  /** Reads a result written by {@link #toJson()}. */
  public static ValidationResult fromJson(String json) {
    return ResultJson.read(json);
  }
}
