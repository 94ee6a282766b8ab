package dev.lakeline.core.delta;

import dev.lakeline.core.Errors;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One batch to commit to one Delta table.
 *
 * @param path the table's location
 * @param data the batch; persist it first if it is expensive to compute (the commit reads it twice)
 * @param mode how the batch lands
 * @param replaceWhere the SQL predicate of the slice the batch replaces ({@link WriteMode#REPLACE_WHERE} only)
 * @param batchId identifies the batch across retries and reruns ({@code job:table:date}); a batch committed
 *     before with identical content is not committed again
 * @param partitionColumns partition columns used when the commit creates the table
 */
public record CommitRequest(
    String path,
    Dataset<Row> data,
    WriteMode mode,
    String replaceWhere,
    String batchId,
    List<String> partitionColumns) {

  public CommitRequest {
    partitionColumns = List.copyOf(partitionColumns);
    if (mode == WriteMode.REPLACE_WHERE && (replaceWhere == null || replaceWhere.isBlank())) {
      throw Errors.config("A REPLACE_WHERE commit to %s needs the predicate of the slice it replaces.", path);
    }
    if (batchId == null || batchId.isBlank()) {
      throw Errors.config("A commit to %s needs a batch id (job:table:date) so that reruns stay idempotent.", path);
    }
  }

  public static CommitRequest overwrite(String path, Dataset<Row> data, String batchId) {
    return new CommitRequest(path, data, WriteMode.OVERWRITE, null, batchId, List.of());
  }

  public static CommitRequest append(String path, Dataset<Row> data, String batchId) {
    return new CommitRequest(path, data, WriteMode.APPEND, null, batchId, List.of());
  }

  public static CommitRequest replaceWhere(String path, Dataset<Row> data, String predicate, String batchId) {
    return new CommitRequest(path, data, WriteMode.REPLACE_WHERE, predicate, batchId, List.of());
  }

  public CommitRequest withPartitionColumns(List<String> columns) {
    return new CommitRequest(path, data, mode, replaceWhere, batchId, columns);
  }
}
