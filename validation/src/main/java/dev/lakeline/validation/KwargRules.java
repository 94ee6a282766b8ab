package dev.lakeline.validation;

import dev.lakeline.core.Errors;
import java.util.HashSet;
import java.util.List;

/** Checks that span several kwargs of one expectation (after each kwarg passed its own type check). */
final class KwargRules {
  private KwargRules() {}

  static void check(String where, Expectation e) {
    var k = e.kwargs();
    boolean needsBound =
        e.type().equals("expect_column_values_to_be_between") || e.type().equals("expect_column_value_lengths_to_be_between");
    if (needsBound && k.get("min_value") == null && k.get("max_value") == null) {
      throw Errors.config("%s: give 'min_value', 'max_value' or both; without a bound the expectation checks nothing.", where);
    }
    if (k.get("min_value") instanceof Number lo && k.get("max_value") instanceof Number hi
        && lo.doubleValue() > hi.doubleValue()) {
      throw Errors.config("%s: 'min_value' (%s) is greater than 'max_value' (%s). Swap them.", where, lo, hi);
    }
    if (e.type().equals("expect_column_values_to_not_be_in_set") && ((List<?>) k.get("value_set")).contains(null)) {
      throw Errors.config(
          "%s: 'value_set' contains null. SQL's NOT IN with a null is never true; nulls are not evaluated anyway: remove it.",
          where);
    }
    if (k.get("column_list") instanceof List<?> cols && new HashSet<>(cols).size() != cols.size()) {
      throw Errors.config("%s: 'column_list' names a column twice (%s). List each column once.", where, cols);
    }
  }
}
