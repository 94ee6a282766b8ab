package dev.lakeline.validation;

import dev.lakeline.core.Errors;
import dev.lakeline.validation.internal.deequ.DeequRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Runs an expectation suite on a batch with Deequ, in one verification pass, with Great Expectations'
 * semantics: column-map expectations look at non-null values only ({@code mostly} is the share of those that
 * must pass; no non-null values passes), null checks look at every row.
 */
public final class Validator {
  private Validator() {}

  /** Validates {@code batch}; persist it first if it is expensive to compute. */
  public static ValidationResult validate(Dataset<Row> batch, ExpectationSuite suite) {
    List<String> columns = Arrays.asList(batch.columns());
    List<DeequRunner.Constraint> constraints = new ArrayList<>();
    List<Integer> index = new ArrayList<>();
    List<ExpectationResult> results = new ArrayList<>();
    constraints.add(new DeequRunner.Size(null, null));
    for (Expectation e : suite.expectations()) {
      ExpectationTypes.check("suite '" + suite.name() + "'", e);
      if (!e.type().equals("expect_column_to_exist")) {
        for (String c : referencedColumns(e)) {
          if (!columns.contains(c)) {
            throw Errors.config(
                "Suite '%s', %s: the batch has no column '%s' (it has %s). Fix the suite or the data.",
                suite.name(), e.label(), c, columns);
          }
        }
      }
      index.add(constraints.size());
      DeequRunner.Constraint c = compile(e, columns);
      if (c != null) {
        constraints.add(c);
      }
    }
    List<DeequRunner.Outcome> outcomes = DeequRunner.run(deequView(batch), constraints);
    long rows = (long) outcomes.get(0).value();
    for (int i = 0; i < suite.expectations().size(); i++) {
      Expectation e = suite.expectations().get(i);
      if (e.type().equals("expect_column_to_exist")) {
        boolean ok = columns.contains(string(e, "column"));
        results.add(new ExpectationResult(e, ok, rows, -1, ok ? "column present" : "column missing"));
        continue;
      }
      DeequRunner.Outcome o = outcomes.get(index.get(i));
      results.add(interpret(e, o, rows));
    }
    return new ValidationResult(suite.name(), rows, results);
  }

  private static ExpectationResult interpret(Expectation e, DeequRunner.Outcome o, long rows) {
    boolean vacuous = Double.isNaN(o.value()) && o.message() != null
        && (o.message().contains("Empty state") || o.message().contains("NaN"));
    if (vacuous) {
      return new ExpectationResult(e, true, 0, 0, "no non-null values");
    }
    if (Double.isNaN(o.value())) {
      return new ExpectationResult(e, false, rows, -1, "could not be computed: " + o.message());
    }
    return switch (e.type()) {
      case "expect_table_row_count_to_be_between" ->
          new ExpectationResult(e, o.passed(), rows, -1, "row count " + (long) o.value());
      case "expect_column_values_to_not_be_null" -> {
        long unexpected = Math.round((1 - o.value()) * rows);
        yield new ExpectationResult(e, o.passed(), rows, unexpected, unexpected + " null values of " + rows);
      }
      default ->
          new ExpectationResult(
              e, o.passed(), -1, -1, String.format(Locale.ROOT, "%.2f%% of values as expected", 100 * o.value()));
    };
  }

  private static DeequRunner.Constraint compile(Expectation e, List<String> columns) {
    double mostly = e.kwargs().get("mostly") instanceof Number n ? n.doubleValue() : 1.0;
    return switch (e.type()) {
      case "expect_column_to_exist" -> null;
      case "expect_column_values_to_not_be_null" -> new DeequRunner.Completeness(deequName(columns, string(e, "column")), mostly);
      case "expect_column_values_to_be_between" -> {
        String c = deequName(columns, string(e, "column"));
        List<String> parts = new ArrayList<>();
        if (e.kwargs().get("min_value") instanceof Number lo) {
          parts.add(c + (bool(e, "strict_min") ? " > " : " >= ") + lo);
        }
        if (e.kwargs().get("max_value") instanceof Number hi) {
          parts.add(c + (bool(e, "strict_max") ? " < " : " <= ") + hi);
        }
        String predicate = parts.isEmpty() ? "TRUE" : String.join(" AND ", parts);
        yield new DeequRunner.Compliance(e.label(), predicate, c + " IS NOT NULL", mostly, List.of(c));
      }
      case "expect_column_values_to_be_in_set" -> {
        String c = deequName(columns, string(e, "column"));
        String set =
            ((List<?>) e.kwargs().get("value_set"))
                .stream().map(Validator::literal).collect(Collectors.joining(", "));
        yield new DeequRunner.Compliance(
            e.label(), c + " IN (" + set + ")", c + " IS NOT NULL", mostly, List.of(c));
      }
      case "expect_column_values_to_be_unique" -> new DeequRunner.Uniqueness(List.of(deequName(columns, string(e, "column"))));
      case "expect_compound_columns_to_be_unique" -> new DeequRunner.Uniqueness(referencedColumns(e).stream().map(c -> deequName(columns, c)).toList());
      case "expect_table_row_count_to_be_between" ->
          new DeequRunner.Size(longOrNull(e, "min_value"), longOrNull(e, "max_value"));
      default -> throw Errors.config("Unsupported expectation type '%s'.", e.type());
    };
  }

  /**
   * The batch as Deequ sees it: every column renamed to its position ({@code _c0}, {@code _c1}, …). Deequ parses
   * some column names as attribute paths, which fails on a backtick and misreads a dot; positional names avoid
   * both. {@link #compile} refers to columns through {@link #deequName}.
   */
  private static Dataset<Row> deequView(Dataset<Row> batch) {
    String[] names = new String[batch.columns().length];
    for (int i = 0; i < names.length; i++) {
      names[i] = "_c" + i;
    }
    return batch.toDF(names);
  }

  private static String deequName(List<String> columns, String column) {
    return "_c" + columns.indexOf(column);
  }

  static List<String> referencedColumns(Expectation e) {
    if (e.kwargs().get("column_list") instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    return e.kwargs().containsKey("column") ? List.of(string(e, "column")) : List.of();
  }

  private static String string(Expectation e, String key) {
    return String.valueOf(e.kwargs().get(key));
  }

  private static boolean bool(Expectation e, String key) {
    return Boolean.TRUE.equals(e.kwargs().get(key));
  }

  private static Long longOrNull(Expectation e, String key) {
    return e.kwargs().get(key) instanceof Number n ? n.longValue() : null;
  }

  private static String literal(Object v) {
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return "'" + String.valueOf(v).replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
