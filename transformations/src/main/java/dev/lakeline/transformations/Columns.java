package dev.lakeline.transformations;

import dev.lakeline.core.Errors;
import dev.lakeline.core.spark.SqlColumns;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/** Input contracts of transformations: a missing column or a wrong type is an error naming both. */
public final class Columns {
  private Columns() {}

  /** The column, quoted so that any name is safe. */
  public static Column col(String name) {
    return SqlColumns.col(name);
  }

  /** Requires {@code column} in {@code df}; returns its field. */
  public static StructField require(Dataset<Row> df, String transformation, String column) {
    List<String> names = Arrays.asList(df.columns());
    if (!names.contains(column)) {
      throw Errors.missingColumn("Transformation '" + transformation + "'", column, names);
    }
    return df.schema().apply(column);
  }

  /** Requires a numeric column. */
  public static void requireNumeric(Dataset<Row> df, String transformation, String column) {
    DataType type = require(df, transformation, column).dataType();
    if (!(type instanceof NumericType)) {
      throw Errors.config(
          "Transformation '%s' needs a numeric column '%s', but it is %s. Cast it first.",
          transformation, column, type.simpleString());
    }
  }

  /** Requires a column of one of the given types. */
  public static void requireType(Dataset<Row> df, String transformation, String column, DataType... types) {
    DataType type = require(df, transformation, column).dataType();
    for (DataType t : types) {
      if (t.sameType(type)) {
        return;
      }
    }
    throw Errors.config(
        "Transformation '%s' needs column '%s' of type %s, but it is %s.",
        transformation,
        column,
        Arrays.stream(types).map(DataType::simpleString).toList(),
        type.simpleString());
  }
}
