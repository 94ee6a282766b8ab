package dev.lakeline.core.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * Column names as Spark reads them in {@code col()} and in SQL text. Unquoted, a name with a dot is read as a field of a
 * struct and a name with a space or a backtick does not parse; quoted, every name stays one column.
 */
public final class SqlColumns {
  private SqlColumns() {}

  /** {@code name} between backticks, its own backticks doubled: {@code a.b} → {@code `a.b`}. */
  public static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** The column named {@code name}, whatever characters it holds. */
  public static Column col(String name) {
    return functions.col(quoted(name));
  }
}
