package dev.lakeline.core.delta;

import dev.lakeline.core.Errors;
import dev.lakeline.core.internal.DeltaTransaction;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Adds columns to an existing Delta table as one commit: the new schema, table properties, and (when the new
 * columns get values in the existing rows) the rewritten data files. A failure before the commit leaves the
 * table as it was; there is no state in between for a reader, a crash or a rerun to meet.
 */
public final class ColumnAddition {
  private ColumnAddition() {}

  /**
   * Adds {@code columns} (nullable, after the existing ones) to the table at {@code path}, sets {@code
   * properties}, and gives the existing rows the values of {@code fill} (a constant per new column; new columns
   * it does not name stay null), in one commit. {@code expected} is the schema the caller decided on: a table
   * whose schema has changed since, or that another writer changes while the rows are rewritten, is a conflict
   * and nothing is committed (rerun). Returns the version committed.
   *
   * @throws dev.lakeline.core.LakelineException.Conflict when the table changed under the caller
   */
  public static long commit(
      SparkSession spark, String path, StructType expected, List<StructField> columns, Map<String, Column> fill,
      Map<String, String> properties) {
    DeltaTransaction txn = DeltaTransaction.start(spark, path);
    if (!StagedAppend.sameColumns(txn.schema(), expected)) {
      throw Errors.conflict(
          "The schema of %s changed while columns were being added to it (another writer): nothing was changed. "
              + "Rerun the command.",
          path);
    }
    try {
      return txn.commitAddColumns(columns, fill, properties);
    } catch (ConcurrentModificationException e) {
      throw Errors.conflict(
          e, "Another writer changed %s while columns were being added to it (%s): nothing was changed. Rerun the command.",
          path, e.getClass().getSimpleName());
    }
  }
}
