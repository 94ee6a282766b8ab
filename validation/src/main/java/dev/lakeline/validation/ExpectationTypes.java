package dev.lakeline.validation;

import dev.lakeline.core.Errors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The expectation types Lakeline supports, with their required and optional kwargs. */
final class ExpectationTypes {
  /** kwargs every GE expectation may carry; accepted and ignored. */
  private static final Set<String> COMMON = Set.of("result_format", "include_config", "catch_exceptions", "meta");

  private record Spec(Set<String> required, Set<String> optional) {}

  private static final Map<String, Spec> TYPES = new LinkedHashMap<>();

  static {
    TYPES.put("expect_column_to_exist", new Spec(Set.of("column"), Set.of()));
    TYPES.put("expect_column_values_to_not_be_null", new Spec(Set.of("column"), Set.of("mostly")));
    TYPES.put(
        "expect_column_values_to_be_between",
        new Spec(Set.of("column"), Set.of("min_value", "max_value", "strict_min", "strict_max", "mostly")));
    TYPES.put("expect_column_values_to_be_in_set", new Spec(Set.of("column", "value_set"), Set.of("mostly")));
    TYPES.put("expect_column_values_to_be_unique", new Spec(Set.of("column"), Set.of()));
    TYPES.put("expect_compound_columns_to_be_unique", new Spec(Set.of("column_list"), Set.of()));
    TYPES.put("expect_table_row_count_to_be_between", new Spec(Set.of(), Set.of("min_value", "max_value")));
  }

  private ExpectationTypes() {}

  static Set<String> supported() {
    return new TreeSet<>(TYPES.keySet());
  }

  /** Checks the type and kwargs of an expectation; {@code where} names it in messages. */
  static void check(String where, Expectation e) {
    Spec spec = TYPES.get(e.type());
    if (spec == null) {
      throw Errors.config(
          "%s: unknown expectation type '%s'. Supported types: %s.", where, e.type(), supported());
    }
    for (String required : spec.required()) {
      if (!e.kwargs().containsKey(required)) {
        throw Errors.config("%s: missing kwarg '%s'. Add it under 'kwargs'.", where, required);
      }
    }
    for (String kw : e.kwargs().keySet()) {
      if (!spec.required().contains(kw) && !spec.optional().contains(kw) && !COMMON.contains(kw)) {
        Set<String> known = new TreeSet<>(spec.required());
        known.addAll(spec.optional());
        throw Errors.config("%s: unknown kwarg '%s'. This expectation takes %s.", where, kw, known);
      }
    }
    Object mostly = e.kwargs().get("mostly");
    if (mostly != null && (!(mostly instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1)) {
      throw Errors.config("%s: 'mostly' must be a number between 0 and 1, got %s.", where, mostly);
    }
    if (e.kwargs().containsKey("value_set") && !(e.kwargs().get("value_set") instanceof List)) {
      throw Errors.config("%s: 'value_set' must be a list.", where);
    }
    if (e.kwargs().containsKey("column_list") && !(e.kwargs().get("column_list") instanceof List)) {
      throw Errors.config("%s: 'column_list' must be a list of column names.", where);
    }
    for (String flag : List.of("strict_min", "strict_max")) {
      Object v = e.kwargs().get(flag);
      if (v != null && !(v instanceof Boolean)) {
        throw Errors.config("%s: '%s' must be true or false, got '%s'.", where, flag, v);
      }
    }
    for (String bound : List.of("min_value", "max_value")) {
      Object v = e.kwargs().get(bound);
      if (v != null && !(v instanceof Number)) {
        throw Errors.config("%s: '%s' must be a number, got '%s'.", where, bound, v);
      }
    }
  }
}
