package dev.lakeline.pitjoin;

import static org.apache.spark.sql.functions.expr;

import dev.lakeline.core.spark.SqlColumns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** The one conversion of times to comparable microseconds. */
final class Times {
  private Times() {}

  /**
   * A TIMESTAMP as microseconds since the epoch (UTC); a DATE as the microseconds of its midnight UTC. Both sides of
   * a join have the same type ({@link JoinChecks}), so the comparison is the type's own.
   */
  static Column micros(String column, DataType type) {
    if (type.equals(DataTypes.DateType)) {
      return expr("CAST(unix_date(" + SqlColumns.quoted(column) + ") AS BIGINT) * 86400000000");
    }
    return expr("unix_micros(" + SqlColumns.quoted(column) + ")");
  }
}
