package dev.lakeline.transformations;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.sum;

import dev.lakeline.core.Errors;
import dev.lakeline.core.Spelling;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;

/**
 * The aggregates of the time-window steps. All but {@link #EVENTS} ignore null values; each names its output column
 * {@code <prefix>_<name>_<window>}.
 */
public enum Aggregate {
  /** Number of non-null values (long; 0 when none). */
  COUNT,
  /** Sum of the non-null values: long for integral values, double otherwise; null when there are none. */
  SUM,
  /** Mean of the non-null values (double); null when there are none. */
  MEAN,
  /** Smallest non-null value (the value's type); null when there are none. */
  MIN,
  /** Largest non-null value (the value's type); null when there are none. */
  MAX,
  /** Sample standard deviation of the non-null values (double, stddev_samp); null with fewer than 2 values. */
  STDDEV,
  /** Number of events (rows) in the window, whether their value is null or not (long). */
  EVENTS;

  /** The six aggregates of a value: count, sum, mean, min, max, stddev. */
  public static final List<Aggregate> DEFAULT = List.of(COUNT, SUM, MEAN, MIN, MAX, STDDEV);

  /** The name in a pipeline file and in output column names. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The aggregate spelt {@code label} in a pipeline file; an unknown name is an error with a "did you mean". */
  public static Aggregate parse(String step, String label) {
    for (Aggregate a : values()) {
      if (a.label().equals(label)) {
        return a;
      }
    }
    List<String> known = Arrays.stream(values()).map(Aggregate::label).toList();
    String close = label == null ? null : Spelling.closest(label, known);
    throw Errors.config(
        "Transformation '%s': unknown aggregate '%s'.%s Known aggregates: %s.",
        step, label, close == null ? "" : " Did you mean '" + close + "'?", known);
  }

  /** The output type for values of type {@code value}. */
  DataType resultType(DataType value) {
    return switch (this) {
      case COUNT, EVENTS -> DataTypes.LongType;
      case SUM -> value instanceof IntegralType ? DataTypes.LongType : DataTypes.DoubleType;
      case MEAN, STDDEV -> DataTypes.DoubleType;
      case MIN, MAX -> value;
    };
  }

  /**
   * The aggregate expression (before {@code over}): {@code value} is the value masked to null outside the rows
   * that count, {@code event} is 1 on the rows that count and null elsewhere.
   */
  Column expression(Column value, DataType type, Column event) {
    Column asDouble = value.cast(DataTypes.DoubleType);
    return switch (this) {
      case COUNT -> count(value);
      case EVENTS -> count(event);
      case SUM -> type instanceof IntegralType ? sum(value.cast(DataTypes.LongType)) : sum(asDouble);
      case MEAN -> avg(asDouble);
      case MIN -> min(value);
      case MAX -> max(value);
      case STDDEV -> stddev_samp(asDouble);
    };
  }
}
