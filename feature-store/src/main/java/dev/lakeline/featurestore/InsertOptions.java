package dev.lakeline.featurestore;

import dev.lakeline.core.Errors;
import dev.lakeline.core.delta.WriteMode;

/**
 * How a batch is inserted into a feature group.
 *
 * @param batchId identifies the batch across retries and reruns, e.g. {@code features:loans:2024-06-30}; a
 *     replay of the same batch is a no-op
 * @param runId the job run that inserts it (recorded in the commit), or null
 * @param mode {@code APPEND}, {@code MERGE} (upsert on primary key + event time), {@code OVERWRITE} or {@code
 *     REPLACE_WHERE}
 * @param replaceWhere the slice replaced, for {@code REPLACE_WHERE}
 * @param logicalDate the logical date of the run (recorded in the validation report), or null
 */
public record InsertOptions(String batchId, String runId, WriteMode mode, String replaceWhere, String logicalDate) {
  public InsertOptions {
    if (batchId == null || batchId.isBlank()) {
      throw Errors.config("An insert needs a batch id (job:group:date) so that a replay is never a duplicate.");
    }
    mode = mode == null ? WriteMode.APPEND : mode;
  }

  public InsertOptions(String batchId, String runId, WriteMode mode, String replaceWhere) {
    this(batchId, runId, mode, replaceWhere, null);
  }

  public static InsertOptions append(String batchId) {
    return new InsertOptions(batchId, null, WriteMode.APPEND, null);
  }

  /** Upsert: rows whose primary key and event time exist are replaced, the others inserted. */
  public static InsertOptions upsert(String batchId) {
    return new InsertOptions(batchId, null, WriteMode.MERGE, null);
  }

  public static InsertOptions overwrite(String batchId) {
    return new InsertOptions(batchId, null, WriteMode.OVERWRITE, null);
  }

  public InsertOptions withRunId(String value) {
    return new InsertOptions(batchId, value, mode, replaceWhere, logicalDate);
  }

  public InsertOptions withLogicalDate(String value) {
    return new InsertOptions(batchId, runId, mode, replaceWhere, value);
  }
}
