package dev.lakeline.featurestore;

import dev.lakeline.core.Errors;
import dev.lakeline.core.Messages;
import dev.lakeline.core.UnreadableFiles;
import dev.lakeline.core.delta.ColumnAddition;
import dev.lakeline.core.delta.CommitRequest;
import dev.lakeline.core.delta.CommitResult;
import dev.lakeline.core.delta.ContentFingerprint;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.delta.StagedAppend;
import dev.lakeline.core.delta.WriteMode;
import dev.lakeline.core.spark.SqlColumns;
import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.validation.Decision;
import dev.lakeline.validation.Expectation;
import dev.lakeline.validation.Gate;
import dev.lakeline.validation.GateResult;
import dev.lakeline.validation.Staging;
import dev.lakeline.validation.ValidationReport;
import dev.lakeline.validation.ValidationReports;
import dev.lakeline.validation.ValidationReports.PendingReport;
import dev.lakeline.validation.WriteGate;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A feature group: a Delta table with a definition. Every batch passes the gate before it is committed: the
 * schema must match, the primary key must be present and unique (with the event time), and the group's suite
 * must pass; a failing batch is rejected and the table is not touched.
 */
public final class FeatureGroup {
  private final SparkSession spark;
  private final FeatureGroupSpec spec;
  private final String path;
  private final StructType schema;

  private final Map<String, String> featureDefaults;
  private final StorageLayout layout;

  FeatureGroup(
      SparkSession spark, StorageLayout layout, FeatureGroupSpec spec, String path, StructType schema, Map<String, String> featureDefaults) {
    this.spark = spark;
    this.layout = layout;
    this.spec = spec;
    this.path = path;
    this.schema = schema;
    this.featureDefaults = Map.copyOf(featureDefaults);
  }

  /** Each added feature's value in the rows written before it was added: its default (for a replay's comparison). */
  private Map<String, org.apache.spark.sql.Column> addedFeatureValues() {
    Map<String, org.apache.spark.sql.Column> values = new java.util.LinkedHashMap<>();
    featureDefaults.forEach((name, sql) -> values.put(name, org.apache.spark.sql.functions.expr(sql)));
    return values;
  }

  /** Features added after creation, with the SQL default that batches without them get. */
  public Map<String, String> featureDefaults() {
    return featureDefaults;
  }

  /** The schema without the given columns. */
  StructType schemaWithout(java.util.Set<String> columns) {
    StructType out = new StructType();
    for (StructField f : schema.fields()) {
      if (!columns.contains(f.name())) {
        out = out.add(f);
      }
    }
    return out;
  }

