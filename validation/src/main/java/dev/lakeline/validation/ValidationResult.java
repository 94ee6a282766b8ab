package dev.lakeline.validation;

import java.util.List;

/** The outcome of a suite on one batch, in Great Expectations' shape. */
public record ValidationResult(String suite, long rowCount, List<ExpectationResult> results) {
  public ValidationResult {
    results = List.copyOf(results);
  }

  /** True when every expectation passed. */
  public boolean success() {
    return results.stream().allMatch(ExpectationResult::success);
  }

  /** The failed expectations of severity ERROR. */
  public List<ExpectationResult> errors() {
    return results.stream()
        .filter(r -> !r.success() && r.expectation().severity() == Severity.ERROR)
        .toList();
  }

  public int evaluated() {
    return results.size();
  }

  public int successful() {
    return (int) results.stream().filter(ExpectationResult::success).count();
  }

  /** One line per failed expectation, for job output and error messages. */
  public String failureSummary() {
    StringBuilder b = new StringBuilder();
    for (ExpectationResult r : results) {
      if (!r.success()) {
        b.append(String.format(
            "  - [%s] %s: %s%n", r.expectation().severity(), r.expectation().label(), r.observed()));
      }
    }
    return b.toString();
  }
}
