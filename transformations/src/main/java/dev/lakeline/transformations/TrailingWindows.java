package dev.lakeline.transformations;

import dev.lakeline.core.Errors;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;

/**
 * The trailing-window aggregates shared by {@link RollingAggregates} and {@link DailySnapshots}: the window of
 * length w as of instant t holds the rows with time in (t - w, t], computed with a RANGE frame over exact
 * microseconds, so rows with equal times are peers and see each other. All windows share one partitioning and
 * ordering, so Spark computes them in one shuffle and one sort.
 */
final class TrailingWindows {
  private TrailingWindows() {}

  /** The checks both steps make on their specification. */
  static void check(String step, List<String> entity, List<String> windows, List<Aggregate> aggregates) {
    if (entity.isEmpty()) {
      throw Errors.config("Transformation '%s' needs at least one entity column.", step);
    }
    if (windows.isEmpty()) {
      throw Errors.config("Transformation '%s' needs at least one window, for example [1h, 1d, 7d].", step);
    }
    if (aggregates.isEmpty()) {
      throw Errors.config("Transformation '%s' needs at least one aggregate, for example [count, sum].", step);
    }
    Map<Long, String> seen = new HashMap<>();
    for (String w : windows) {
      String before = seen.put(Durations.micros(step, w), w);
      if (before != null) {
        throw Errors.config(
            "Transformation '%s': windows '%s' and '%s' have the same length; keep one.", step, before, w);
      }
    }
    if (aggregates.stream().distinct().count() < aggregates.size()) {
      throw Errors.config("Transformation '%s': aggregate listed twice in %s.", step, aggregates);
    }
  }

  static String column(String prefix, Aggregate a, String window) {
    return prefix + "_" + a.label() + "_" + window;
  }

  /** The output columns and their types, window by window, aggregate by aggregate. */
  static Map<String, DataType> types(
      String prefix, List<String> windows, List<Aggregate> aggregates, DataType valueType) {
    Map<String, DataType> out = new LinkedHashMap<>();
    for (String w : windows) {
      for (Aggregate a : aggregates) {
        out.put(column(prefix, a, w), a.resultType(valueType));
      }
    }
    return out;
  }

  /**
   * The aggregate columns as of each row's instant {@code micros}: {@code value} and {@code event} are null on rows
   * that must not count; rows where {@code valid} is false get nulls.
   */
  static Map<String, Column> columns(
      String step,
      List<Column> partition,
      Column micros,
      Column value,
      DataType valueType,
      Column event,
      Column valid,
      String prefix,
      List<String> windows,
      List<Aggregate> aggregates) {
    WindowSpec ordered = Window.partitionBy(partition.toArray(new Column[0])).orderBy(micros);
    Map<String, Column> out = new LinkedHashMap<>();
    for (String w : windows) {
      // (t - w, t] in whole microseconds: from t - (w - 1us) to t, both ends included.
      WindowSpec frame = ordered.rangeBetween(-(Durations.micros(step, w) - 1), 0);
      for (Aggregate a : aggregates) {
        Column aggregate = a.expression(value, valueType, event).over(frame);
        out.put(column(prefix, a, w), org.apache.spark.sql.functions.when(valid, aggregate));
      }
    }
    return out;
  }
}
