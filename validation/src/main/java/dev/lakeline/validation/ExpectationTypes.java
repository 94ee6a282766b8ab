package dev.lakeline.validation;

import dev.lakeline.core.Spelling;
import static dev.lakeline.validation.KwargType.BOUND;
import static dev.lakeline.validation.KwargType.COLUMN;
import static dev.lakeline.validation.KwargType.COLUMN_LIST;
import static dev.lakeline.validation.KwargType.COUNT;
import static dev.lakeline.validation.KwargType.FLAG;
import static dev.lakeline.validation.KwargType.FRACTION;
import static dev.lakeline.validation.KwargType.IGNORE_ROW_IF;
import static dev.lakeline.validation.KwargType.NUMBER;
import static dev.lakeline.validation.KwargType.REGEX;
import static dev.lakeline.validation.KwargType.SPARK_TYPE;
import static dev.lakeline.validation.KwargType.SQL;
import static dev.lakeline.validation.KwargType.VALUE_LIST;

import dev.lakeline.core.Errors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The single table of the expectation types Lakeline supports: for each, what kind of expectation it is and its
 * kwargs with their types. Loading a suite and validating a batch both check expectations against it.
 */
final class ExpectationTypes {
  /** How an expectation is evaluated, and whether it can judge single rows. */
  enum Kind {
    /** On the batch's schema; no scan. */
    SCHEMA,
    /** On the whole table (row count). */
    TABLE,
    /** On one statistic of a column (min, mean, distinct values, …). */
    AGGREGATE,
    /** On each value of a column (or combination of columns); nulls are not evaluated, except by the null checks. */
    COLUMN_MAP,
    /** On each row, through a SQL condition. */
    ROW;

    boolean rowLevel() {
      return this == COLUMN_MAP || this == ROW;
    }
  }

  /** kwargs any Great Expectations expectation may carry; accepted and ignored. */
  static final Set<String> COMMON = Set.of("result_format", "include_config", "catch_exceptions", "meta");

  private record Kwarg(KwargType type, boolean required) {}

  private record Spec(Kind kind, Map<String, Kwarg> kwargs) {}

  private static final Map<String, Spec> TYPES = new LinkedHashMap<>();

  static {
    // schema
    add("expect_column_to_exist", Kind.SCHEMA, req("column", COLUMN), opt("column_index", COUNT));
    add("expect_table_columns_to_match_set", Kind.SCHEMA, req("column_set", COLUMN_LIST), opt("exact_match", FLAG));
    add("expect_column_values_to_be_of_type", Kind.SCHEMA, req("column", COLUMN), req("type_", SPARK_TYPE));
    // table
    add("expect_table_row_count_to_be_between", Kind.TABLE, opt("min_value", COUNT), opt("max_value", COUNT));
    // column map
    add("expect_column_values_to_not_be_null", Kind.COLUMN_MAP, req("column", COLUMN), opt("mostly", FRACTION));
    add("expect_column_values_to_be_null", Kind.COLUMN_MAP, req("column", COLUMN), opt("mostly", FRACTION));
    add("expect_column_values_to_be_between", Kind.COLUMN_MAP, req("column", COLUMN), opt("min_value", BOUND),
        opt("max_value", BOUND), opt("strict_min", FLAG), opt("strict_max", FLAG), opt("mostly", FRACTION));
    add("expect_column_values_to_be_in_set", Kind.COLUMN_MAP, req("column", COLUMN), req("value_set", VALUE_LIST),
        opt("mostly", FRACTION));
    add("expect_column_values_to_not_be_in_set", Kind.COLUMN_MAP, req("column", COLUMN), req("value_set", VALUE_LIST),
        opt("mostly", FRACTION));
    add("expect_column_values_to_match_regex", Kind.COLUMN_MAP, req("column", COLUMN), req("regex", REGEX),
        opt("mostly", FRACTION));
    add("expect_column_values_to_not_match_regex", Kind.COLUMN_MAP, req("column", COLUMN), req("regex", REGEX),
        opt("mostly", FRACTION));
    add("expect_column_value_lengths_to_be_between", Kind.COLUMN_MAP, req("column", COLUMN), opt("min_value", COUNT),
        opt("max_value", COUNT), opt("strict_min", FLAG), opt("strict_max", FLAG), opt("mostly", FRACTION));
    add("expect_column_values_to_be_unique", Kind.COLUMN_MAP, req("column", COLUMN), opt("mostly", FRACTION));
    add("expect_compound_columns_to_be_unique", Kind.COLUMN_MAP, req("column_list", COLUMN_LIST),
        opt("mostly", FRACTION), opt("ignore_row_if", IGNORE_ROW_IF));
    // row (Lakeline's own)
    add("expect_row_values_to_satisfy_sql", Kind.ROW, req("condition", SQL), opt("mostly", FRACTION));
    // column aggregates
    for (String stat : List.of("min", "max", "mean", "median", "stdev", "sum")) {
      add("expect_column_" + stat + "_to_be_between", Kind.AGGREGATE, req("column", COLUMN), opt("min_value", NUMBER),
          opt("max_value", NUMBER), opt("strict_min", FLAG), opt("strict_max", FLAG));
    }
    add("expect_column_proportion_of_unique_values_to_be_between", Kind.AGGREGATE, req("column", COLUMN),
        opt("min_value", NUMBER), opt("max_value", NUMBER), opt("strict_min", FLAG), opt("strict_max", FLAG));
    add("expect_column_distinct_values_to_be_in_set", Kind.AGGREGATE, req("column", COLUMN), req("value_set", VALUE_LIST));
  }

