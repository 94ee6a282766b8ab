package dev.lakeline.validation;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Readable text for results and reports: one line per failed expectation. */
final class Summaries {
  private static final int SHOWN_VALUES = 5;

  private Summaries() {}

  static String failures(ValidationResult r) {
    StringBuilder b = new StringBuilder();
    for (ExpectationResult e : r.results()) {
      if (!e.success()) {
        b.append("  - ").append(line(e)).append(System.lineSeparator());
      }
    }
    return b.toString();
  }

  /** "[ERROR] label: detail; unexpected values: a, b, c …" */
  static String line(ExpectationResult e) {
    StringBuilder b = new StringBuilder();
    b.append('[').append(e.expectation().severity()).append("] ").append(e.label()).append(": ");
    b.append(e.raisedException() ? "could not be evaluated: " + e.exceptionMessage() : e.detail());
    List<Object> values = e.partialUnexpectedList();
    if (!values.isEmpty() && values.stream().anyMatch(v -> v != null)) {
      b.append("; unexpected values: ")
          .append(values.stream().limit(SHOWN_VALUES).map(Summaries::show).collect(Collectors.joining(", ")));
      if (values.size() > SHOWN_VALUES) {
        b.append(", …");
      }
    }
    return b.toString();
  }

  static String percent(double p) {
    return String.format(Locale.ROOT, "%.2f%%", p);
  }

  private static String show(Object v) {
    if (v == null) {
      return "null";
    }
    return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
  }
}
