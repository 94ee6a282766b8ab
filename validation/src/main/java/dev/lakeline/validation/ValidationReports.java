package dev.lakeline.validation;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;

import dev.lakeline.core.Errors;
import dev.lakeline.core.delta.CommitResult;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.delta.PendingAppend;
import dev.lakeline.core.storage.StorageLayout;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Validation reports as rows of a Delta table ({@code <root>/_lakeline/validation_reports}), one per gate run.
 * Appends are idempotent per report id (a retried append of the same report is a no-op; a different report
 * under an existing id is a conflict). "Newest" is the commit order, never a clock: each row records in
 * {@code commit_version} the version of this table it was written for, which is the version its commit produced
 * unless another report committed at the same moment (the two then share a number, and the report id orders
 * them). Tables made by earlier Lakeline versions have Delta row tracking instead; their older rows are ordered
 * by {@code _metadata.row_commit_version}, the same numbers. Row tracking is no longer used because every commit
 * to such a table makes Delta 3.3 rebuild the table's state (a few Spark jobs) for its row-id high-water mark.
 *
 * <p>Query it directly too: {@code SELECT feature_group, decision, success_percent, failed_expectations FROM
 * delta.`<root>/_lakeline/validation_reports`}, or {@code explode(results)} for one expectation's history.
 */
public final class ValidationReports {
  static final String TABLE = "validation_reports";
  private static final String ORDER = "_lakeline_commit_version";
  /** Tables this JVM has found in the current layout already (see {@link #ensureTable}). */
  private static final Set<String> CURRENT = ConcurrentHashMap.newKeySet();

  private final SparkSession spark;
  private final String path;

  private ValidationReports(SparkSession spark, String path) {
    this.spark = spark;
    this.path = path;
  }

  public static ValidationReports open(SparkSession spark, StorageLayout layout) {
    return new ValidationReports(spark, layout.system(TABLE));
  }

  /** The table's location. */
  public String path() {
    return path;
  }

  /**
   * Appends the report once: a second append of the same report id is skipped (see {@link CommitResult#skipped()}),
   * whatever its content. Report ids are unique per attempt.
   */
  public CommitResult append(ValidationReport report) {
    ensureTable();
    return DeltaCommits.appendOnce(spark, path, row(report, DeltaCommits.currentVersion(spark, path) + 1), 1, appendId(report.reportId()));
  }

  /**
   * Starts appending the report with id {@code reportId} in the background: its content comes later, with
   * {@link PendingReport#write}. For a gate that knows its report's id before it has the report: the table's
   * transaction is opened while the batch is written, the report's row written while the batch commits, and
   * committed after that commit, so that a report never points at a version that does not exist. The id must be
   * new (give each attempt its own, as the feature groups do): nothing looks for an earlier report with it, which
   * keeps Delta from rebuilding the table's state on every insert.
   */
  public PendingReport open(String reportId) {
    ensureTable();
    return new PendingReport(reportId, PendingAppend.openUnique(spark, path, appendId(reportId)));
  }

  /** A report being appended: {@link #write} its content, then {@link #commit} (once per report id) or {@link #abort}. */
  public final class PendingReport implements AutoCloseable {
    private final String reportId;
    private final PendingAppend append;

    private PendingReport(String reportId, PendingAppend append) {
      this.reportId = reportId;
      this.append = append;
    }

    /** Hands over the report (with the id this pending append was opened for); its row is written in the background. */
    public PendingReport write(ValidationReport report) {
      if (!report.reportId().equals(reportId)) {
        throw new IllegalArgumentException("Report " + report.reportId() + " given to the pending append of " + reportId);
      }
      append.write(version -> row(report, version), 1);
      return this;
    }

    /** Makes the report visible, as {@link ValidationReports#append} does. */
    public CommitResult commit() {
      return append.commit();
    }

    /** Drops the pending report: nothing is appended. */
    public void abort() {
      append.abort();
    }

    /** Drops the pending report unless it was committed or dropped already. */
    @Override
    public void close() {
      append.close();
    }
  }

  private static String appendId(String reportId) {
    return "validation_report:" + reportId;
  }

  private Dataset<Row> row(ValidationReport report, long commitVersion) {
    return spark.createDataFrame(List.of(ReportRows.toRow(report, commitVersion)), ReportRows.SCHEMA);
  }

  /** The newest {@code limit} reports of a feature group (all versions), newest first; empty if there are none. */
  public List<ValidationReport> history(String featureGroup, int limit) {
    if (limit < 1) {
      throw Errors.config("history(%s, %d): the limit must be at least 1.", featureGroup, limit);
    }
    if (!DeltaCommits.exists(spark, path)) {
      return List.of();
    }
    return read(table().filter(col("feature_group").equalTo(featureGroup)).orderBy(col(ORDER).desc(), col("report_id").desc()).limit(limit));
  }

  /** The report with this id; not found if there is none. */
  public ValidationReport get(String reportId) {
    List<ValidationReport> found =
        DeltaCommits.exists(spark, path)
            ? read(table().filter(col("report_id").equalTo(reportId)).orderBy(col(ORDER).desc()).limit(1))
            : List.of();
    if (found.isEmpty()) {
      throw Errors.notFound(
          "There is no validation report '%s' in %s. List a group's reports with 'lakeline validation history <group>' (in Java: ValidationReports.history(group, n)).",
          reportId, path);
    }
    return found.get(0);
  }

  private Dataset<Row> table() {
    ensureTable();
    Dataset<Row> rows = spark.read().format("delta").load(path);
    Column order = col(ReportRows.COMMIT_VERSION);
    if (rowTracking()) {
      order = coalesce(order, col("_metadata.row_commit_version")); // rows from before the column existed
    }
    return rows.withColumn(ORDER, order);
  }

  private boolean hasCommitVersion() {
    StructType schema = DeltaTable.forPath(spark, path).toDF().schema();
    return List.of(schema.fieldNames()).contains(ReportRows.COMMIT_VERSION);
  }

  private boolean rowTracking() {
    return "true".equalsIgnoreCase(DeltaCommits.properties(spark, path).get("delta.enableRowTracking"));
  }

  private static List<ValidationReport> read(Dataset<Row> rows) {
    List<ValidationReport> out = new ArrayList<>();
    for (Row r : rows.drop(ORDER).collectAsList()) {
      out.add(ReportRows.fromRow(r));
    }
    return out;
  }

  /**
   * Creates the table unless it exists (and gives a table from an earlier Lakeline version its
   * {@code commit_version} column; checked once per JVM); a concurrent creator winning the race is fine. Appends
   * create it too; creating it up front (the store does when it creates a feature group) keeps that cost out of
   * the first batch's commit.
   */
  public void ensureTable() {
    if (CURRENT.contains(path)) {
      return;
    }
    if (DeltaCommits.exists(spark, path)) {
      if (!hasCommitVersion()) {
        // a table from before commit_version: add it (older rows keep their order by row tracking)
        try {
          spark.sql("ALTER TABLE " + dev.lakeline.core.delta.DeltaCommits.sqlName(path) + " ADD COLUMNS (" + ReportRows.COMMIT_VERSION + " BIGINT)");
        } catch (RuntimeException e) {
          if (!hasCommitVersion()) { // not another JVM adding it at the same moment
            throw e;
          }
        }
      }
      CURRENT.add(path);
      return;
    }
    DeltaCommits.createIfAbsent(spark, path, ReportRows.SCHEMA);
    CURRENT.add(path);
  }
}
