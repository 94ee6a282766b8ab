package dev.lakeline.featurestore;

import static org.apache.spark.sql.functions.lit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Comparisons of an event-time column with an instant, in UTC whatever the session's time zone. A DATE is its
 * midnight UTC (as in the point-in-time join), so it is compared with a DATE literal: Spark would otherwise cast it
 * to its midnight in the session's zone. A TIMESTAMP is compared with the instant itself; a TIMESTAMP_NTZ with the
 * instant's wall-clock time in UTC.
 */
final class EventTimes {
  private EventTimes() {}

  /** {@code column >= instant}. */
  static Column atOrAfter(Column column, DataType type, Instant instant) {
    return column.geq(type.equals(DataTypes.DateType) ? lit(firstDateFrom(instant)) : value(type, instant));
  }

  /** {@code column < instant}. */
  static Column before(Column column, DataType type, Instant instant) {
    return column.lt(type.equals(DataTypes.DateType) ? lit(firstDateFrom(instant)) : value(type, instant));
  }

  /** {@code column <= instant}. */
  static Column atOrBefore(Column column, DataType type, Instant instant) {
    return column.leq(value(type, instant));
  }

  /** The instant as a value of the column's type: for a DATE the UTC date it falls on. */
  static Column value(DataType type, Instant instant) {
    if (type.equals(DataTypes.DateType)) {
      return lit(LocalDate.ofInstant(instant, ZoneOffset.UTC));
    }
    if (type.equals(DataTypes.TimestampNTZType)) {
      return lit(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
    return lit(instant);
  }

  /** The first date whose midnight UTC is at or after {@code instant}. */
  private static LocalDate firstDateFrom(Instant instant) {
    LocalDate day = LocalDate.ofInstant(instant, ZoneOffset.UTC);
    return day.atStartOfDay(ZoneOffset.UTC).toInstant().equals(instant) ? day : day.plusDays(1);
  }
}
