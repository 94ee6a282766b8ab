package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.unix_micros;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;

/** Exact, time-zone-independent time arithmetic on microseconds since the epoch (UTC). */
final class Times {
  private Times() {}

  /** Microseconds since 1970-01-01T00:00Z; a date stands for midnight UTC of that day. */
  static Column micros(String column, DataType type) {
    return type instanceof DateType
        ? unix_date(col(column)).cast("long").multiply(lit(Durations.MICROS_PER_DAY))
        : unix_micros(col(column));
  }

  /** The UTC day number (days since 1970-01-01) of a microsecond instant, rounding down for instants before 1970. */
  static Column dayNumber(Column micros) {
    return floorDiv(micros, Durations.MICROS_PER_DAY);
  }

  /** {@code floor(a / b)} in exact long arithmetic, for b > 0 (no detour through doubles). */
  static Column floorDiv(Column a, long b) {
    // a - pmod(a, b) is a multiple of b, so Spark's integral division (which truncates) is exact on it.
    return call_function("div", a.minus(pmod(a, lit(b))), lit(b));
  }
}
