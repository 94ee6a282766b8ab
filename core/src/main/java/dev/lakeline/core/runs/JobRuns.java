package dev.lakeline.core.runs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.split;

import dev.lakeline.core.Errors;
import dev.lakeline.core.delta.CommitResult;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.delta.PendingAppend;
import dev.lakeline.core.storage.StorageLayout;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The job-runs log: one row per job run in the Delta table {@code <root>/_lakeline/job_runs}, appended when the run
 * ends, whether it succeeded or not. It is a log, so a rerun of a date adds a row (the tables the rerun left
 * unchanged say so in its outputs). "Newest" is the commit order ({@code commit_version}, as the validation reports
 * keep it); the time shown is the record's commit's in the table's history (the one the store gave the record's file
 * once that commit has left the log).
 *
 * <p>Query it directly too: {@code SELECT run_id, command, logical_date, status, seconds FROM
 * delta.`<root>/_lakeline/job_runs` ORDER BY commit_version DESC}, or {@code explode(outputs)} for what each run
 * wrote.
 */
public final class JobRuns {
  public static final String TABLE = "job_runs";

  private static final StructType OUTPUT = new StructType()
      .add("name", DataTypes.StringType)
      .add("path", DataTypes.StringType)
      .add("version", DataTypes.LongType)
      .add("rows", DataTypes.LongType)
      .add("unchanged", DataTypes.BooleanType);
  private static final StructType ENTRY = new StructType()
      .add("key", DataTypes.StringType)
      .add("value", DataTypes.StringType);
  private static final StructType STAGE = new StructType()
      .add("name", DataTypes.StringType)
      .add("seconds", DataTypes.DoubleType);
  static final StructType SCHEMA = new StructType()
      .add("record_id", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("command", DataTypes.StringType, false)
      .add("logical_date", DataTypes.StringType)
      .add("arguments", DataTypes.createArrayType(DataTypes.StringType))
      .add("status", DataTypes.StringType, false)
      .add("exit_code", DataTypes.IntegerType, false)
      .add("error", DataTypes.StringType)
      .add("environment", DataTypes.createArrayType(ENTRY))
      .add("outputs", DataTypes.createArrayType(OUTPUT))
      .add("facts", DataTypes.createArrayType(ENTRY))
      .add("stages", DataTypes.createArrayType(STAGE))
      .add("seconds", DataTypes.DoubleType, false)
      .add("commit_version", DataTypes.LongType);

  private final SparkSession spark;
  private final String path;

  private JobRuns(SparkSession spark, String path) {
    this.spark = spark;
    this.path = path;
  }

  public static JobRuns open(SparkSession spark, StorageLayout layout) {
    return new JobRuns(spark, layout.system(TABLE));
  }

  /** The table's location. */
  public String path() {
    return path;
  }

  /** Appends the run's record (one commit; the table is created with the first). */
  public CommitResult record(JobRun run) {
    DeltaCommits.createIfAbsent(spark, path, SCHEMA);
    try (PendingAppend append = PendingAppend.openUnique(spark, path, "job_run:" + run.recordId())) {
      return append.write(version -> spark.createDataFrame(List.of(toRow(run, version)), SCHEMA), 1).commit();
    }
  }

  /** The newest {@code limit} runs that match, newest first; empty when nothing was recorded yet. */
  public List<JobRun> list(RunFilter filter, int limit) {
    if (limit < 1) {
      throw Errors.config("The number of runs to list must be at least 1; got %d.", limit);
    }
    if (!DeltaCommits.exists(spark, path)) {
      return List.of();
    }
    Dataset<Row> rows = spark.read().format("delta").load(path)
        .withColumn("recorded_at", col("_metadata.file_modification_time"));
    Column where = lit(true);
    if (filter.runId() != null) {
      where = where.and(col("run_id").equalTo(filter.runId()).or(col("record_id").equalTo(filter.runId())));
    }
    if (filter.command() != null) {
      where = where.and(col("command").equalTo(filter.command()));
    }
    if (filter.status() != null) {
      where = where.and(col("status").equalTo(filter.status().label()));
    }
    if (filter.logicalDate() != null) {
      Column range = split(col("logical_date"), "\\.\\.");
      String d = filter.logicalDate();
      where = where.and(col("logical_date").equalTo(d)
          .or(col("logical_date").contains("..").and(range.getItem(0).leq(d)).and(range.getItem(1).geq(d))));
    }
    List<Row> found = rows.filter(where).orderBy(col("commit_version").desc(), col("record_id").desc()).limit(limit).collectAsList();
    Map<Long, Timestamp> committed = commitTimes(found);
    List<JobRun> out = new ArrayList<>();
    for (Row r : found) {
      Timestamp at = r.isNullAt(r.fieldIndex("commit_version")) ? null : committed.get(r.<Long>getAs("commit_version"));
      out.add(fromRow(r, at != null ? at : r.getAs("recorded_at")));
    }
    return out;
  }

  /**
   * When the records' commits were made, from the table's history (as far back as the records go): the time a record
   * was written even after compaction ({@code OPTIMIZE}, {@code lakeline maintain}) rewrote its file. Records whose
   * commit has left the Delta log keep their file's time.
   */
  private Map<Long, Timestamp> commitTimes(List<Row> records) {
    Map<Long, Timestamp> out = new java.util.HashMap<>();
    long oldest = records.stream().filter(r -> !r.isNullAt(r.fieldIndex("commit_version")))
        .mapToLong(r -> r.<Long>getAs("commit_version")).min().orElse(-1);
    if (oldest < 0) {
      return out;
    }
    long latest = DeltaCommits.currentVersion(spark, path);
    for (Row h : io.delta.tables.DeltaTable.forPath(spark, path).history((int) Math.min(Integer.MAX_VALUE, latest - oldest + 1))
        .select("version", "timestamp").collectAsList()) {
      out.put(h.getLong(0), h.getTimestamp(1));
    }
    return out;
  }

  /** The records of the run with this run id (or the one record with this record id), newest first; not found if none. */
  public List<JobRun> find(String id) {
    List<JobRun> found = list(RunFilter.any().withRunId(id), 1000);
    if (found.isEmpty()) {
      throw Errors.notFound("There is no job run '%s' in %s. List the runs with 'lakeline runs list'.", id, path);
    }
    return found;
  }

  private static Row toRow(JobRun r, long commitVersion) {
    List<Row> outputs = r.outputs().stream()
        .map(o -> RowFactory.create(o.name(), o.path(), o.version(), o.rows(), o.unchanged())).toList();
    List<Row> stages = r.stages().stream().map(s -> RowFactory.create(s.name(), s.seconds())).toList();
    return RowFactory.create(r.recordId(), r.runId(), r.command(), r.logicalDate(), r.arguments(), r.status().label(),
        r.exitCode(), r.error(), entries(r.environment()), outputs, entries(r.facts()), stages, r.seconds(), commitVersion);
  }

  private static List<Row> entries(Map<String, String> map) {
    return map.entrySet().stream().map(e -> RowFactory.create(e.getKey(), e.getValue())).toList();
  }

  private static Map<String, String> map(List<Row> entries) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Row e : entries) {
      m.put(e.getString(0), e.getString(1));
    }
    return m;
  }

  private static JobRun fromRow(Row r, Timestamp recorded) {
    List<JobRun.RunOutput> outputs = r.<Row>getList(r.fieldIndex("outputs")).stream()
        .map(o -> new JobRun.RunOutput(o.getString(0), o.getString(1), o.getLong(2), o.getLong(3), o.getBoolean(4))).toList();
    List<JobRun.RunStage> stages = r.<Row>getList(r.fieldIndex("stages")).stream()
        .map(s -> new JobRun.RunStage(s.getString(0), s.getDouble(1))).toList();
    return new JobRun(r.getAs("record_id"), r.getAs("run_id"), r.getAs("command"), r.getAs("logical_date"),
        r.<String>getList(r.fieldIndex("arguments")), RunStatus.parse(r.getAs("status")), r.<Integer>getAs("exit_code"),
        r.getAs("error"), map(r.getList(r.fieldIndex("environment"))), outputs, map(r.getList(r.fieldIndex("facts"))), stages,
        r.<Double>getAs("seconds"), recorded == null ? null : recorded.toInstant().toString());
  }
}
