package dev.lakeline.jobs.pipelines;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.lakeline.core.spark.SqlColumns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The typed value of a text column and, when the text is not a value of its type, the reason. Spark's casts are
 * lenient where a value would be invented, so they are checked: a date is exactly {@code yyyy-MM-dd} (Spark reads
 * {@code 2024} as 2024-01-01 and {@code 2024-06-01 junk} as 2024-06-01); a number out of a floating type's range
 * (Spark makes {@code 1e400} Infinity, {@code 1e-400} zero) or with more decimals than a decimal's scale (Spark rounds)
 * is not a value of the type.
 */
final class TextColumns {
  private static final String DATE = "^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\\s*$";
  private static final String INFINITY = "(?i)^\\s*[+-]?inf(inity)?\\s*$";
  /** A nonzero digit before any exponent: the text is not a zero. */
  private static final String NONZERO = "^[^eE]*[1-9]";

  private TextColumns() {}

  /** Whether text can be read as {@code type}: strings, numbers, booleans, dates and timestamps. */
  static boolean supported(DataType type) {
    return type instanceof StringType || type instanceof NumericType || type instanceof BooleanType
        || type instanceof DateType || type instanceof TimestampType;
  }

  /** The text of column {@code name} as {@code type}: null when it is null or not a value of the type. */
  static Column typed(String name, DataType type, UserDefinedFunction timestamps) {
    Column raw = SqlColumns.col(name);
    if (type instanceof StringType) {
      return raw;
    }
    if (type instanceof TimestampType) {
      return timestamps.apply(raw);
    }
    Column cast = cast(name, type);
    if (type instanceof DateType) {
      return when(raw.rlike(DATE), cast);
    }
    if (type instanceof DoubleType || type instanceof FloatType) {
      Column overflow = abs(cast).equalTo(lit(Double.POSITIVE_INFINITY)).and(raw.rlike(INFINITY).unary_$bang());
      Column underflow = cast.equalTo(lit(0)).and(raw.rlike(NONZERO));
      return when(overflow.or(underflow).unary_$bang(), cast);
    }
    if (type instanceof DecimalType) {
      Column exact = cast.cast(DataTypes.DoubleType).equalTo(cast(name, DataTypes.DoubleType));
      return when(exact, cast);
    }
    return cast;
  }

  /** try_cast: null instead of an error for text that is not a value, whatever spark.sql.ansi.enabled says. */
  private static Column cast(String name, DataType type) {
    return expr("try_cast(" + SqlColumns.quoted(name) + " AS " + type.sql() + ")");
  }

  /** "column 'x': '<text>' is not a <type>" when the text is there but {@code typed} is null; else null. */
  static Column problem(String name, DataType type, Column typed, String timestampFormats) {
    Column raw = SqlColumns.col(name);
    String what = type instanceof TimestampType
        ? "' matches none of the timestamp formats " + timestampFormats
        : "' is not " + (type instanceof DateType ? "a date (yyyy-MM-dd)" : "a " + type.simpleString());
    Column reason = concat(lit("column '" + name + "': '"), raw, lit(what));
    if (type instanceof DoubleType || type instanceof FloatType || type instanceof DecimalType) {
      // a number Spark reads, but only by making it infinite, zero or rounded
      String range = "' is out of the range or precision of a " + type.simpleString();
      reason = when(cast(name, type).isNotNull(), concat(lit("column '" + name + "': '"), raw, lit(range))).otherwise(reason);
    }
    return when(raw.isNotNull().and(typed.isNull()), reason);
  }
}