  /**
   * Adds features to this version without breaking anything: nullable columns, filled with their default in the
   * existing rows and in later batches that do not carry them. Anything else (a type change, a removed column)
   * needs a new version: {@link FeatureStore#createNextVersion}. Returns the group with its new schema; features it
   * has already (added before with the same type and default) are left as they are, so a rerun writes nothing.
   * The change is one Delta commit (the new columns, the existing rows rewritten with their defaults, and the
   * defaults recorded in the table's properties): a failure leaves the table as it was, and earlier versions read
   * as before.
   *
   * @throws dev.lakeline.core.LakelineException.Conflict when another writer changed the group meanwhile (nothing
   *     was changed: rerun)
   */
  public FeatureGroup addFeatures(List<NewFeature> features) {
    Map<String, String> defaults = new java.util.LinkedHashMap<>(featureDefaults);
    List<StructField> add = new ArrayList<>();
    Map<String, org.apache.spark.sql.Column> fill = new java.util.LinkedHashMap<>();
    java.util.Set<String> named = new java.util.HashSet<>();
    for (NewFeature f : features) {
      if (!named.add(f.name().toLowerCase(java.util.Locale.ROOT))) {
        throw Errors.config("New feature '%s' of %s is named twice: name each feature once.", f.name(), spec.label());
      }
      org.apache.spark.sql.types.DataType type;
      try {
        type = org.apache.spark.sql.types.DataType.fromDDL(f.type());
      } catch (Exception e) { // Spark's ParseException is checked, though undeclared
        throw Errors.config(
            "New feature '%s' of %s has the unknown type '%s': use a Spark SQL type (double, bigint, string, date, "
                + "timestamp, decimal(10,2), array<string>, ...).",
            f.name(), spec.label(), f.type());
      }
      Optional<StructField> has = Arrays.stream(schema.fields()).filter(c -> c.name().equalsIgnoreCase(f.name())).findFirst();
      if (has.isPresent()) {
        StructField c = has.get();
        if (!c.name().equals(f.name()) || !c.dataType().sameType(type) || !defaults.containsKey(f.name())) {
          throw Errors.conflict(
              "Feature group %s already has a column '%s' (%s). Changing or re-adding a column is a breaking change: "
                  + "create version %d (a pipeline: set the group's version to %d and backfill it with lakeline features "
                  + "--from D1 --to D2; in Java: FeatureStore.createNextVersion).",
              spec.label(), c.name(), c.dataType().simpleString(), spec.version() + 1, spec.version() + 1);
        }
        if (!defaults.get(f.name()).trim().equalsIgnoreCase(f.defaultSql().trim())) {
          throw Errors.conflict(
              "Feature '%s' of %s was added with the default %s, not %s: its existing rows hold that default, so it "
                  + "cannot change. Give the default %s (or create version %d).",
              f.name(), spec.label(), defaults.get(f.name()), f.defaultSql(), defaults.get(f.name()), spec.version() + 1);
        }
        continue; // added before with the same type and default: a rerun
      }
      requireLiteral(f, type);
      add.add(new StructField(f.name(), type, true, org.apache.spark.sql.types.Metadata.empty()));
      if (!"NULL".equalsIgnoreCase(f.defaultSql().trim())) { // only the columns added now get it in the old rows
        fill.put(f.name(), org.apache.spark.sql.functions.expr(f.defaultSql()));
      }
      defaults.put(f.name(), f.defaultSql());
    }
    requireNoQuarantineColumn(spec, features.stream().map(NewFeature::name).toList());
    if (add.isEmpty()) {
      return this;
    }
    // one commit: the columns, their values in the existing rows and the recorded defaults, or nothing at all
    ColumnAddition.commit(spark, path, schema, add, fill, Map.of(FeatureStore.DEFAULTS_PROPERTY, Json.write(defaults)));
    StructType newSchema = spark.read().format("delta").load(path).schema();
    return new FeatureGroup(spark, layout, spec, path, newSchema, defaults);
  }

  /** Whether {@code e} is the same value whenever it is computed: deterministic, foldable and not the clock's. */
  private static boolean constant(org.apache.spark.sql.catalyst.expressions.Expression e) {
    if (!e.deterministic() || e instanceof org.apache.spark.sql.catalyst.expressions.Nondeterministic
        || e.getClass().getSimpleName().matches("Current.*|Now|LocalTimestamp")) {
      return false;
    }
    var children = e.children().iterator();
    while (children.hasNext()) {
      if (!constant(children.next())) {
        return false;
      }
    }
    return true;
  }