  private ExpectationTypes() {}

  private static Map.Entry<String, Kwarg> req(String name, KwargType type) {
    return Map.entry(name, new Kwarg(type, true));
  }

  private static Map.Entry<String, Kwarg> opt(String name, KwargType type) {
    return Map.entry(name, new Kwarg(type, false));
  }

  @SafeVarargs
  private static void add(String type, Kind kind, Map.Entry<String, Kwarg>... kwargs) {
    Map<String, Kwarg> m = new LinkedHashMap<>();
    for (Map.Entry<String, Kwarg> k : kwargs) {
      m.put(k.getKey(), k.getValue());
    }
    TYPES.put(type, new Spec(kind, Collections.unmodifiableMap(m)));
  }

  static Set<String> supported() {
    return new TreeSet<>(TYPES.keySet());
  }

  static boolean known(String type) {
    return TYPES.containsKey(type);
  }

  static Kind kind(String type) {
    Spec spec = TYPES.get(type);
    if (spec == null) {
      throw Errors.config("Unknown expectation type '%s'. Supported types: %s.", type, supported());
    }
    return spec.kind();
  }

  /** The kwargs {@code type} takes, required ones first, as "name (type)" for messages and docs. */
  static List<String> describe(String type) {
    List<String> out = new ArrayList<>();
    TYPES.get(type).kwargs().forEach((k, v) -> out.add(k + (v.required() ? "" : "?") + " (" + v.type().description() + ")"));
    return out;
  }

  /** Checks the type and kwargs of an expectation; {@code where} names it in messages ("file: expectation #2"). */
  static void check(String where, Expectation e) {
    Spec spec = TYPES.get(e.type());
    if (spec == null) {
      String near = Spelling.closest(e.type(), TYPES.keySet());
      throw Errors.config(
          "%s: unknown expectation type '%s'.%s Supported types: %s.",
          where, e.type(), near == null ? "" : " Did you mean '" + near + "'?", supported());
    }
    for (Map.Entry<String, Object> kw : e.kwargs().entrySet()) {
      Kwarg k = spec.kwargs().get(kw.getKey());
      if (k == null) {
        if (COMMON.contains(kw.getKey())) {
          continue;
        }
        if (kw.getKey().equals("row_condition") || kw.getKey().equals("condition_parser")) {
          throw Errors.config(
              "%s: '%s' (Great Expectations' row filter) is not supported: every expectation judges the whole batch. Filter "
                  + "the batch in the pipeline, or write the rule as expect_row_values_to_satisfy_sql with a condition such as "
                  + "\"NOT (<row_condition>) OR <the check>\".",
              where, kw.getKey());
        }
        String near = Spelling.closest(kw.getKey(), spec.kwargs().keySet());
        throw Errors.config(
            "%s: unknown kwarg '%s'.%s This expectation takes %s.",
            where, kw.getKey(), near == null ? "" : " Did you mean '" + near + "'?", describe(e.type()));
      }
      k.type().check(where, kw.getKey(), kw.getValue());
    }
    for (Map.Entry<String, Kwarg> k : spec.kwargs().entrySet()) {
      if (k.getValue().required() && e.kwargs().get(k.getKey()) == null) {
        throw Errors.config(
            "%s: missing kwarg '%s' (%s). Add it under 'kwargs'.", where, k.getKey(), k.getValue().type().description());
      }
    }
    KwargRules.check(where, e);
  }
}
