package dev.lakeline.validation;

import static dev.lakeline.validation.Summaries.percent;

import dev.lakeline.validation.internal.deequ.Measure;
import dev.lakeline.validation.internal.deequ.Measurement;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegralType;

/**
 * Decides each expectation from Deequ's measurements with Great Expectations' semantics: column-map
 * expectations count only non-null values ({@code mostly} is the share of those that must pass) and are
 * vacuously true when there are none — also when Deequ reports an "empty state" because its {@code where}
 * filter matched no row; aggregate expectations fail without a value to judge; the standard deviation is the
 * sample one; a metric Deequ could not compute fails the expectation with its reason.
 */
final class Interpreter {
  private Interpreter() {}

  static ExpectationResult decide(Compiled c, Measurement m, long rows, Plan plan) {
    Expectation e = c.expectation();
    if (c.kind() == ExpectationTypes.Kind.SCHEMA) {
      return SchemaChecks.decide(c, plan.batch().schema(), rows);
    }
    if (c.kind() == ExpectationTypes.Kind.TABLE) {
      boolean ok = Bounds.within(e, rows);
      return result(c, ok, rows, null, null, rows, "row count " + rows + Bounds.describe(e));
    }
    if (m.failed()) {
      return new ExpectationResult(e, c.label(), false, rows, null, null, List.of(), null, m.failure(), "could not be evaluated");
    }
    if (c.rowLevel()) {
      return rowLevel(c, m, rows);
    }
    if (e.type().equals("expect_column_distinct_values_to_be_in_set")) {
      long unexpected = m.count() - m.matches();
      String detail = m.count() == 0 ? "no non-null values (vacuously true)"
          : unexpected == 0 ? "every distinct value is in the set"
          : unexpected + " of " + m.count() + " non-null values are outside the set";
      return result(c, unexpected == 0, rows, null, null, null, detail);
    }
    return aggregate(c, m, rows, plan);
  }

  private static ExpectationResult rowLevel(Compiled c, Measurement m, long rows) {
    Expectation e = c.expectation();
    long evaluated = m.count();
    long unexpected = evaluated - m.matches();
    Long missing = c.nullCheck() ? null : rows - evaluated;
    double mostly = e.kwargs().get("mostly") instanceof Number n ? n.doubleValue() : 1.0;
    boolean success = evaluated == 0 || (double) m.matches() / evaluated >= mostly;
    String what = switch (e.type()) {
      case "expect_column_values_to_not_be_null" -> "rows are null";
      case "expect_column_values_to_be_null" -> "rows are not null";
      case "expect_column_values_to_be_unique" -> "non-null values are duplicated";
      case "expect_compound_columns_to_be_unique" -> "keys are duplicated";
      case "expect_row_values_to_satisfy_sql" -> "rows break the condition";
      default -> "non-null values are unexpected";
    };
    String detail;
    if (evaluated == 0) {
      detail = c.nullCheck() ? "no rows (vacuously true)" : "nothing to evaluate: no non-null values (vacuously true)";
    } else {
      detail = unexpected + " of " + evaluated + " " + what + " (" + percent(100.0 * unexpected / evaluated) + ")";
      if (mostly < 1.0) {
        detail += String.format(Locale.ROOT, "; mostly=%s allows %s", trim(mostly), percent(100 * (1 - mostly)));
      }
      if (missing != null && missing > 0) {
        detail += "; " + missing + " null" + (missing == 1 ? "" : "s") + " not evaluated";
      }
    }
    return result(c, success, rows, missing, unexpected, null, detail);
  }

  private static ExpectationResult aggregate(Compiled c, Measurement m, long rows, Plan plan) {
    Expectation e = c.expectation();
    Double value = m.value();
    boolean proportion = c.measure() instanceof Measure.Distinctness;
    if (value == null && proportion) {
      value = 0.0; // GE: no non-null values → proportion 0
    }
    if (value != null && value.isNaN()) {
      // a NaN is a value, not a null: it makes a mean, sum, deviation or maximum NaN, which lies within no bounds
      return result(c, false, rows, null, null, value,
          "observed NaN: column '" + c.columns().get(0) + "' holds NaN values (a NaN is a value, not a null, and lies within no bounds)");
    }
    if (value != null && c.measure() instanceof Measure.Statistic s && s.stat() == Measure.Stat.STDDEV_POP) {
      long n = m.count() == null ? 0 : m.count();
      // Deequ computes the population standard deviation; GE the sample one: s = σ·√(n/(n−1)).
      value = n < 2 ? null : value * Math.sqrt((double) n / (n - 1));
      if (value == null) {
        return result(c, false, rows, null, null, null, "the sample standard deviation needs at least 2 non-null values, got " + n);
      }
    }
    if (value == null) {
      return result(c, false, rows, null, null, null, "no non-null values in column '" + c.columns().get(0) + "' to measure");
    }
    Object observed = value;
    DataType type = plan.batch().schema().apply(c.columns().get(0)).dataType();
    if (c.measure() instanceof Measure.Statistic s
        && (s.stat() == Measure.Stat.MIN || s.stat() == Measure.Stat.MAX)
        && type instanceof IntegralType
        && value == Math.rint(value)) {
      observed = value.longValue();
    }
    boolean ok = Bounds.within(e, value);
    return result(c, ok, rows, null, null, observed, "observed " + observed + Bounds.describe(e));
  }

  private static ExpectationResult result(
      Compiled c, boolean success, long rows, Long missing, Long unexpected, Object observed, String detail) {
    return new ExpectationResult(c.expectation(), c.label(), success, rows, missing, unexpected, List.of(), observed, null, detail);
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
