package dev.lakeline.validation;

import dev.lakeline.core.Errors;
import dev.lakeline.core.UtcTimes;
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
    Object lo = k.get("min_value");
    Object hi = k.get("max_value");
    Integer order = compare(lo, hi);
    if (order != null && order > 0) {
      throw Errors.config("%s: 'min_value' (%s) is greater than 'max_value' (%s). Swap them.", where, lo, hi);
    }
    if (order != null && order == 0) {
      for (String strict : List.of("strict_min", "strict_max")) {
        if (Boolean.TRUE.equals(k.get(strict))) {
          throw Errors.config(
              "%s: 'min_value' and 'max_value' are both %s and '%s' excludes that bound: no value can pass. Drop '%s', or "
                  + "widen the bounds.", where, lo, strict, strict);
        }
      }
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

  /** How two bounds compare: both numbers, or both ISO dates or times (read as {@link UtcTimes#parse} does); else null. */
  private static Integer compare(Object lo, Object hi) {
    if (lo instanceof Number a && hi instanceof Number b) {
      return Double.compare(a.doubleValue(), b.doubleValue());
    }
    if (lo instanceof String a && hi instanceof String b && KwargType.isIsoDate(a) && KwargType.isIsoDate(b)) {
      return UtcTimes.parse(a).compareTo(UtcTimes.parse(b));
    }
    return null;
  }

}
