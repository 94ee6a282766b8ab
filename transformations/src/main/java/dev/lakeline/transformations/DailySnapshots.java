package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.when;

import dev.lakeline.core.Errors;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Step {@code daily_aggregates}: one row per entity and UTC calendar day, with the aggregates of {@code value} over
 * each trailing window that ends at the end of that day: the rows with time in [D+1 - w, D+1), D+1 being midnight
 * UTC after the day (the rolling value as of the day's last microsecond). A 1d window is the day itself; 7d is the
 * day and the six before.
 *
 * <p>Days: by default the days on which the entity has events. With {@code dates} (a list) or {@code from}/{@code
 * to} (a range, both included), exactly those days for every entity that has events in the input, whether or not it
 * has events on that day (counts 0, other aggregates null). Events after a snapshot day never count in it.
 *
 * <p>Needs the entity columns, {@code time} (timestamp, or date = midnight UTC) and {@code value} (numeric). Produces
 * only the entity columns, {@code day_column} (date) and {@code <prefix>_<aggregate>_<window>}. Nulls: as {@link
 * RollingAggregates}; rows with a null entity key or null time are dropped.
 */
public record DailySnapshots(
    List<String> entity,
    String time,
    String value,
    List<String> windows,
    List<Aggregate> aggregates,
    String prefix,
    String dayColumn,
    List<LocalDate> dates,
    LocalDate from,
    LocalDate to)
    implements Step {
  public static final String NAME = "daily_aggregates";
  private static final String T = "__lakeline_t";
  private static final String V = "__lakeline_v";
  private static final String DAY = "__lakeline_day";
  private static final String MARKER = "__lakeline_snapshot";

  public DailySnapshots {
    entity = List.copyOf(entity);
    windows = List.copyOf(windows);
    aggregates = List.copyOf(aggregates);
    dates = List.copyOf(dates);
    TrailingWindows.check(NAME, entity, windows, aggregates);
    if ((from == null) != (to == null)) {
      throw Errors.config("Transformation '%s': give both 'from' and 'to' for a range of days, or neither.", NAME);
    }
    if (from != null && !dates.isEmpty()) {
      throw Errors.config("Transformation '%s': give either 'dates' or 'from'/'to', not both.", NAME);
    }
    if (from != null && from.isAfter(to)) {
      throw Errors.config("Transformation '%s': 'from' %s is after 'to' %s.", NAME, from, to);
    }
  }

  /** Snapshots on the days with events; count, sum, mean, min, max and stddev; day column {@code day}. */
  public static DailySnapshots of(String entity, String time, String value, String... windows) {
    return new DailySnapshots(
        List.of(entity), time, value, Arrays.asList(windows), Aggregate.DEFAULT, value, "day", List.of(), null, null);
  }

  /** {@link #of(String, String, String, String...)} with the windows as a list (what PySpark's gateway passes). */
  public static DailySnapshots of(String entity, String time, String value, List<String> windows) {
    return of(entity, time, value, windows.toArray(String[]::new));
  }

  /** {@link #withEntity(String...)} with a list. */
  public DailySnapshots withEntity(List<String> columns) {
    return withEntity(columns.toArray(String[]::new));
  }

  /** {@link #withAggregates(Aggregate...)} with a list. */
  public DailySnapshots withAggregates(List<Aggregate> list) {
    return withAggregates(list.toArray(Aggregate[]::new));
  }

  public DailySnapshots withEntity(String... columns) {
    return new DailySnapshots(Arrays.asList(columns), time, value, windows, aggregates, prefix, dayColumn, dates, from, to);
  }

  public DailySnapshots withAggregates(Aggregate... list) {
    return new DailySnapshots(entity, time, value, windows, Arrays.asList(list), prefix, dayColumn, dates, from, to);
  }

  public DailySnapshots withPrefix(String columnPrefix) {
    return new DailySnapshots(entity, time, value, windows, aggregates, columnPrefix, dayColumn, dates, from, to);
  }

  public DailySnapshots withDayColumn(String column) {
    return new DailySnapshots(entity, time, value, windows, aggregates, prefix, column, dates, from, to);
  }

  /** Snapshots on exactly these days, for every entity of the input. */
  public DailySnapshots withDates(LocalDate... days) {
    return new DailySnapshots(entity, time, value, windows, aggregates, prefix, dayColumn, Arrays.asList(days), null, null);
  }

  /** Snapshots on every day from {@code first} to {@code last}, both included, for every entity of the input. */
  public DailySnapshots withDateRange(LocalDate first, LocalDate last) {
    return new DailySnapshots(entity, time, value, windows, aggregates, prefix, dayColumn, List.of(), first, last);
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
    p.put("day_column", dayColumn);
    if (!dates.isEmpty()) {
      p.put("dates", dates.stream().map(LocalDate::toString).toList());
    }
    if (from != null) {
      p.put("from", from.toString());
      p.put("to", to.toString());
    }
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
    List<StructField> fields = new ArrayList<>();
    for (String e : entity) {
      fields.add(DataTypes.createStructField(e, Schemas.field(input, NAME, e).dataType(), true));
    }
    Schemas.time(input, NAME, time);
    DataType valueType = Schemas.numeric(input, NAME, value);
    fields.add(DataTypes.createStructField(dayColumn, DataTypes.DateType, true));
    TrailingWindows.types(prefix, windows, aggregates, valueType)
        .forEach((n, t) -> fields.add(DataTypes.createStructField(n, t, true)));
    var names = new HashSet<String>();
    for (StructField f : fields) {
      if (!names.add(f.name())) {
        throw Errors.config(
            "Transformation '%s' would produce column '%s' twice; choose another day_column or prefix.", NAME, f.name());
      }
    }
    return new StructType(fields.toArray(new StructField[0]));
  }

  @Override
  public Dataset<Row> apply(Dataset<Row> input) {
    return Schemas.run(this, input, df -> {
      DataType valueType = df.schema().apply(value).dataType();
      List<Column> keys = entity.stream().map(Columns::col).toList();
      Column valid = col(time).isNotNull();
      for (Column k : keys) {
        valid = valid.and(k.isNotNull());
      }
      List<Column> eventCols = new ArrayList<>(keys);
      eventCols.add(Times.micros(time, df.schema().apply(time).dataType()).as(T));
      eventCols.add(col(value).as(V));
      Dataset<Row> events = df.where(valid).select(eventCols.toArray(new Column[0]));

      Dataset<Row> days = snapshotDays(events, keys);
      List<Column> markerCols = new ArrayList<>(keys);
      // The day's last microsecond: (day + 1) * 1 day - 1 us.
      markerCols.add(col(DAY).plus(1).multiply(lit(Durations.MICROS_PER_DAY)).minus(1).as(T));
      markerCols.add(lit(null).cast(valueType).as(V));
      markerCols.add(lit(true).as(MARKER));
      markerCols.add(col(DAY));
      Dataset<Row> markers = days.select(markerCols.toArray(new Column[0]));
      Dataset<Row> all = events.withColumn(MARKER, lit(false)).withColumn(DAY, lit(null).cast("long"))
          .unionByName(markers);

      Column isEvent = not(col(MARKER));
      Map<String, Column> aggregatesByName = TrailingWindows.columns(
          NAME, keys, col(T), col(V), valueType, when(isEvent, lit(1)), lit(true), prefix, windows, aggregates);
      List<Column> out = new ArrayList<>(keys);
      out.add(col(MARKER));
      out.add(date_from_unix_date(col(DAY).cast("int")).as(dayColumn));
      aggregatesByName.forEach((n, c) -> out.add(c.as(n)));
      return all.select(out.toArray(new Column[0])).where(col(MARKER)).drop(MARKER);
    });
  }

  private Dataset<Row> snapshotDays(Dataset<Row> events, List<Column> keys) {
    List<Column> withDay = new ArrayList<>(keys);
    if (from == null && dates.isEmpty()) {
      withDay.add(Times.dayNumber(col(T)).as(DAY));
      return events.select(withDay.toArray(new Column[0])).distinct();
    }
    Column days = from != null
        ? sequence(lit(from.toEpochDay()), lit(to.toEpochDay()))
        : array(dates.stream().distinct().map(d -> lit(d.toEpochDay())).toArray(Column[]::new));
    withDay.add(explode(days).as(DAY));
    return events.select(keys.toArray(new Column[0])).distinct().select(withDay.toArray(new Column[0]));
  }
}
