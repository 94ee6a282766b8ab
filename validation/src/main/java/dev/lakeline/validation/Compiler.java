package dev.lakeline.validation;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import dev.lakeline.core.Errors;
import dev.lakeline.core.Spelling;
import dev.lakeline.core.spark.SqlColumns;
import dev.lakeline.validation.internal.deequ.Measure;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Compiles a suite against a batch ({@link Plan}). Each column-map expectation becomes a pair of never-null
 * boolean Spark columns (evaluated? as expected?) that Deequ counts with {@code satisfies(...).where(...)}:
 * nulls are never evaluated (Great Expectations' semantics) except by the null checks, and no Deequ helper
 * with known 2.0.7 bugs ({@code isNonNegative}, {@code isPositive}, {@code isContainedIn}, {@code
 * isLessThan}…) is used.
 */
final class Compiler {
  private Compiler() {}

  static Plan compile(Dataset<Row> batch, ExpectationSuite suite) {
    List<String> columns = Arrays.asList(batch.columns());
    List<String> labels = suite.labels();
    List<Compiled> items = new ArrayList<>();
    for (int i = 0; i < suite.expectations().size(); i++) {
      Expectation e = suite.expectations().get(i);
      String where = "Suite '" + suite.name() + "', expectation #" + (i + 1) + " (" + e.type() + ")";
      ExpectationTypes.check(where, e);
      items.add(analysed(batch, where, compile(batch, columns, where, i, e, labels.get(i))));
    }
    return new Plan(batch, suite, items, view(batch, items));
  }

  private static Compiled compile(
      Dataset<Row> batch, List<String> columns, String where, int i, Expectation e, String label) {
    ExpectationTypes.Kind kind = ExpectationTypes.kind(e.type());
    List<String> refs = referenced(e);
    if (kind != ExpectationTypes.Kind.SCHEMA || e.type().equals("expect_column_values_to_be_of_type")) {
      for (String c : refs) {
        if (!columns.contains(c)) {
          String close = Spelling.closest(c, columns);
          throw Errors.config("%s: the batch has no column '%s' (it has %s).%s Fix the column name in the suite, or the data.",
              where, c, columns, close == null ? "" : " Did you mean '" + close + "'?");
        }
      }
    }
    String col = refs.isEmpty() ? null : refs.get(0);
    Column c = col == null ? null : SqlColumns.col(col);
    Measure.Compliance compliance = new Measure.Compliance(Plan.okColumn(i), Plan.appliesColumn(i));
    return switch (e.type()) {
      case "expect_column_to_exist", "expect_table_columns_to_match_set", "expect_column_values_to_be_of_type",
          "expect_table_row_count_to_be_between" -> new Compiled(i, e, label, kind, refs, null, null, null);
      case "expect_column_values_to_not_be_null" ->
          new Compiled(i, e, label, kind, refs, null, c.isNotNull(), new Measure.Compliance(Plan.okColumn(i), null));
      case "expect_column_values_to_be_null" ->
          new Compiled(i, e, label, kind, refs, null, c.isNull(), new Measure.Compliance(Plan.okColumn(i), null));
      case "expect_column_values_to_be_between" -> {
        requireDateColumnForDateBounds(batch, where, e, col);
        DataType type = batch.schema().apply(col).dataType();
        boolean floating = type instanceof org.apache.spark.sql.types.DoubleType || type instanceof org.apache.spark.sql.types.FloatType;
        // NaN is a value (not a null) and lies within no bounds; Spark would order it above every number
        Column inBounds = floating ? bounds(c, type, e).and(not(functions.isnan(c))) : bounds(c, type, e);
        yield mapped(i, e, label, kind, refs, c, inBounds);
      }
      case "expect_column_values_to_be_in_set", "expect_column_distinct_values_to_be_in_set" ->
          mapped(i, e, label, kind, refs, c, inSet(where, col, c, typeOf(batch, col), e));
      case "expect_column_values_to_not_be_in_set" ->
          mapped(i, e, label, kind, refs, c, not(inSet(where, col, c, typeOf(batch, col), e)));
      case "expect_column_values_to_match_regex" -> mapped(i, e, label, kind, refs, c, c.cast("string").rlike(string(e, "regex")));
      case "expect_column_values_to_not_match_regex" ->
          mapped(i, e, label, kind, refs, c, not(c.cast("string").rlike(string(e, "regex"))));
      case "expect_column_value_lengths_to_be_between" -> mapped(i, e, label, kind, refs, c, bounds(length(c.cast("string")), DataTypes.IntegerType, e));
      case "expect_row_values_to_satisfy_sql" -> {
        Column condition = SqlConditions.resolve(batch, where, string(e, "condition"));
        yield new Compiled(i, e, label, kind, List.of(), condition.isNotNull(), coalesce(condition, lit(false)), compliance);
      }
      case "expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique" -> unique(i, e, label, kind, refs, columns);
      case "expect_column_proportion_of_unique_values_to_be_between" ->
          new Compiled(i, e, label, kind, refs, null, null, new Measure.Distinctness(Plan.positional(columns.indexOf(col))));
      default -> statistic(batch, columns, where, i, e, label, kind, col);
    };
  }

  /**
   * Resolves the expectation's expressions against the batch now, so that a value of the wrong type (a date
   * bound on a number column, …) is a config error naming the expectation rather than a failure of the run.
   */
  private static Compiled analysed(Dataset<Row> batch, String where, Compiled c) {
    if (c.ok() == null) {
      return c;
    }
    try {
      batch.select(c.ok(), c.applies() == null ? lit(true) : c.applies());
    } catch (Exception ex) {
      if (!(ex instanceof AnalysisException a)) {
        throw ex;
      }
      String column = c.columns().isEmpty() ? "" : " column '" + c.columns().get(0) + "' ("
          + batch.schema().apply(c.columns().get(0)).dataType().simpleString() + ")";
      throw Errors.config("%s: cannot evaluate it on%s: %s Use values of the column's type.",
          where, column.isEmpty() ? " the batch" : column, a.getSimpleMessage());
    }
    return c;
  }

  private static Compiled mapped(
      int i, Expectation e, String label, ExpectationTypes.Kind kind, List<String> refs, Column c, Column predicate) {
    Measure.Compliance m = new Measure.Compliance(Plan.okColumn(i), Plan.appliesColumn(i));
    return new Compiled(i, e, label, kind, refs, c.isNotNull(), coalesce(predicate, lit(false)), m);
  }

  /**
   * Uniqueness with Great Expectations' {@code ignore_row_if}: {@code all_values_are_missing} (the default, and
   * Deequ's behaviour) skips rows whose key columns are all null; {@code any_value_is_missing} skips rows with
   * any null key column; {@code never} evaluates every row, so two all-null keys are duplicates (Deequ alone
   * lets them pass: its frequencies drop all-null rows, so a constant true column joins the key).
   */
  private static Compiled unique(
      int i, Expectation e, String label, ExpectationTypes.Kind kind, List<String> keys, List<String> columns) {
    String mode = Objects.toString(e.kwargs().get("ignore_row_if"), "all_values_are_missing");
    List<String> positional = keys.stream().map(k -> Plan.positional(columns.indexOf(k))).toList();
    Column anyPresent = lit(false);
    Column allPresent = lit(true);
    for (String k : keys) {
      anyPresent = anyPresent.or(SqlColumns.col(k).isNotNull());
      allPresent = allPresent.and(SqlColumns.col(k).isNotNull());
    }
    return switch (mode) {
      case "never" -> {
        List<String> grouping = new ArrayList<>(positional);
        grouping.add(Plan.PRESENT);
        yield new Compiled(i, e, label, kind, keys, lit(true), null, new Measure.Uniqueness(grouping, null));
      }
      case "any_value_is_missing" -> {
        String filter = String.join(" AND ", positional.stream().map(p -> p + " IS NOT NULL").toList());
        yield new Compiled(i, e, label, kind, keys, allPresent, null, new Measure.Uniqueness(positional, filter));
      }
      default -> new Compiled(i, e, label, kind, keys, anyPresent, null, new Measure.Uniqueness(positional, null));
    };
  }

  private static Compiled statistic(
      Dataset<Row> batch, List<String> columns, String where, int i, Expectation e, String label,
      ExpectationTypes.Kind kind, String col) {
    if (!(batch.schema().apply(col).dataType() instanceof NumericType)) {
      throw Errors.config(
          "%s: column '%s' is %s; this expectation needs a numeric column. Use it on a numeric column, or cast the column in the pipeline.",
          where, col, batch.schema().apply(col).dataType().simpleString());
    }
    Measure.Stat stat = switch (e.type()) {
      case "expect_column_min_to_be_between" -> Measure.Stat.MIN;
      case "expect_column_max_to_be_between" -> Measure.Stat.MAX;
      case "expect_column_mean_to_be_between" -> Measure.Stat.MEAN;
      case "expect_column_median_to_be_between" -> Measure.Stat.MEDIAN;
      case "expect_column_stdev_to_be_between" -> Measure.Stat.STDDEV_POP;
      case "expect_column_sum_to_be_between" -> Measure.Stat.SUM;
      default -> throw new IllegalStateException("No compiler for " + e.type());
    };
    return new Compiled(i, e, label, kind, List.of(col), null, null, new Measure.Statistic(stat, Plan.positional(columns.indexOf(col))));
  }

  /** A date bound ("2024-01-31") compares only with a date, timestamp or string column. */
  private static void requireDateColumnForDateBounds(Dataset<Row> batch, String where, Expectation e, String col) {
    DataType type = batch.schema().apply(col).dataType();
    boolean temporal = type instanceof DateType || type instanceof TimestampType || type instanceof TimestampNTZType
        || type instanceof StringType;
    for (String bound : List.of("min_value", "max_value")) {
      if (e.kwargs().get(bound) instanceof String s && !temporal) {
        throw Errors.config("%s: '%s' is the date '%s', but column '%s' is %s. Give a number.", where, bound, s, col, type.simpleString());
      }
      requireNoTimeOfDay(where, bound, col, type, e.kwargs().get(bound));
    }
  }

  /**
   * A DATE column compares with dates: Spark casts '2024-01-01 12:00:00' to the date 2024-01-01, dropping the time,
   * so that the date would pass a minimum of noon that day. A time of day other than midnight is a config error, and
   * so is an instant (a UTC offset) against a DATE or TIMESTAMP_NTZ column, which has no time zone to place it in.
   */
  private static void requireNoTimeOfDay(String where, String kwarg, String col, DataType type, Object v) {
    if (!(type instanceof DateType || type instanceof TimestampNTZType) || !(v instanceof String s) || !KwargType.isIsoDate(s)) {
      return;
    }
    if (KwargType.hasOffset(s)) {
      throw Errors.config("%s: '%s' value '%s' has a UTC offset, but column '%s' is %s, which has no time zone. Give a local "
          + "%s without the offset.", where, kwarg, s, col, type.simpleString(), type instanceof DateType ? "date" : "date and time");
    }
    if (!(type instanceof DateType)) {
      return;
    }
    // a plain date reads as its midnight; a date and time as that wall-clock time (UTC, no offset: checked above)
    LocalDateTime t = LocalDateTime.ofInstant(dev.lakeline.core.UtcTimes.parse(s), java.time.ZoneOffset.UTC);
    if (!t.toLocalTime().equals(LocalTime.MIDNIGHT)) {
      throw Errors.config("%s: '%s' value '%s' has a time of day, but column '%s' is a date, which Spark would compare with "
          + "the date alone. Give a date such as '%s'.", where, kwarg, s, col, t.toLocalDate());
    }
  }

  /** {@code min_value <= c <= max_value}, with GE's strict flags; an absent bound is open. */
  private static Column bounds(Column c, DataType type, Expectation e) {
    Column p = lit(true);
    Object lo = e.kwargs().get("min_value");
    Object hi = e.kwargs().get("max_value");
    if (lo != null) {
      p = p.and(Boolean.TRUE.equals(e.kwargs().get("strict_min")) ? c.gt(literal(lo, type)) : c.geq(literal(lo, type)));
    }
    if (hi != null) {
      p = p.and(Boolean.TRUE.equals(e.kwargs().get("strict_max")) ? c.lt(literal(hi, type)) : c.leq(literal(hi, type)));
    }
    return p;
  }

  /** {@code c IN (value_set)}; nulls in the set are dropped (a null value is never evaluated), an empty set is false. */
  private static Column inSet(String where, String col, Column c, DataType type, Expectation e) {
    List<?> set = (List<?>) e.kwargs().get("value_set");
    set.forEach(v -> requireNoTimeOfDay(where, "value_set", col, type, v));
    Object[] values = set.stream().filter(Objects::nonNull).map(v -> literal(v, type)).toArray();
    return values.length == 0 ? lit(false) : c.isin(values);
  }

  private static DataType typeOf(Dataset<Row> batch, String col) {
    return batch.schema().apply(col).dataType();
  }

  /**
   * A kwarg as a value to compare with a column of {@code type}. An ISO date or date-time compared with a TIMESTAMP is
   * a time in UTC (a date its midnight UTC), as every time Lakeline reads: Spark would cast the string in the session's
   * zone, so that a suite would pass or fail the same batch depending on the notebook or cluster it runs in.
   */
  private static Object literal(Object v, DataType type) {
    if (v instanceof String s && type instanceof TimestampType && KwargType.isIsoDate(s)) {
      return dev.lakeline.core.UtcTimes.parse(s);
    }
    return v instanceof BigInteger b ? new BigDecimal(b) : v;
  }

  static List<String> referenced(Expectation e) {
    if (e.kwargs().get("column_list") instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    if (e.kwargs().get("column_set") instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    return e.kwargs().get("column") == null ? List.of() : List.of(String.valueOf(e.kwargs().get("column")));
  }

  private static String string(Expectation e, String key) {
    return String.valueOf(e.kwargs().get(key));
  }

  /** The Deequ view: positional columns plus each compliance measure's two boolean columns. */
  private static Dataset<Row> view(Dataset<Row> batch, List<Compiled> items) {
    List<Column> select = new ArrayList<>();
    String[] names = batch.columns();
    for (int j = 0; j < names.length; j++) {
      select.add(SqlColumns.col(names[j]).as(Plan.positional(j)));
    }
    boolean present = false;
    for (Compiled c : items) {
      if (c.measure() instanceof Measure.Compliance m) {
        select.add(c.ok().as(m.ok()));
        if (m.applies() != null) {
          select.add(c.applies().as(m.applies()));
        }
      }
      present |= c.measure() instanceof Measure.Uniqueness u && u.columns().contains(Plan.PRESENT);
    }
    if (present) {
      select.add(lit(true).as(Plan.PRESENT));
    }
    return batch.select(select.toArray(Column[]::new));
  }
}
