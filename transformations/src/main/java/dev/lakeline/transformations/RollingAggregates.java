package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Step {@code rolling_aggregates}: for every row, aggregates of {@code value} over the rows of the same entity in each
 * trailing window (t - w, t], t being the row's own time ("amount spent in the last 4 hours, this one included").
 * An event exactly w before is out, one at w - 1 microsecond is in; rows at the same time see each other.
 *
 * <p>Needs: the entity columns (any type), {@code time} (timestamp, or date = midnight UTC), {@code value}
 * (numeric). Adds {@code <prefix>_<aggregate>_<window>} per window and aggregate (see {@link Aggregate}); keeps every
 * row and column. Nulls: null values are ignored by every aggregate but {@code events}; a row with a null entity
 * key or null time gets null aggregates and counts in no window.
 */
public record RollingAggregates(
    List<String> entity, String time, String value, List<String> windows, List<Aggregate> aggregates, String prefix)
    implements Step {
  public static final String NAME = "rolling_aggregates";

  public RollingAggregates {
    entity = List.copyOf(entity);
    windows = List.copyOf(windows);
    aggregates = List.copyOf(aggregates);
    TrailingWindows.check(NAME, entity, windows, aggregates);
  }

  /** Count, sum, mean, min, max and stddev of {@code value}, in columns prefixed with the value's name. */
  public static RollingAggregates of(String entity, String time, String value, String... windows) {
    return new RollingAggregates(List.of(entity), time, value, Arrays.asList(windows), Aggregate.DEFAULT, value);
  }

  /** {@link #of(String, String, String, String...)} with the windows as a list (what PySpark's gateway passes). */
  public static RollingAggregates of(String entity, String time, String value, List<String> windows) {
    return of(entity, time, value, windows.toArray(String[]::new));
  }

  public RollingAggregates withEntity(String... columns) {
    return new RollingAggregates(Arrays.asList(columns), time, value, windows, aggregates, prefix);
  }

  /** {@link #withEntity(String...)} with a list. */
  public RollingAggregates withEntity(List<String> columns) {
    return withEntity(columns.toArray(String[]::new));
  }

  public RollingAggregates withAggregates(Aggregate... list) {
    return new RollingAggregates(entity, time, value, windows, Arrays.asList(list), prefix);
  }

  /** {@link #withAggregates(Aggregate...)} with a list. */
  public RollingAggregates withAggregates(List<Aggregate> list) {
    return withAggregates(list.toArray(Aggregate[]::new));
  }

  public RollingAggregates withPrefix(String columnPrefix) {
    return new RollingAggregates(entity, time, value, windows, aggregates, columnPrefix);
  }

  /** The name of the output column of one aggregate and window, for example {@code amount_sum_4h}. */
  public String column(Aggregate aggregate, String window) {
    return TrailingWindows.column(prefix, aggregate, window);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("entity", entity);
    p.put("time", time);
    p.put("value", value);
    p.put("windows", windows);
    p.put("aggregates", aggregates.stream().map(Aggregate::label).toList());
    p.put("prefix", prefix);
    return p;
  }

  @Override
  public List<String> inputColumns() {
    List<String> in = new ArrayList<>(entity);
    in.add(time);
    in.add(value);
    return in;
  }

  @Override
  public StructType outputSchema(StructType input) {
    entity.forEach(e -> Schemas.field(input, NAME, e));
    Schemas.time(input, NAME, time);
    DataType valueType = Schemas.numeric(input, NAME, value);
    return Schemas.with(input, TrailingWindows.types(prefix, windows, aggregates, valueType));
  }

  @Override
  public Dataset<Row> apply(Dataset<Row> input) {
    return Schemas.run(this, input, df -> {
      StructType schema = df.schema();
      DataType valueType = schema.apply(value).dataType();
      StructType out = outputSchema(schema);
      boolean appendsOnly = out.length() == schema.length() + windows.size() * aggregates.size();
      if (appendsOnly && RollingFrames.supports(valueType)) {
        List<Long> micros = windows.stream().map(w -> Durations.micros(NAME, w)).toList();
        return RollingFrames.apply(df, entity, Times.micros(time, schema.apply(time).dataType()), value, micros, aggregates, out);
      }
      // an output name that replaces an input column: Spark's own window frames (same results, slower)
      return withWindowFrames(df);
    });
  }

  /** The same aggregates through Spark's RANGE window frames: the reference the fast pass is tested against. */
  Dataset<Row> withWindowFrames(Dataset<Row> df) {
    StructType schema = df.schema();
    Column valid = col(time).isNotNull();
    List<Column> partition = new ArrayList<>();
    for (String e : entity) {
      partition.add(col(e));
      valid = valid.and(col(e).isNotNull());
    }
    Map<String, Column> added = TrailingWindows.columns(
        NAME, partition, Times.micros(time, schema.apply(time).dataType()), when(valid, col(value)),
        schema.apply(value).dataType(), when(valid, lit(1)), valid, prefix, windows, aggregates);
    return Schemas.with(df, added);
  }
}
