package dev.lakeline.validation;

import dev.lakeline.core.Errors;
import dev.lakeline.core.UtcTimes;
import java.math.BigInteger;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The value types of expectation kwargs, each with its check and a message that says how to fix a bad value. */
enum KwargType {
  COLUMN("a column name") {
    @Override
    void check(String where, String name, Object v) {
      if (!(v instanceof String s) || s.isEmpty()) {
        throw bad(where, name, v, "must be a column name (a string)", name + ": loan_amount");
      }
    }
  },
  COLUMN_LIST("a list of column names") {
    @Override
    void check(String where, String name, Object v) {
      if (!(v instanceof List<?> l) || l.isEmpty() || !l.stream().allMatch(x -> x instanceof String s && !s.isEmpty())) {
        throw bad(where, name, v, "must be a non-empty list of column names", name + ": [loan_id, issue_date]");
      }
    }
  },
  VALUE_LIST("a list of values") {
    @Override
    void check(String where, String name, Object v) {
      if (!(v instanceof List<?> l)) {
        throw bad(where, name, v, "must be a list", name + ": [RENT, OWN]");
      }
      for (Object x : l) {
        if (x instanceof List || x instanceof Map) {
          throw bad(where, name, v, "must be a list of plain values (numbers, strings, booleans), not nested lists or mappings", name + ": [36, 60]");
        }
      }
    }
  },
  NUMBER("a number") {
    @Override
    void check(String where, String name, Object v) {
      if (v != null && !(v instanceof Number)) {
        throw bad(where, name, v, "must be a number", name + ": 10");
      }
    }
  },
  /** A bound of a value comparison: a number, or an ISO date/timestamp for date and timestamp columns. */
  BOUND("a number or an ISO date or time") {
    @Override
    void check(String where, String name, Object v) {
      if (v == null || v instanceof Number || v instanceof String s && isIsoDate(s)) {
        return;
      }
      throw bad(where, name, v, "must be a number (or an ISO date or time like 2024-01-31, 2024-01-31 12:00:00 or 2024-01-31T12:00:00Z for a date or timestamp column)", name + ": 10");
    }
  },
  COUNT("a whole number >= 0") {
    @Override
    void check(String where, String name, Object v) {
      if (v == null) {
        return;
      }
      boolean whole = v instanceof Integer || v instanceof Long || v instanceof BigInteger;
      if (!whole || ((Number) v).doubleValue() < 0) {
        throw bad(where, name, v, "must be a whole number >= 0", name + ": 1");
      }
    }
  },
  FLAG("true or false") {
    @Override
    void check(String where, String name, Object v) {
      if (v != null && !(v instanceof Boolean)) {
        throw bad(where, name, v, "must be true or false", name + ": true");
      }
    }
  },
  FRACTION("a number between 0 and 1") {
    @Override
    void check(String where, String name, Object v) {
      if (v != null && (!(v instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1)) {
        throw bad(where, name, v, "must be a number between 0 and 1", name + ": 0.95");
      }
    }
  },
  REGEX("a Java regular expression") {
    @Override
    void check(String where, String name, Object v) {
      if (!(v instanceof String s)) {
        throw bad(where, name, v, "must be a regular expression (a string)", name + ": \"^[A-Z]{2}[0-9]+$\"");
      }
      try {
        Pattern.compile(s);
      } catch (PatternSyntaxException e) {
        throw Errors.config(
            "%s: '%s' is not a valid regular expression (%s). Spark matches with Java regex (find semantics): fix the pattern.",
            where, name, e.getDescription() + " near index " + e.getIndex());
      }
    }
  },
  SPARK_TYPE("a Spark SQL type name") {
    @Override
    void check(String where, String name, Object v) {
      if (!(v instanceof String s) || SparkTypes.parse(s) == null) {
        throw bad(where, name, v, "must be a Spark SQL type name such as int, bigint, double, string, boolean, date, timestamp, decimal(10,2), or a type class name such as IntegerType", name + ": int");
      }
    }
  },
  SQL("a Spark SQL boolean expression") {
    @Override
    void check(String where, String name, Object v) {
      if (!(v instanceof String s) || s.isBlank()) {
        throw bad(where, name, v, "must be a Spark SQL boolean expression (a string)", name + ": \"amount >= fee\"");
      }
      SqlConditions.checkSyntax(where, name, s);
    }
  },
  IGNORE_ROW_IF("all_values_are_missing, any_value_is_missing or never") {
    @Override
    void check(String where, String name, Object v) {
      if (!List.of("all_values_are_missing", "any_value_is_missing", "never").contains(v)) {
        throw bad(where, name, v, "must be all_values_are_missing (the default), any_value_is_missing or never", name + ": never");
      }
    }
  };

  private final String description;

  KwargType(String description) {
    this.description = description;
  }

  String description() {
    return description;
  }

  /** Throws a config error naming {@code where} and the fix when {@code v} is not of this type. */
  abstract void check(String where, String name, Object v);

  /** An ISO date, date-time, or instant (with {@code Z} or an offset): what {@link UtcTimes#parse} reads. */
  static boolean isIsoDate(String s) {
    try {
      UtcTimes.parse(s);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** Whether {@code s} is an ISO instant (with {@code Z} or an offset) rather than a local date or date-time. */
  static boolean hasOffset(String s) {
    return isIsoDate(s) && UtcTimes.hasOffset(s);
  }


  private static RuntimeException bad(String where, String name, Object v, String rule, String example) {
    String got = v == null ? "nothing (null)" : v instanceof String ? "'" + v + "' (a string)" : "'" + v + "'";
    return Errors.config("%s: '%s' %s, got %s. For example: %s", where, name, rule, got, example);
  }
}
