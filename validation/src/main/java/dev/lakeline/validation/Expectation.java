package dev.lakeline.validation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One expectation in Great Expectations' terms: its type ({@code expect_column_values_to_not_be_null}), its
 * {@code kwargs}, and Lakeline's severity.
 */
public record Expectation(String type, Map<String, Object> kwargs, Severity severity) {
  public Expectation {
    kwargs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
    severity = severity == null ? Severity.ERROR : severity;
  }

  public static Expectation of(String type, Map<String, Object> kwargs) {
    return new Expectation(type, kwargs, Severity.ERROR);
  }

  public Expectation withSeverity(Severity value) {
    return new Expectation(type, kwargs, value);
  }

  /** A short label for reports: the type and its column(s). */
  public String label() {
    Object column = kwargs.containsKey("column") ? kwargs.get("column") : kwargs.get("column_list");
    return column == null ? type : type + "(" + column + ")";
  }
}
