package dev.lakeline.validation;

import dev.lakeline.core.Errors;
import java.util.Locale;

/** What the gate does with a batch that fails error-severity expectations. */
public enum IngestionPolicy {
  /** Any error-severity failure rejects the whole batch; nothing is committed. The default. */
  STRICT,
  /** Everything is committed; failures are only recorded (a monitoring mode). */
  ALWAYS,
  /**
   * Rows that break an error-severity row-level expectation are quarantined, the rest are committed. A failed
   * error-severity table or aggregate expectation rejects the whole batch, as under {@link #STRICT}.
   */
  QUARANTINE;

  /** Reads {@code strict}, {@code always} or {@code quarantine} (any case); {@code where} names the source. */
  public static IngestionPolicy parse(String where, String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw Errors.config("%s: policy '%s' is not one of strict, always, quarantine.", where, value);
    }
  }
}
