package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import dev.lakeline.core.Errors;
import dev.lakeline.core.Spelling;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructType;

/** Step {@code date_parts}; see {@link DateFeatures#dateParts}. */
record DateParts(String column, List<String> parts, String timezone, String prefix) implements Step {
  static final String NAME = "date_parts";
  static final List<String> KNOWN = List.of("year", "month", "day_of_month", "day_of_week", "hour", "minute", "is_weekend");
  static final List<String> DEFAULT = List.of("hour", "day_of_week", "month", "is_weekend");
  private static final List<String> TIME_OF_DAY = List.of("hour", "minute");

  DateParts {
    parts = List.copyOf(parts);
    if (parts.isEmpty()) {
      throw Errors.config("Transformation '%s' needs at least one part; known parts: %s.", NAME, KNOWN);
    }
    for (String p : parts) {
      if (!KNOWN.contains(p)) {
        String close = Spelling.closest(p, KNOWN);
        throw Errors.config(
            "Transformation '%s': unknown part '%s'.%s Known parts: %s.",
            NAME, p, close == null ? "" : " Did you mean '" + close + "'?", KNOWN);
      }
    }
    try {
      ZoneId.of(timezone);
    } catch (DateTimeException e) {
      throw Errors.config(
          "Transformation '%s': unknown time zone '%s'. Use a region id such as UTC or Europe/Paris.", NAME, timezone);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("column", column);
    p.put("parts", parts);
    p.put("timezone", timezone);
    p.put("prefix", prefix);
    return p;
  }

  @Override
  public List<String> inputColumns() {
    return List.of(column);
  }

  @Override
  public StructType outputSchema(StructType input) {
    DataType type = Schemas.time(input, NAME, column);
    if (type instanceof DateType) {
      for (String p : parts) {
        if (TIME_OF_DAY.contains(p)) {
          throw Errors.config(
              "Transformation '%s': column '%s' is a date, which has no '%s'. Drop that part or use a timestamp.",
              NAME, column, p);
        }
      }
    }
    Map<String, DataType> added = new LinkedHashMap<>();
    parts.forEach(p -> added.put(prefix + "_" + p, DataTypes.IntegerType));
    return Schemas.with(input, added);
  }

  @Override
  public Dataset<Row> apply(Dataset<Row> input) {
    return Schemas.run(this, input, df -> {
      boolean isDate = df.schema().apply(column).dataType() instanceof DateType;
      // Wall-clock microseconds in the zone, counted as if that wall clock were UTC: independent of the session zone.
      Column local = isDate ? null
          : unix_micros(timezone.equals("UTC") ? col(column) : from_utc_timestamp(col(column), timezone));
      Column dayNumber = isDate ? unix_date(col(column)) : Times.dayNumber(local);
      Column date = date_from_unix_date(dayNumber.cast("int"));
      // 1970-01-01 was a Thursday: ISO day of week, Monday = 1 ... Sunday = 7.
      Column dayOfWeek = pmod(dayNumber.plus(3), lit(7)).plus(1).cast("int");
      Map<String, Column> added = new LinkedHashMap<>();
      for (String p : parts) {
        Column c = switch (p) {
          case "year" -> year(date);
          case "month" -> month(date);
          case "day_of_month" -> dayofmonth(date);
          case "day_of_week" -> dayOfWeek;
          case "hour" -> Times.floorDiv(pmod(local, lit(Durations.MICROS_PER_DAY)), 3_600L * Durations.MICROS_PER_SECOND);
          case "minute" -> Times.floorDiv(pmod(local, lit(3_600L * Durations.MICROS_PER_SECOND)), 60L * Durations.MICROS_PER_SECOND);
          default -> when(dayOfWeek.geq(6), 1).otherwise(0);
        };
        added.put(prefix + "_" + p, when(col(column).isNotNull(), c.cast("int")));
      }
      return Schemas.with(df, added);
    });
  }
}