  /**
   * A new feature's default must be NULL or a constant of its type: checked before the table changes. The cast to the
   * type must give a value (Spark casts {@code 'abc'} to a double as NULL), and one equal to the default for an
   * integral or decimal type (not {@code 1.7} truncated to an int's 1, nor 3000000000 wrapped around).
   */
  private void requireLiteral(NewFeature f, org.apache.spark.sql.types.DataType type) {
    org.apache.spark.sql.Column given;
    org.apache.spark.sql.Column cast;
    try {
      given = org.apache.spark.sql.functions.expr(f.defaultSql());
      cast = given.cast(type);
      spark.emptyDataFrame().select(cast).schema();
    } catch (Exception e) { // Spark's ParseException and AnalysisException are checked, though undeclared
      throw Errors.config(
          "New feature '%s' of %s has the default '%s', which is not a SQL literal of type %s (a string needs quotes: "
              + "'unknown'). Nothing was changed.",
          f.name(), spec.label(), f.defaultSql(), type.simpleString());
    }
    if ("NULL".equalsIgnoreCase(f.defaultSql().trim())) {
      return;
    }
    if (!constant(spark.emptyDataFrame().select(given).queryExecution().analyzed().expressions().head())) {
      throw Errors.config(
          "New feature '%s' of %s has the default %s, which is not a constant: it would give the existing rows, and "
              + "each later batch without the column, a value of its own (random, or the clock's at the time). Give a "
              + "literal of type %s (0, 'unknown', DATE'2024-01-01') or NULL. Nothing was changed.",
          f.name(), spec.label(), f.defaultSql(), type.simpleString());
    }
    boolean exact = List.of(DataTypes.ByteType, DataTypes.ShortType, DataTypes.IntegerType, DataTypes.LongType).contains(type)
        || type instanceof org.apache.spark.sql.types.DecimalType;
    Row value;
    try {
      value = spark.range(1).select(
          cast.isNull(), exact ? given.equalTo(cast) : functions.lit(true), cast.cast("string")).first();
    } catch (RuntimeException e) { // the value of a default that analyses but cannot be computed, e.g. an ANSI cast error
      throw Errors.config(e,
          "New feature '%s' of %s has the default %s, which is not a value of type %s: %s. Give a default of the "
              + "type (0, 'unknown' for a string, DATE'2024-01-01') or NULL. Nothing was changed.",
          f.name(), spec.label(), f.defaultSql(), type.simpleString(),
          Messages.firstLine(e));
    }
    if (value.getBoolean(0)) {
      throw Errors.config(
          "New feature '%s' of %s has the default %s, which is not a value of type %s: cast to %s it is NULL. Give a "
              + "default of the type (0, 'unknown' for a string, DATE'2024-01-01'), or NULL for no value. Nothing was "
              + "changed.",
          f.name(), spec.label(), f.defaultSql(), type.simpleString(), type.simpleString());
    }
    if (value.isNullAt(1) || !value.getBoolean(1)) {
      throw Errors.config(
          "New feature '%s' of %s has the default %s, which is not a value of type %s: cast to %s it is %s. Give a "
              + "default that the type holds exactly. Nothing was changed.",
          f.name(), spec.label(), f.defaultSql(), type.simpleString(), type.simpleString(), value.getString(2));
    }
  }

  public FeatureGroupSpec spec() {
    return spec;
  }

  public String path() {
    return path;
  }

  public StructType schema() {
    return schema;
  }

  /** The table's latest Delta version. */
  public long deltaVersion() {
    return DeltaCommits.currentVersion(spark, path);
  }

  /**
   * Whether the table tracks its rows' commits (Delta's row tracking, on for groups Lakeline creates): then a view
   * takes the later commit's row of two with the same key and event time, else the one whose values sort first.
   */
  public boolean tracksRowCommits() {
    return CommitOrder.tracked(read());
  }

  /** The latest rows. */
  public Dataset<Row> read() {
    return spark.read().format("delta").load(path);
  }

  /**
   * Why the rows as of {@code deltaVersion} can no longer be read, or null when they can: the version left the Delta
   * log, or a VACUUM deleted some of its data files (Spark would fail only when the rows are read). Lists the group's
   * files once.
   */
  public String unreadable(long deltaVersion) {
    VersionFiles v = VersionFiles.of(spark, path, deltaVersion, dev.lakeline.core.storage.LakeFiles.of(spark).filesUnder(path));
    if (v.readable()) {
      return null;
    }
    return v.unreadable() != null
        ? v.unreadable()
        : String.format(java.util.Locale.ROOT, "%d of its %d data files were deleted (vacuumed)", v.missing(), v.files());
  }

