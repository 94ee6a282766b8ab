package dev.lakeline.testkit.delta;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Small batches for the Delta commit tests: rows of (day STRING, id INT, amount DOUBLE). */
final class Batches {
  private Batches() {}

  static Dataset<Row> rows(SparkSession spark, String values) {
    return spark.sql(
        "SELECT CAST(day AS STRING) AS day, CAST(id AS INT) AS id, CAST(amount AS DOUBLE) AS amount FROM VALUES "
            + values
            + " AS t(day, id, amount)");
  }

  static Dataset<Row> table(SparkSession spark, String path) {
    return spark.read().format("delta").load(path);
  }

  /** How many commits the table's history holds (versions 0..n-1). */
  static long historyLength(SparkSession spark, String path) {
    return io.delta.tables.DeltaTable.forPath(spark, path).history().count();
  }
}
