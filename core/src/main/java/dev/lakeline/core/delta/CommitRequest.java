package dev.lakeline.core.delta;

import dev.lakeline.core.Errors;
import java.util.List;
import java.util.Map;
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
 * @param mergeKeys the columns that identify a row for {@link WriteMode#MERGE}
 * @param metadata more entries for the commit's userMetadata (run id, report id, ...)
 * @param mergeSchema whether the batch's columns that the table lacks are added to it, in the same commit (Delta's
 *     {@code mergeSchema}: nullable, after the table's columns, null in the rows written before); without it such a
 *     batch fails. Either way a column of the table that the batch lacks is null in the batch's rows, and a column
 *     whose type differs fails the write
 */
public record CommitRequest(
    String path,
    Dataset<Row> data,
    WriteMode mode,
    String replaceWhere,
    String batchId,
    List<String> partitionColumns,
    List<String> mergeKeys,
    Map<String, String> metadata,
    boolean mergeSchema) {

  public CommitRequest {
    partitionColumns = List.copyOf(partitionColumns);
    mergeKeys = List.copyOf(mergeKeys == null ? List.of() : mergeKeys);
    metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
    if (mode == WriteMode.MERGE && mergeKeys.isEmpty()) {
      throw Errors.config("A MERGE commit to %s needs the key columns that identify a row.", path);
    }
    if (mode == WriteMode.REPLACE_WHERE && (replaceWhere == null || replaceWhere.isBlank())) {
      throw Errors.config("A REPLACE_WHERE commit to %s needs the predicate of the slice it replaces.", path);
    }
    if (batchId == null || batchId.isBlank()) {
      throw Errors.config("A commit to %s needs a batch id (job:table:date) so that reruns stay idempotent.", path);
    }
  }

  /** A request that adds no columns to the table ({@link #withMergeSchema}). */
  public CommitRequest(
      String path, Dataset<Row> data, WriteMode mode, String replaceWhere, String batchId, List<String> partitionColumns,
      List<String> mergeKeys, Map<String, String> metadata) {
    this(path, data, mode, replaceWhere, batchId, partitionColumns, mergeKeys, metadata, false);
  }

  /** A request with no partition columns, merge keys or extra metadata. */
  public CommitRequest(String path, Dataset<Row> data, WriteMode mode, String replaceWhere, String batchId) {
    this(path, data, mode, replaceWhere, batchId, List.of(), List.of(), Map.of());
  }

  public static CommitRequest overwrite(String path, Dataset<Row> data, String batchId) {
    return new CommitRequest(path, data, WriteMode.OVERWRITE, null, batchId);
  }

  public static CommitRequest append(String path, Dataset<Row> data, String batchId) {
    return new CommitRequest(path, data, WriteMode.APPEND, null, batchId);
  }

  public static CommitRequest replaceWhere(String path, Dataset<Row> data, String predicate, String batchId) {
    return new CommitRequest(path, data, WriteMode.REPLACE_WHERE, predicate, batchId);
  }

  public static CommitRequest merge(String path, Dataset<Row> data, List<String> keys, String batchId) {
    return new CommitRequest(path, data, WriteMode.MERGE, null, batchId, List.of(), keys, Map.of());
  }

  public CommitRequest withPartitionColumns(List<String> columns) {
    return new CommitRequest(path, data, mode, replaceWhere, batchId, columns, mergeKeys, metadata, mergeSchema);
  }

  /** A copy whose commit records these extra userMetadata entries (run id, report id, ...). */
  public CommitRequest withMetadata(Map<String, String> entries) {
    return new CommitRequest(path, data, mode, replaceWhere, batchId, partitionColumns, mergeKeys, entries, mergeSchema);
  }

  /** A copy whose commit adds the batch's new columns to the table (see {@code mergeSchema}); not for a MERGE. */
  public CommitRequest withMergeSchema() {
    if (mode == WriteMode.MERGE) {
      throw Errors.config("A MERGE commit to %s cannot add columns to the table; add them first (ColumnAddition).", path);
    }
    return new CommitRequest(path, data, mode, replaceWhere, batchId, partitionColumns, mergeKeys, metadata, true);
  }
}
