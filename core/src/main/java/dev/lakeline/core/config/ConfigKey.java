package dev.lakeline.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One configuration key, declared once with its type, default and documentation (as Delta's {@code DeltaSQLConf}
 * does). Keys are dotted paths into the YAML file ({@code spark.shuffle-partitions}); the environment variable
 * is derived from the name ({@code LAKELINE_SPARK_SHUFFLE_PARTITIONS}).
 *
 * @param <T> the Java type of the value
 */
public final class ConfigKey<T> {
  /** The value types a key can have. */
  public enum Type {
    STRING("a string"),
    INT("an integer"),
    LONG("an integer"),
    DOUBLE("a number"),
    BOOLEAN("true or false"),
    ENUM("one of the listed values"),
    MAP("a map of string keys to string values");

    private final String description;

    Type(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  private final String name;
  private final Type type;
  private final T defaultValue;
  private final List<String> allowed;
  private final String doc;
  private final double min;
  private final double max;
  /** Whether the range leaves out its bounds. */
  private final boolean open;

  private ConfigKey(String name, Type type, T defaultValue, List<String> allowed, String doc) {
    this(name, type, defaultValue, allowed, doc, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false);
  }

  private ConfigKey(
      String name, Type type, T defaultValue, List<String> allowed, String doc, double min, double max, boolean open) {
    this.name = Objects.requireNonNull(name);
    this.type = type;
    this.defaultValue = defaultValue;
    this.allowed = allowed;
    this.doc = doc;
    this.min = min;
    this.max = max;
    this.open = open;
  }

  /** A copy of this numeric key that accepts only values in {@code [min, max]}. */
  public ConfigKey<T> withRange(double min, double max) {
    return new ConfigKey<>(name, type, defaultValue, allowed, doc, min, max, false);
  }

  /** A copy of this numeric key that accepts only values strictly between {@code min} and {@code max}. */
  public ConfigKey<T> withOpenRange(double min, double max) {
    return new ConfigKey<>(name, type, defaultValue, allowed, doc, min, max, true);
  }

  /** Whether a numeric value lies in this key's range. */
  public boolean inRange(double value) {
    return open ? value > min && value < max : value >= min && value <= max;
  }

  public static ConfigKey<String> string(String name, String defaultValue, String doc) {
    return new ConfigKey<>(name, Type.STRING, defaultValue, List.of(), doc);
  }

  public static ConfigKey<Integer> integer(String name, Integer defaultValue, String doc) {
    return new ConfigKey<>(name, Type.INT, defaultValue, List.of(), doc);
  }

  public static ConfigKey<Long> longValue(String name, Long defaultValue, String doc) {
    return new ConfigKey<>(name, Type.LONG, defaultValue, List.of(), doc);
  }

  public static ConfigKey<Double> number(String name, Double defaultValue, String doc) {
    return new ConfigKey<>(name, Type.DOUBLE, defaultValue, List.of(), doc);
  }

  public static ConfigKey<Boolean> bool(String name, Boolean defaultValue, String doc) {
    return new ConfigKey<>(name, Type.BOOLEAN, defaultValue, List.of(), doc);
  }

  public static ConfigKey<String> oneOf(String name, String defaultValue, List<String> allowed, String doc) {
    return new ConfigKey<>(name, Type.ENUM, defaultValue, List.copyOf(allowed), doc);
  }

  public static ConfigKey<Map<String, String>> map(String name, String doc) {
    return new ConfigKey<>(name, Type.MAP, Map.of(), List.of(), doc);
  }

  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  /** The default, or {@code null} when the key is required. */
  public T defaultValue() {
    return defaultValue;
  }

  public boolean required() {
    return defaultValue == null;
  }

  /** The allowed values of an {@link Type#ENUM} key; empty otherwise. */
  public List<String> allowed() {
    return allowed;
  }

  public String doc() {
    return doc;
  }

  /** The environment variable that sets this key: {@code LAKELINE_} + the name in upper case, with '_'. */
  public String environmentVariable() {
    return "LAKELINE_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** What a value of this key must look like, for error messages. */
  public String expected() {
    if (type == Type.ENUM) {
      return "one of " + allowed;
    }
    if (min == Double.NEGATIVE_INFINITY && max == Double.POSITIVE_INFINITY) {
      return type.description();
    }
    String lo = min == Double.NEGATIVE_INFINITY ? "" : (open ? " > " : " >= ") + format(min);
    String hi = max == Double.POSITIVE_INFINITY ? "" : (lo.isEmpty() ? "" : " and") + (open ? " < " : " <= ") + format(max);
    return type.description() + lo + hi;
  }

  private static String format(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  @Override
  public String toString() {
    return name;
  }
}