  /**
   * How many of the rows as of Delta version {@code readVersion} were written by the commit {@code commitVersion} and not
   * changed since (Delta's row tracking: {@code _metadata.row_commit_version}); empty when that version's rows cannot
   * tell (the table did not track rows then, or some of its files were vacuumed). One Spark job.
   */
  public java.util.OptionalLong rowsOfCommit(long readVersion, long commitVersion) {
    if (unreadable(readVersion) != null) {
      return java.util.OptionalLong.empty();
    }
    Dataset<Row> rows = readVersion(readVersion);
    if (!CommitOrder.tracked(rows)) {
      return java.util.OptionalLong.empty();
    }
    return java.util.OptionalLong.of(rows.where(CommitOrder.of(rows).equalTo(commitVersion)).count());
  }

  /** The rows as of a Delta version (time travel). */
  public Dataset<Row> readVersion(long deltaVersion) {
    long latest = deltaVersion();
    if (deltaVersion < 0 || deltaVersion > latest) {
      throw Errors.notFound(
          "Feature group %s has no Delta version %d: its versions run from 0 to %d.", spec.label(), deltaVersion, latest);
    }
    return spark.read().format("delta").option("versionAsOf", deltaVersion).load(path);
  }

  /**
   * The rows as of a point in time ({@code 2024-06-30 12:00:00} or {@code 2024-06-30}, UTC): the latest commit at
   * or before it.
   */
  public Dataset<Row> readAsOf(String timestamp) {
    java.time.Instant instant = utcTime(timestamp);
    Timestamp at = Timestamp.from(instant);
    List<CommitInfo> history = history(Integer.MAX_VALUE);
    CommitInfo first = history.get(history.size() - 1);
    if (at.before(first.timestamp())) {
      throw Errors.notFound(
          "Feature group %s did not exist at %s UTC: its first commit is from %s UTC.", spec.label(),
          UTC_SECONDS.format(instant), first.committedUtc());
    }
    // an instant with its zone: Delta casts the option's string in the session's zone otherwise
    return spark.read().format("delta").option("timestampAsOf", instant.toString()).load(path);
  }

