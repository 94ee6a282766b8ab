package dev.lakeline.transformations;

import dev.lakeline.core.Errors;
import dev.lakeline.core.Spelling;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of one pipeline step, checked against the step's declared parameters: an unknown name, a missing
 * required one or a value of the wrong type is an error that names the step and the parameter.
 */
final class Params {
  enum Kind {
    STRING("a string"),
    STRINGS("a string or a list of strings"),
    NUMBER("a number"),
    NUMBERS("a list of numbers"),
    INTEGER("a whole number"),
    INTEGERS("a list of whole numbers"),
    BOOLEAN("true or false"),
    STRING_MAP("a mapping of strings to strings"),
    DATE("a date written yyyy-mm-dd"),
    DATES("a list of dates written yyyy-mm-dd");

    final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  record Spec(String name, Kind kind, boolean required) {}

  /** The parameters that name the columns a step adds: never empty. */
  private static final java.util.Set<String> NAMES = java.util.Set.of("output", "prefix", "day_column");

  private final String where;
  private final Map<String, Object> values;

  private Params(String where, Map<String, Object> values) {
    this.where = where;
    this.values = values;
  }

  static Params check(String where, List<Spec> specs, Map<String, ?> raw) {
    Map<String, Spec> byName = new LinkedHashMap<>();
    specs.forEach(s -> byName.put(s.name(), s));
    for (String key : raw.keySet()) {
      if (!byName.containsKey(key)) {
        String close = Spelling.closest(key, byName.keySet());
        throw Errors.config(
            "%s: unknown parameter '%s'.%s Its parameters are %s.",
            where, key, close == null ? "" : " Did you mean '" + close + "'?", byName.keySet());
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Spec s : specs) {
      Object v = raw.get(s.name());
      if (v == null) {
        if (s.required()) {
          throw Errors.config("%s: missing parameter '%s' (%s).", where, s.name(), s.kind().description);
        }
        continue;
      }
      Object value = convert(where, s, v);
      if (value instanceof List<?> list && list.isEmpty()) {
        throw Errors.config(
            "%s: parameter '%s' is an empty list; it must be %s with at least one element%s.",
            where, s.name(), s.kind().description, s.required() ? "" : ", or be left out for the step's default");
      }
      values.put(s.name(), value);
      if (NAMES.contains(s.name()) && v instanceof String str && str.isBlank()) {
        throw Errors.config(
            "%s: parameter '%s' is empty; it names the step's output column(s), so give it a name (or leave it out for "
                + "the default, where the step has one).", where, s.name());
      }
    }
    return new Params(where, values);
  }

  String where() {
    return where;
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String string(String name) {
    return (String) values.get(name);
  }

  String string(String name, String otherwise) {
    return has(name) ? string(name) : otherwise;
  }

  @SuppressWarnings("unchecked")
  <T> List<T> list(String name) {
    return (List<T>) values.get(name);
  }

  <T> List<T> list(String name, List<T> otherwise) {
    return has(name) ? list(name) : otherwise;
  }

  Double number(String name) {
    return (Double) values.get(name);
  }

  Long integer(String name) {
    return (Long) values.get(name);
  }

  boolean bool(String name, boolean otherwise) {
    return has(name) ? (Boolean) values.get(name) : otherwise;
  }

  LocalDate date(String name) {
    return (LocalDate) values.get(name);
  }

  @SuppressWarnings("unchecked")
  Map<String, String> map(String name) {
    return (Map<String, String>) values.get(name);
  }

  private static Object convert(String where, Spec s, Object v) {
    switch (s.kind()) {
      case STRING:
        return expect(where, s, v, v instanceof String);
      case STRINGS:
        if (v instanceof String str) {
          return List.of(str);
        }
        return each(where, s, v, e -> e instanceof String ? e : null);
      case NUMBER:
        return ((Number) expect(where, s, v, v instanceof Number)).doubleValue();
      case NUMBERS:
        return each(where, s, v, e -> e instanceof Number n ? n.doubleValue() : null);
      case INTEGER:
        expect(where, s, v, v instanceof BigInteger || integral(v) != null);
        return inRange(where, s, v, Long.MIN_VALUE, Long.MAX_VALUE);
      case INTEGERS:
        return each(where, s, v, e -> e instanceof BigInteger || integral(e) != null
            ? (Object) Math.toIntExact(inRange(where, s, e, Integer.MIN_VALUE, Integer.MAX_VALUE)) : null);
      case BOOLEAN:
        return expect(where, s, v, v instanceof Boolean);
      case STRING_MAP:
        if (v instanceof Map<?, ?> m && m.values().stream().allMatch(x -> x instanceof String)) {
          Map<String, String> out = new LinkedHashMap<>();
          m.forEach((k, x) -> out.put(String.valueOf(k), (String) x));
          return out;
        }
        throw wrongType(where, s, v, " Quote values that YAML would read as numbers or booleans (\"yes\", \"10\").");
      case DATE:
        return date(where, s, v);
      default:
        return each(where, s, v, e -> date(where, s, e));
    }
  }

  /** A whole number {@code v} between {@code min} and {@code max}; one outside is an error naming the parameter. */
  private static long inRange(String where, Spec s, Object v, long min, long max) {
    Long n = integral(v);
    if (n == null || n < min || n > max) {
      throw Errors.config(
          "%s: parameter '%s' has the whole number %s, which is out of range: it must be at least %d and at most %d.",
          where, s.name(), v, min, max);
    }
    return n;
  }

  private static Long integral(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    return null;
  }

  private static Object expect(String where, Spec s, Object v, boolean ok) {
    if (!ok) {
      throw wrongType(where, s, v, "");
    }
    return v;
  }

  private static List<Object> each(String where, Spec s, Object v, java.util.function.Function<Object, Object> element) {
    if (!(v instanceof List<?> list)) {
      throw wrongType(where, s, v, "");
    }
    List<Object> out = new ArrayList<>();
    for (Object e : list) {
      Object converted = e == null ? null : element.apply(e);
      if (converted == null) {
        throw wrongType(where, s, v, " The element " + describe(e) + " is not.");
      }
      out.add(converted);
    }
    return out;
  }

  private static LocalDate date(String where, Spec s, Object v) {
    if (v instanceof String str) {
      try {
        return LocalDate.parse(str);
      } catch (DateTimeParseException e) {
        // falls through to the error below
      }
    }
    throw wrongType(where, s, v, "");
  }

  private static RuntimeException wrongType(String where, Spec s, Object v, String hint) {
    return Errors.config(
        "%s: parameter '%s' must be %s, but it is %s.%s", where, s.name(), s.kind().description, describe(v), hint);
  }

  private static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    String kind = v instanceof String ? "the string" : v instanceof List ? "the list" : v instanceof Map ? "the mapping"
        : v instanceof Boolean ? "the boolean" : v instanceof Number ? "the number" : v.getClass().getSimpleName();
    return kind + " " + (v instanceof String ? "'" + v + "'" : String.valueOf(v));
  }
}
