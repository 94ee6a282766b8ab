package dev.lakeline.validation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One expectation in Great Expectations' terms: its type ({@code expect_column_values_to_not_be_null}), its
 * {@code kwargs}, and Lakeline's severity. Numbers in kwargs are normalised (whole numbers to Integer or Long,
 * others to Double) so that an expectation built in code equals the same one read from a file.
 */
public record Expectation(String type, Map<String, Object> kwargs, Severity severity) {
  public Expectation {
    kwargs = Collections.unmodifiableMap(Numbers.normaliseMap(kwargs == null ? Map.of() : kwargs));
    severity = severity == null ? Severity.ERROR : severity;
  }

  public static Expectation of(String type, Map<String, Object> kwargs) {
    return new Expectation(type, kwargs, Severity.ERROR);
  }

  /**
   * The expectations of a primary key: every key column not null, and the key unique. Rows whose key columns
   * are all null count as duplicates of each other ({@code ignore_row_if: never}), unlike in Deequ's uniqueness,
   * which skips them.
   */
  public static List<Expectation> primaryKey(List<String> columns) {
    List<Expectation> out = new ArrayList<>();
    for (String c : columns) {
      out.add(of("expect_column_values_to_not_be_null", Map.of("column", c)));
    }
    out.add(of("expect_compound_columns_to_be_unique", Map.of("column_list", columns, "ignore_row_if", "never")));
    return out;
  }

  public Expectation withSeverity(Severity value) {
    return new Expectation(type, kwargs, value);
  }

  public Expectation withKwarg(String name, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(kwargs);
    m.put(name, value);
    return new Expectation(type, m, severity);
  }

  /** A short label for reports and quarantine: the type and its column(s) or condition. */
  public String label() {
    Object subject = kwargs.get("column");
    if (subject == null && kwargs.get("column_list") instanceof List<?> l) {
      subject = String.join(", ", l.stream().map(String::valueOf).toList());
    }
    if (subject == null) {
      subject = kwargs.get("condition");
    }
    return subject == null ? type : type + "(" + subject + ")";
  }

  /** Whether the expectation judges single rows (column-map and row expectations), so rows can be quarantined. */
  public boolean rowLevel() {
    return ExpectationTypes.known(type) && ExpectationTypes.kind(type).rowLevel();
  }
}