  private static final java.time.format.DateTimeFormatter UTC_SECONDS =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC);

  /** {@code YYYY-MM-DD[ HH:MM:SS[.f]]} ({@code T} may separate them) as a UTC time: neither the JVM's zone nor the session's. */
  static java.time.Instant utcTime(String timestamp) {
    try {
      // never through java.sql.Timestamp, which moves a time in the JVM zone's daylight-saving gap (02:30 on 2024-03-10
      // in New York) an hour on
      return dev.lakeline.core.UtcTimes.parse(timestamp);
    } catch (java.time.format.DateTimeParseException e) {
      throw Errors.config("'%s' is not a timestamp: use 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS[.mmm]' (UTC), as fg history prints it.", timestamp);
    }
  }

  /** The group's activity, newest first: every commit with its operation, row counts and Lakeline ids. */
  public List<CommitInfo> history(int limit) {
    List<CommitInfo> out = new ArrayList<>();
    for (Row r :
        DeltaTable.forPath(spark, path)
            .history(limit)
            .select("version", "timestamp", "operation", "operationMetrics", "userMetadata")
            .collectAsList()) {
      Map<String, String> metrics = r.isNullAt(3) ? Map.of() : r.getJavaMap(3);
      Map<String, String> meta = DeltaCommits.readMetadata(r.isNullAt(4) ? null : r.getString(4));
      String op = r.getString(2);
      long added = metric(metrics, "numTargetRowsInserted", "numOutputRows");
      long updated = metric(metrics, "numTargetRowsUpdated", "numUpdatedRows");
      long deleted = metric(metrics, "numTargetRowsDeleted", "numDeletedRows");
      out.add(
          new CommitInfo(
              r.getLong(0),
              r.getTimestamp(1),
              op,
              added,
              updated,
              deleted,
              meta.get("lakeline.batch"),
              meta.get("lakeline.run_id"),
              meta.get("lakeline.report_id")));
    }
    return out;
  }

  private static long metric(Map<String, String> metrics, String... names) {
    for (String n : names) {
      String v = metrics.get(n);
      if (v != null) {
        return Long.parseLong(v);
      }
    }
    return 0;
  }

  /** Replaces the group's rows with {@code batch}, through the gate. A rerun of the same batch is a no-op. */
  public InsertResult overwrite(Dataset<Row> batch, String batchId) {
    return insert(batch, InsertOptions.overwrite(batchId));
  }

  /**
   * Commits {@code batch} through the gate: the schema must match the group's, the key contract and the suite
   * run in one Deequ pass, a broken key contract rejects the batch whatever the policy, and the policy decides on
   * the suite (STRICT rejects, ALWAYS commits and records, QUARANTINE commits the passing rows and holds the others
   * back in the group's quarantine table, replacing the batch's earlier rows there), then one idempotent Delta commit
   * that records the batch, run and report ids. Every batch leaves a validation report.
   *
   * @throws dev.lakeline.core.LakelineException.DataRejected when the policy rejects the batch: nothing is written
   *     to the group (the report is)
   */
  public InsertResult insert(Dataset<Row> batch, InsertOptions options) {
    if (batch == null || options == null) {
      throw Errors.config("An insert into feature group %s needs %s, got null.", spec.label(),
          batch == null ? "the batch: a DataFrame (df._jdf from PySpark)" : "its options: InsertOptions.append(batchId) or upsert(batchId)");
    }
    requireNoQuarantineColumn(spec, Arrays.asList(schema.fieldNames()));
    // every attempt leaves its own report (a rejected try and the rerun that succeeds are both evidence)
    String reportId = newReportId(options);
    Map<String, String> metadata = new java.util.LinkedHashMap<>();
    metadata.put("report_id", reportId);
    if (options.runId() != null) {
      metadata.put("run_id", options.runId());
    }
    // the report's append starts now: its look at the reports table (a few small jobs) overlaps the batch's work
    try (PendingReport pending = ValidationReports.open(spark, layout).open(reportId);
        Staging staging = Staging.of(align(batch))) {
      if (options.mode() == WriteMode.APPEND) {
        Optional<InsertResult> inPass = insertInWritePass(staging, options, reportId, metadata, pending);
        if (inPass.isPresent()) {
          return inPass.get();
        }
      }
      try (GateResult gate = Gate.evaluate(staging.rows(), keyContract(), spec.suite(), spec.policy())) {
        // the validation built the cache: the write's files follow the batch's size, not the shuffle partitions
        return record(gate, options, reportId, metadata, pending, null, accepted -> DeltaCommits.commit(
            spark, request(staging.forWrite(accepted), options, metadata), gate.acceptedFingerprint(), addedFeatureValues()));
      }
    }
  }

  /**
   * Runs the gate on {@code batch} as {@link #insert} would, without committing anything: the schema, the key
   * contract and the suite under the group's policy. A rejected batch leaves its report and throws as {@link
   * #insert} does; an accepted one (whole, or with rows the QUARANTINE policy would hold back) returns. For a
   * caller that commits several batches all or none ({@link FeatureStore#check}).
   *
   * @throws dev.lakeline.core.LakelineException.DataRejected when the policy rejects the batch
   */
  void check(Dataset<Row> batch, InsertOptions options) {
    requireNoQuarantineColumn(spec, Arrays.asList(schema.fieldNames()));
    String reportId = newReportId(options);
    try (Staging staging = Staging.of(align(batch));
        GateResult gate = Gate.evaluate(staging.rows(), keyContract(), spec.suite(), spec.policy())) {
      if (gate.decision() == Decision.REJECTED) {
        ValidationReport report = report(gate, options, reportId);
        ValidationReports.open(spark, layout).append(report);
        throw rejection(gate, options, report);
      }
    }
  }

  private String newReportId(InsertOptions options) {
    return ValidationReport.idFor(spec.name(), spec.version(), options.batchId(), options.runId()) + "-"
        + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  private ValidationReport report(GateResult gate, InsertOptions options, String reportId) {
    return new ValidationReport(
        reportId, spec.name(), spec.version(), options.runId(), options.batchId(), gate.policy(), gate.decision(),
        null, options.logicalDate(), gate.validation());
  }

  private dev.lakeline.core.LakelineException.DataRejected rejection(GateResult gate, InsertOptions options, ValidationReport report) {
    return Errors.rejected(
        "Batch %s for feature group %s was rejected (policy %s). Nothing was written; report %s.%n%s%n"
            + "Fix the data (or the suite) and rerun the job.",
        options.batchId(), spec.label(), gate.policy(), report.reportId(), gate.message());
  }

  /**
   * The fast path of an append: the suite is measured inside the Delta write's own pass ({@link WriteGate}),
   * the files stay uncommitted until the gate decides, and a rejected batch's files are deleted. Empty when the
   * suite, the policy or the table do not allow it (see {@link WriteGate} and {@link StagedAppend}), or when the
   * write job failed or delivered no observation: then nothing was committed and the batch takes the separate
   * validation pass.
   */
  private Optional<InsertResult> insertInWritePass(
      Staging staging, InsertOptions options, String reportId, Map<String, String> metadata, PendingReport pending) {
    Optional<WriteGate> prepared = WriteGate.prepare(staging.rows(), keyContract(), spec.suite(), spec.policy());
    if (prepared.isEmpty()) {
      return Optional.empty();
    }
    try (WriteGate writeGate = prepared.get()) {
      Optional<StagedAppend> staged;
      try {
        staged = StagedAppend.write(spark, request(writeGate.rows(), options, metadata));
      } catch (RuntimeException e) {
        dev.lakeline.core.LakelineException.DataRejected unreadable = UnreadableFiles.rejection(e);
        if (unreadable != null) {
          throw unreadable; // an input file that cannot be read: no expectation can tell more about it
        }
        // a runtime error in a condition (ANSI casts, say) fails the write; the separate pass reports it per expectation
        return Optional.empty();
      }
      if (staged.isEmpty()) {
        return Optional.empty();
      }
      Optional<GateResult> decided = writeGate.decide();
      if (decided.isEmpty()) {
        staged.get().abort();
        return Optional.empty();
      }
      try (GateResult gate = decided.get()) {
        return Optional.of(record(gate, options, reportId, metadata, pending, staged.get().nextVersion(), accepted -> {
          // the staged files hold exactly the batch: a replay computes their fingerprint when it needs one
          return staged.get().commit(ContentFingerprint.deferred(gate.acceptedCount()));
        }));
      } finally {
        if (decided.get().decision() == Decision.REJECTED) {
          staged.get().abort();
        }
      }
    }
  }

  private CommitRequest request(Dataset<Row> rows, InsertOptions options, Map<String, String> metadata) {
    return new CommitRequest(
        path, rows, options.mode(), options.replaceWhere(), options.batchId(), spec.partitionColumns(), mergeKeys(), metadata);
  }

  /**
   * Records the gate's decision: a rejected batch leaves its report and fails; otherwise {@code commit} writes
   * the accepted rows (when there are any, or when nothing was quarantined), the quarantined rows replace the
   * batch's slice of the quarantine table, and the report records the version committed, through {@code pending}
   * (opened when the insert began). When the version the commit will produce is known ({@code expectedVersion},
   * else null), the report's row is written while the batch commits and committed after it if the commit did
   * produce that version (otherwise it is dropped and the report appended anew).
   */
  private InsertResult record(
      GateResult gate, InsertOptions options, String reportId, Map<String, String> metadata, PendingReport pending,
      Long expectedVersion, java.util.function.Function<Dataset<Row>, CommitResult> commit) {
    ValidationReports reports = ValidationReports.open(spark, layout);
    ValidationReport report = report(gate, options, reportId);
    boolean early = expectedVersion != null && gate.decision() != Decision.REJECTED && gate.quarantinedCount() == 0;
    if (early) {
      pending.write(report.withDeltaVersion(expectedVersion));
    }
    if (gate.decision() == Decision.REJECTED) {
      pending.write(report).commit();
      throw rejection(gate, options, report);
    }
    CommitResult committed = null;
    if (gate.acceptedCount() > 0 || gate.quarantinedCount() == 0) {
      committed = commit.apply(gate.accepted()); // on a failure, the caller's close drops the pending report
    }
    // the batch's slice of the quarantine holds its latest committed verdict: a rerun replaces it, never
    // duplicates it, and a rerun that holds nothing back empties it
    if (gate.quarantinedCount() > 0) {
      Dataset<Row> held =
          gate.quarantined()
              .withColumn(BATCH_ID, functions.lit(options.batchId()))
              .withColumn(REPORT_ID, functions.lit(report.reportId()))
              .withColumn(RUN_ID, functions.lit(options.runId()).cast("string"));
      ensureQuarantineTable(held.schema());
      String slice = "batch_id = '" + options.batchId().replace("\\", "\\\\").replace("'", "\\'") + "'";
      DeltaCommits.commit(
          spark, CommitRequest.replaceWhere(quarantinePath(), held, slice, "quarantine:" + options.batchId()).withMetadata(metadata));
    } else if (gate.policy() == dev.lakeline.validation.IngestionPolicy.QUARANTINE && DeltaCommits.exists(spark, quarantinePath())) {
      DeltaTable.forPath(spark, quarantinePath()).delete(functions.col(BATCH_ID).equalTo(options.batchId()));
    }
    Long version = committed == null ? null : committed.version();
    if (early && expectedVersion.equals(version) && !committed.skipped()) {
      pending.commit();
    } else if (early) {
      pending.abort();
      reports.append(report.withDeltaVersion(version));
    } else {
      pending.write(report.withDeltaVersion(version)).commit();
    }
    return new InsertResult(
        spec.label(),
        version == null ? -1 : version,
        committed == null ? 0 : committed.rows(),
        committed != null && committed.skipped(),
        gate.validation(),
        gate.decision(),
        report.reportId(),
        gate.quarantinedCount());
  }

  /** Where the group's gate holds back failing rows (QUARANTINE policy), with their reasons and batch ids. */
  public String quarantinePath() {
    return layout.quarantine(spec.name(), spec.version());
  }

  /**
   * Creates the quarantine table up front when the group's column names need Delta's column mapping, and adds
   * to an existing one the features added to the group since it was created ({@link #addFeatures}): its older
   * rows have them null.
   */
  private void ensureQuarantineTable(StructType heldSchema) {
    boolean exists = DeltaCommits.exists(spark, quarantinePath());
    if (FeatureStore.needsColumnMapping(heldSchema) && !exists) {
      FeatureStore.withColumnMappingIfNeeded(
              DeltaTable.createIfNotExists(spark).location(quarantinePath()).addColumns(heldSchema), heldSchema)
          .execute();
    } else if (exists) {
      List<String> has = Arrays.asList(DeltaTable.forPath(spark, quarantinePath()).toDF().schema().fieldNames());
      List<String> add = new ArrayList<>();
      for (StructField f : heldSchema.fields()) {
        if (!has.contains(f.name())) {
          add.add(SqlColumns.quoted(f.name()) + " " + f.dataType().sql());
        }
      }
      if (!add.isEmpty()) {
        spark.sql("ALTER TABLE " + DeltaCommits.sqlName(quarantinePath()) + " ADD COLUMNS (" + String.join(", ", add) + ")");
      }
    }
  }

  /** The columns the quarantine table adds to every held-back row, besides the gate's {@code failed_expectations}. */
  static final String BATCH_ID = "batch_id";
  static final String REPORT_ID = "report_id";
  static final String RUN_ID = "run_id";

  /**
   * A QUARANTINE group's columns may not share a name with those its quarantine table adds (they would be
   * overwritten there): a configuration error naming the column.
   */
  static void requireNoQuarantineColumn(FeatureGroupSpec spec, List<String> columns) {
    if (spec.policy() != dev.lakeline.validation.IngestionPolicy.QUARANTINE) {
      return;
    }
    for (String reserved : List.of(BATCH_ID, REPORT_ID, RUN_ID, GateResult.FAILED_EXPECTATIONS)) {
      if (columns.contains(reserved)) {
        throw Errors.config(
            "Feature group %s has policy QUARANTINE and a column named '%s', which its quarantine table adds to every "
                + "held-back row (with %s, %s, %s and %s). Rename the column, or use policy STRICT or ALWAYS.",
            spec.label(), reserved, GateResult.FAILED_EXPECTATIONS, BATCH_ID, REPORT_ID, RUN_ID);
      }
    }
  }

  /** The quarantined rows (empty when nothing was ever held back). */
  public Dataset<Row> quarantined() {
    if (!DeltaCommits.exists(spark, quarantinePath())) {
      return spark.emptyDataFrame();
    }
    return spark.read().format("delta").load(quarantinePath());
  }

  /** The validation reports of this group, newest first. */
  public List<ValidationReport> validationHistory(int limit) {
    return ValidationReports.open(spark, layout).history(spec.name(), limit).stream()
        .filter(r -> r.featureGroupVersion() == spec.version())
        .toList();
  }

  /** Primary key plus event time: what identifies a row for upserts. */
  List<String> mergeKeys() {
    List<String> keys = new ArrayList<>(spec.primaryKey());
    if (spec.eventTime() != null) {
      keys.add(spec.eventTime());
    }
    return keys;
  }

  /**
   * The key contract: key columns (and the event time) never null, key + event time unique. The gate checks it in
   * the suite's run, and a batch that breaks it is rejected whatever the policy.
   */
  List<Expectation> keyContract() {
    return Expectation.primaryKey(mergeKeys());
  }

  /** The batch with the group's columns in the group's order; a different schema is rejected. */
  private Dataset<Row> align(Dataset<Row> batch) {
    List<String> have = Arrays.asList(batch.columns());
    List<String> missing = new ArrayList<>();
    List<String> wrongType = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (!have.contains(f.name()) && featureDefaults.containsKey(f.name())) {
        batch = batch.withColumn(f.name(), org.apache.spark.sql.functions.expr(featureDefaults.get(f.name())).cast(f.dataType()));
      } else if (!have.contains(f.name())) {
        missing.add(f.name());
      } else if (!batch.schema().apply(f.name()).dataType().sameType(f.dataType())) {
        wrongType.add(
            f.name() + " is " + batch.schema().apply(f.name()).dataType().simpleString() + ", expected "
                + f.dataType().simpleString());
      }
    }
    List<String> extra = new ArrayList<>(have);
    extra.removeAll(Arrays.asList(schema.fieldNames()));
    if (!missing.isEmpty() || !wrongType.isEmpty() || !extra.isEmpty()) {
      List<String> parts = new ArrayList<>();
      if (!missing.isEmpty()) {
        parts.add("missing columns " + missing);
      }
      if (!extra.isEmpty()) {
        parts.add("unexpected columns " + extra);
      }
      if (!wrongType.isEmpty()) {
        parts.add("wrong types " + wrongType);
      }
      throw Errors.rejected(
          "The batch does not match the schema of feature group %s: %s. Nothing was written. Give the batch the group's "
              + "columns and types (change the pipeline's output, or for 'lakeline fg insert' the input file's columns), "
              + "or create a new version of the group.",
          spec.label(), String.join(", ", parts));
    }
    return batch.selectExpr(
        Arrays.stream(schema.fieldNames()).map(SqlColumns::quoted).toArray(String[]::new));
  }
}
