package dev.lakeline.featurestore;

import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One entry of a feature group's activity: a Delta commit with what it did.
 *
 * @param version the Delta version
 * @param timestamp when it was committed (UTC)
 * @param operation Delta's operation (WRITE, MERGE, CREATE TABLE, ...)
 * @param rowsAdded rows inserted
 * @param rowsUpdated rows updated (upserts)
 * @param rowsDeleted rows deleted
 * @param batchId the Lakeline batch it committed, or null
 * @param runId the job run that committed it, or null
 * @param reportId the validation report of the batch, or null
 */
public record CommitInfo(
    long version,
    Timestamp timestamp,
    String operation,
    long rowsAdded,
    long rowsUpdated,
    long rowsDeleted,
    String batchId,
    String runId,
    String reportId) {
  private static final DateTimeFormatter UTC_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  /**
   * The commit time as {@code YYYY-MM-DD HH:MM:SS.mmm} in UTC, what {@code FeatureGroup.readAsOf} takes: to the
   * millisecond, as Delta records it, so that reading as of it reads this version (to the second, it would be the one
   * before). A {@code Timestamp}'s own {@code toString()} is the JVM's zone's wall-clock time.
   */
  public String committedUtc() {
    return UTC_MILLIS.format(timestamp.toInstant());
  }
}
