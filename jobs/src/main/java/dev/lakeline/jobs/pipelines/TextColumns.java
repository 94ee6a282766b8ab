package dev.lakeline.jobs.pipelines;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampType;

/** The typed value of a text column and, when the text is not a value of its type, the reason. */
final class TextColumns {
  private TextColumns() {}

  /** Whether text can be read as {@code type}: strings, numbers, booleans, dates and timestamps. */
  static boolean supported(DataType type) {
    return type instanceof StringType || type instanceof NumericType || type instanceof BooleanType
        || type instanceof DateType || type instanceof TimestampType;
  }

  /** The text of column {@code name} as {@code type}: null when it is null or not a value of the type. */
  static Column typed(String name, DataType type, UserDefinedFunction timestamps) {
    Column raw = org.apache.spark.sql.functions.col(GroupTarget.quote(name));
    if (type instanceof StringType) {
      return raw;
    }
    if (type instanceof TimestampType) {
      return timestamps.apply(raw);
    }
    // try_cast: null instead of an error for text that is not a value, whatever spark.sql.ansi.enabled says
    return expr("try_cast(" + GroupTarget.quote(name) + " AS " + type.sql() + ")");
  }

  /** "column 'x': '<text>' is not a <type>" when the text is there but {@code typed} is null; else null. */
  static Column problem(String name, DataType type, Column typed, String timestampFormats) {
    Column raw = org.apache.spark.sql.functions.col(GroupTarget.quote(name));
    String what = type instanceof TimestampType
        ? "' matches none of the timestamp formats " + timestampFormats
        : "' is not " + (type instanceof DateType ? "a date (yyyy-MM-dd)" : "a " + type.simpleString());
    return when(raw.isNotNull().and(typed.isNull()), concat(lit("column '" + name + "': '"), raw, lit(what)));
  }
}
