package dev.lakeline.featurestore;

import dev.lakeline.core.Errors;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.Spelling;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.storage.LakeFiles;
import dev.lakeline.core.storage.StorageLayout;
import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The entry point to feature groups and feature views under one lakehouse root. Definitions live with the data
 * (a group's in its Delta table's properties, a view's in a JSON file), so a new JVM sees the same store.
 */
public final class FeatureStore {
  static final String SPEC_PROPERTY = "lakeline.feature_group.spec";

  /**
   * Delta's row tracking, on for every feature group: each row's commit version ({@code _metadata.row_commit_version})
   * lets a view take the later commit's row of two with the same key and event time ({@link CommitOrder}).
   */
  static final String ROW_TRACKING = "delta.enableRowTracking";
  static final String DEFAULTS_PROPERTY = "lakeline.feature_group.defaults";

  /**
   * How long a new feature group keeps its history by default: Delta's own defaults (30 days of log, 7 days of
   * removed files) would let a training dataset stop being recreatable a month after it was made.
   */
  public static final int DEFAULT_HISTORY_RETENTION_DAYS = 365;

  private final SparkSession spark;
  private final StorageLayout layout;
  private final int historyRetentionDays;

  private FeatureStore(SparkSession spark, StorageLayout layout, int historyRetentionDays) {
    this.spark = spark;
    this.layout = layout;
    this.historyRetentionDays = historyRetentionDays;
  }

  public static FeatureStore open(SparkSession spark, StorageLayout layout) {
    return new FeatureStore(spark, layout, DEFAULT_HISTORY_RETENTION_DAYS);
  }

  /**
   * This store with another history retention for the feature groups it creates: the days their Delta log and
   * their removed data files are kept ({@code delta.logRetentionDuration}, {@code
   * delta.deletedFileRetentionDuration}), which bounds how far back time travel, and so recreating a training
   * dataset, works. See {@link Maintenance}.
   */
  public FeatureStore withHistoryRetention(int days) {
    if (days < 1) {
      throw Errors.config("The history retention of feature groups must be at least 1 day; got %d.", days);
    }
    return new FeatureStore(spark, layout, days);
  }

  /** The days of history the feature groups this store creates keep. */
  public int historyRetentionDays() {
    return historyRetentionDays;
  }

  /** The Delta table properties that keep {@code days} of a table's history: its log and its removed files. */
  static Map<String, String> retentionProperties(int days) {
    String interval = "interval " + days + " days";
    return Map.of(LOG_RETENTION, interval, FILE_RETENTION, interval);
  }

  static final String LOG_RETENTION = "delta.logRetentionDuration";
  static final String FILE_RETENTION = "delta.deletedFileRetentionDuration";

  public StorageLayout layout() {
    return layout;
  }

  SparkSession spark() {
    return spark;
  }

  /**
   * Creates the feature group, or returns it when it exists with the same definition and schema. A different
   * definition under the same name and version is a conflict: create a new version instead.
   */
  public FeatureGroup createFeatureGroup(FeatureGroupSpec spec, StructType schema) {
    checkDefinition(spec, schema);
    String path = layout.featureGroup(spec.name(), spec.version());
    dev.lakeline.validation.ValidationReports.open(spark, layout).ensureTable(); // where every batch's report goes
    if (!DeltaCommits.exists(spark, path)) {
      requireEventTimeType(spec, schema);
      DeltaTableBuilder builder = withColumnMappingIfNeeded(
          DeltaTable.createIfNotExists(spark).location(path).addColumns(nullable(schema)).property(SPEC_PROPERTY, Json.write(spec))
              .property(ROW_TRACKING, "true"),
          schema);
      for (Map.Entry<String, String> p : new java.util.TreeMap<>(retentionProperties(historyRetentionDays)).entrySet()) {
        builder = builder.property(p.getKey(), p.getValue());
      }
      if (!spec.partitionColumns().isEmpty()) {
        builder = builder.partitionedBy(spec.partitionColumns().toArray(String[]::new));
      }
      builder.execute();
    }
    return sameDefinition(getFeatureGroup(spec.name(), spec.version()), spec, schema);
  }

  /**
   * Runs the gate of the group {@code spec} defines on {@code batch} without committing or creating anything:
   * what {@link #createFeatureGroup} with the batch's schema and then {@link FeatureGroup#insert} would decide
   * (a definition that conflicts with the existing group's, a schema that does not match it, a broken key
   * contract, a suite the policy rejects). A rejected batch leaves its validation report. Returns normally when
   * the insert would commit (all the rows, or those the QUARANTINE policy would not hold back). For a caller that
   * writes several groups all or none: check every batch, then create and insert them.
   *
   * @throws dev.lakeline.core.LakelineException.DataRejected when the gate would reject the batch
   * @throws dev.lakeline.core.LakelineException.Conflict when the group exists with another definition
   */
  public void check(FeatureGroupSpec spec, Dataset<Row> batch, InsertOptions options) {
    StructType schema = batch.schema();
    checkDefinition(spec, schema);
    String path = layout.featureGroup(spec.name(), spec.version());
    boolean exists = DeltaCommits.exists(spark, path);
    if (!exists) {
      requireEventTimeType(spec, schema);
    }
    FeatureGroup group = exists
        ? sameDefinition(getFeatureGroup(spec.name(), spec.version()), spec, schema)
        : new FeatureGroup(spark, layout, spec, path, nullable(schema), Map.of());
    group.check(batch, options);
  }

  /** What a definition must satisfy before a group is created: its columns exist, its suite fits the schema. */
  private void checkDefinition(FeatureGroupSpec spec, StructType schema) {
    for (String c : spec.primaryKey()) {
      requireColumn(spec, schema, c, "primary key");
    }
    if (spec.eventTime() != null) {
      requireColumn(spec, schema, spec.eventTime(), "event time");
    }
    spec.partitionColumns().forEach(c -> requireColumn(spec, schema, c, "partition"));
    FeatureGroup.requireNoQuarantineColumn(spec, java.util.Arrays.asList(schema.fieldNames()));
    // a suite that does not fit the schema fails here, before anything is created, not at the first batch
    dev.lakeline.validation.Validator.check(spark, schema, spec.suite());
  }

  /** {@code existing}, when it has the definition {@code spec} and the schema {@code schema}; else a conflict. */
  private static FeatureGroup sameDefinition(FeatureGroup existing, FeatureGroupSpec spec, StructType schema) {
    // Compare as stored: JSON reads suite kwargs back as Integer/Double, so 300L or 0.5f in code must not differ.
    FeatureGroupSpec requested = Json.read(Json.write(spec), FeatureGroupSpec.class, "the definition of " + spec.label());
    // Features added later with defaults (FeatureGroup#addFeatures) do not break pipelines that predate them.
    boolean sameSchema = sameColumns(existing.schema(), schema) || withAddedFeatures(existing, schema);
    if (existing.spec().equals(requested) && !sameSchema) {
      List<StructField> added = newColumnsOnly(existing, schema);
      if (!added.isEmpty()) {
        throw newFeaturesConflict(spec, added);
      }
    }
    if (!existing.spec().equals(requested) || !sameSchema) {
      List<String> changes = differences(existing.spec(), requested);
      if (!sameSchema) {
        changes.addAll(differences(existing.schema(), schema));
      }
      StringBuilder listed = new StringBuilder();
      changes.forEach(c -> listed.append(String.format("%n  - %s", c)));
      throw Errors.conflict(
          "Feature group %s already exists with a different definition; what differs (existing → requested):%s%n"
              + "Definitions are immutable: create version %d instead.",
          spec.label(), listed, spec.version() + 1);
    }
    return existing;
  }

  /**
   * Whether {@code requested} is the group's schema as created, in its order, with any of the features added since
   * ({@link FeatureGroup#addFeatures}) anywhere among them: a batch gets the added features it lacks by default.
   */
  private static boolean withAddedFeatures(FeatureGroup existing, StructType requested) {
    java.util.Set<String> added = existing.featureDefaults().keySet();
    List<String> names = java.util.Arrays.asList(existing.schema().fieldNames());
    StructType kept = new StructType();
    for (StructField f : requested.fields()) {
      if (!added.contains(f.name())) {
        kept = kept.add(f);
      } else if (!names.contains(f.name()) || !existing.schema().apply(f.name()).dataType().sameType(f.dataType())) {
        return false;
      }
    }
    return sameColumns(existing.schemaWithout(added), kept);
  }

  /**
   * The columns of {@code requested} the group lacks, when they are all that differs: without them, {@code
   * requested} is a schema the group accepts. Else empty.
   */
  private static List<StructField> newColumnsOnly(FeatureGroup existing, StructType requested) {
    List<String> names = java.util.Arrays.asList(existing.schema().fieldNames());
    List<StructField> added = new ArrayList<>();
    StructType kept = new StructType();
    for (StructField f : requested.fields()) {
      if (names.stream().anyMatch(n -> n.equalsIgnoreCase(f.name()))) {
        kept = kept.add(f);
      } else {
        added.add(f);
      }
    }
    boolean accepted = sameColumns(existing.schema(), kept) || withAddedFeatures(existing, kept);
    return accepted ? added : List.of();
  }

  /**
   * A requested definition that adds columns to an existing version: adding features is explicit (never a side
   * effect of a pipeline's output changing), so the conflict says how.
   */
  private static RuntimeException newFeaturesConflict(FeatureGroupSpec spec, List<StructField> added) {
    StringBuilder listed = new StringBuilder();
    StringBuilder command = new StringBuilder("lakeline fg add-features " + shellWord(spec.name()) + " --version " + spec.version());
    for (StructField f : added) {
      listed.append(String.format("%n  - column '%s' added (%s)", f.name(), f.dataType().simpleString()));
      command.append(" --feature ").append(shellWord(f.name() + ":" + f.dataType().simpleString()));
    }
    return Errors.conflict(
        "Feature group %s already exists, and the requested schema differs from it only by new columns:%s%n"
            + "Adding features to a version is explicit: add them once, then rerun. Their existing rows get NULL, or "
            + "a default given as NAME:TYPE=DEFAULT (a SQL literal: 0, 'unknown'):%n  %s%n"
            + "(in Java: FeatureGroup.addFeatures). Or create version %d for them instead.",
        spec.label(), listed, command, spec.version() + 1);
  }

  /** {@code word} as one shell argument: as it is when it is plain, else single-quoted. */
  private static String shellWord(String word) {
    return word.matches("[A-Za-z0-9_.,:=()/+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
  }

  /** The feature group {@code name} at {@code version}; not found if it was never created. */
  public FeatureGroup getFeatureGroup(String name, int version) {
    String path = layout.featureGroup(name, version);
    if (!DeltaCommits.exists(spark, path)) {
      throw noSuchGroup(name, version);
    }
    Map<String, String> properties = DeltaCommits.properties(spark, path);
    String json = properties.get(SPEC_PROPERTY);
    if (json == null) {
      throw Errors.notFound("%s is a Delta table but not a Lakeline feature group (no %s property).", path, SPEC_PROPERTY);
    }
    FeatureGroupSpec spec = Json.read(json, FeatureGroupSpec.class, "the definition of " + path);
    StructType schema = spark.read().format("delta").load(path).schema();
    Map<String, String> defaults = DeltaCommits.readMetadata(properties.get(DEFAULTS_PROPERTY));
    return new FeatureGroup(spark, layout, spec, path, schema, defaults);
  }

  /**
   * Creates the next version of a group for a breaking change (a type change, a dropped or renamed column, a
   * new key) and backfills it: {@code migrate} turns the old version's latest rows into the new schema, and the
   * result goes through the new version's gate like any batch. Rerunning it is a no-op.
   */
  public FeatureGroup createNextVersion(
      FeatureGroup from, FeatureGroupSpec next, StructType schema, java.util.function.UnaryOperator<org.apache.spark.sql.Dataset<Row>> migrate) {
    if (!next.name().equals(from.spec().name()) || next.version() <= from.spec().version()) {
      throw Errors.config(
          "The next version of %s must keep its name and have a higher version (got %s).", from.spec().label(), next.label());
    }
    long source = from.deltaVersion();
    FeatureGroup created = createFeatureGroup(next, schema);
    created.insert(
        migrate.apply(from.readVersion(source)),
        InsertOptions.overwrite("backfill:" + from.spec().label() + "@" + source + "->v" + next.version()));
    return created;
  }

  /**
   * Creates the feature view, or returns it when it exists with the same definition. Every group and column it
   * names must exist, and every joined group must have an event time.
   */
  public FeatureView createFeatureView(FeatureViewSpec spec) {
    FeatureView view = new FeatureView(this, spec);
    view.check();
    String path = layout.featureView(spec.name(), spec.version());
    LakeFiles files = LakeFiles.of(spark);
    if (!files.exists(path)) {
      try {
        files.createExclusive(path, Json.write(spec));
      } catch (dev.lakeline.core.LakelineException.Conflict raced) {
        // another writer created it first; compare below
      }
    }
    FeatureView existing = getFeatureView(spec.name(), spec.version());
    if (!existing.spec().equals(spec)) {
      throw Errors.conflict(
          "Feature view %s v%d already exists with a different definition. Views are immutable: create version %d.",
          spec.name(), spec.version(), spec.version() + 1);
    }
    return existing;
  }

  /**
   * Training dataset {@code td<number>} of feature view {@code view} at {@code version}.
   *
   * @throws dev.lakeline.core.LakelineException.NotFound when it does not exist or was not completely written
   */
  public TrainingDataset getTrainingDataset(String view, int version, int number) {
    TrainingDataset td = TrainingDataset.open(spark, layout, view, version, number);
    if (td == null) {
      throw Errors.notFound(
          "Training dataset %s v%d td%d does not exist (no manifest in %s).",
          view, version, number, layout.trainingDataset(view, version, number));
    }
    return td;
  }

  /**
   * The rows of training dataset {@code td<number>} of view {@code view} at {@code version}, rebuilt from its
   * manifest by reading the same Delta versions; see {@link FeatureView#recreateTrainingDataset}.
   */
  public Dataset<Row> recreateTrainingDataset(String view, int version, int number) {
    return getFeatureView(view, version).recreateTrainingDataset(getTrainingDataset(view, version, number).manifest());
  }

  /**
   * Not found, with what there is: the versions the group has, or the name of the group that {@code name} likely
   * misspells, or how to make one.
   */
  private LakelineException.NotFound noSuchGroup(String name, int version) {
    LakeFiles files = LakeFiles.of(spark);
    List<Integer> versions = versions(files.list(layout.featureGroups() + "/" + name), "").stream()
        .filter(v -> DeltaCommits.exists(spark, layout.featureGroup(name, v)))
        .toList();
    if (!versions.isEmpty()) {
      return Errors.notFound("Feature group %s v%d does not exist under %s; it has version%s %s. Use one of those, or "
              + "create v%d from a definition file (lakeline fg create --file <file>).",
          name, version, layout.root(), versions.size() == 1 ? "" : "s",
          versions.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")), version);
    }
    String close = Spelling.closest(name, sorted(files.list(layout.featureGroups())));
    return Errors.notFound("Feature group %s v%d does not exist under %s.%s Create it from a definition file (lakeline "
            + "fg create --file <file>) or run the feature pipeline that writes it (lakeline features --date <day>); "
            + "lakeline fg list shows the groups there.",
        name, version, layout.root(), close == null ? "" : " Did you mean '" + close + "'?");
  }

  /** Every feature group of the lakehouse, by name, then version. */
  public List<FeatureGroup> listFeatureGroups() {
    LakeFiles files = LakeFiles.of(spark);
    List<FeatureGroup> out = new ArrayList<>();
    for (String name : sorted(files.list(layout.featureGroups()))) {
      for (int version : versions(files.list(layout.featureGroups() + "/" + name), "")) {
        if (DeltaCommits.exists(spark, layout.featureGroup(name, version))) {
          out.add(getFeatureGroup(name, version));
        }
      }
    }
    return out;
  }

  /** Every feature view of the lakehouse, by name, then version. */
  public List<FeatureView> listFeatureViews() {
    LakeFiles files = LakeFiles.of(spark);
    List<FeatureView> out = new ArrayList<>();
    for (String name : sorted(files.list(layout.featureViews()))) {
      for (int version : versions(files.list(layout.featureViews() + "/" + name), ".json")) {
        out.add(getFeatureView(name, version));
      }
    }
    return out;
  }

  /**
   * The training datasets of view {@code view} at {@code version}, by number (those completely written: with a
   * manifest).
   *
   * @throws dev.lakeline.core.LakelineException.NotFound when the view does not exist
   */
  public List<TrainingDataset> listTrainingDatasets(String view, int version) {
    getFeatureView(view, version);
    List<TrainingDataset> out = new ArrayList<>();
    for (String entry : LakeFiles.of(spark).list(layout.trainingDatasets(view, version))) {
      if (entry.matches("td[0-9]{1,9}")) {
        TrainingDataset td = TrainingDataset.open(spark, layout, view, version, Integer.parseInt(entry.substring(2)));
        if (td != null) {
          out.add(td);
        }
      }
    }
    out.sort(java.util.Comparator.comparingInt(td -> td.manifest().number()));
    return out;
  }

  /** Entry names, sorted, without hidden ones ({@code .x}, {@code _x}: checksums, temporary files). */
  private static List<String> sorted(List<String> entries) {
    return entries.stream().filter(e -> !e.startsWith(".") && !e.startsWith("_")).sorted().toList();
  }

  /** The versions named by {@code v<N><suffix>} entries, ascending. */
  private static List<Integer> versions(List<String> entries, String suffix) {
    return entries.stream()
        .filter(e -> e.matches("v[0-9]{1,9}" + java.util.regex.Pattern.quote(suffix)))
        .map(e -> Integer.parseInt(e.substring(1, e.length() - suffix.length())))
        .filter(v -> v > 0)
        .sorted()
        .toList();
  }

  /** The feature view {@code name} at {@code version}. */
  public FeatureView getFeatureView(String name, int version) {
    String path = layout.featureView(name, version);
    LakeFiles files = LakeFiles.of(spark);
    if (!files.exists(path)) {
      throw Errors.notFound("Feature view %s v%d does not exist (%s). Create it first.", name, version, path);
    }
    return new FeatureView(this, Json.read(files.read(path), FeatureViewSpec.class, path));
  }

  /**
   * A new group's event time is a TIMESTAMP or a DATE: what point-in-time joins compare (as instants, a DATE at its
   * midnight UTC) and what {@code --as-of} reads by. Groups created before the rule keep their definition.
   */
  /** A type an event time can have: TIMESTAMP or DATE, what point-in-time joins compare. */
  static boolean isEventTimeType(DataType t) {
    return t instanceof org.apache.spark.sql.types.TimestampType || t instanceof org.apache.spark.sql.types.DateType;
  }

  private static void requireEventTimeType(FeatureGroupSpec spec, StructType schema) {
    if (spec.eventTime() == null) {
      return;
    }
    DataType t = schema.apply(spec.eventTime()).dataType();
    if (!isEventTimeType(t)) {
      throw Errors.config(
          "Feature group %s: the event time column '%s' is %s; an event time must be a TIMESTAMP or a DATE, which is what "
              + "point-in-time joins compare. Cast it where the rows are made (epoch seconds: timestamp_seconds(%s); "
              + "TIMESTAMP_NTZ: cast(%s AS TIMESTAMP), read as UTC), or leave event_time out for a group whose rows do "
              + "not change over time.",
          spec.label(), spec.eventTime(), t.simpleString(), spec.eventTime(), spec.eventTime());
    }
  }

  private static void requireColumn(FeatureGroupSpec spec, StructType schema, String column, String role) {
    if (!java.util.Arrays.asList(schema.fieldNames()).contains(column)) {
      throw Errors.config(
          "Feature group %s: the %s column '%s' is not in the schema %s.", spec.label(), role, column, schema.simpleString());
    }
  }

  /**
   * Every column nullable: whether a value may be missing is the suite's to say ({@code
   * expect_column_values_to_not_be_null}, checked by the gate with a report), not a Delta constraint that fails
   * the write after the gate has passed. The primary key is never null anyway: the gate enforces it.
   */
  private static StructType nullable(StructType schema) {
    StructType out = new StructType();
    for (StructField f : schema.fields()) {
      out = out.add(f.name(), f.dataType(), true, f.metadata());
    }
    return out;
  }

  /**
   * The builder with Delta's column mapping switched on when a column name has characters Parquet cannot hold:
   * the names are then kept as table metadata.
   */
  static DeltaTableBuilder withColumnMappingIfNeeded(DeltaTableBuilder builder, StructType schema) {
    if (!needsColumnMapping(schema)) {
      return builder;
    }
    return builder
        .property("delta.columnMapping.mode", "name")
        .property("delta.minReaderVersion", "2")
        .property("delta.minWriterVersion", "5");
  }

  /** Whether a column name has characters Parquet cannot store (Delta then needs column mapping). */
  static boolean needsColumnMapping(StructType schema) {
    for (StructField f : schema.fields()) {
      if (f.name().chars().anyMatch(ch -> " ,;{}()\n\t=".indexOf(ch) >= 0)) {
        return true;
      }
    }
    return false;
  }

  /** What differs between two definitions of a group, one line each (in the words of a definition file). */
  private static List<String> differences(FeatureGroupSpec was, FeatureGroupSpec now) {
    List<String> out = new ArrayList<>();
    if (!was.primaryKey().equals(now.primaryKey())) {
      out.add("primary_key: " + was.primaryKey() + " → " + now.primaryKey());
    }
    if (!java.util.Objects.equals(was.eventTime(), now.eventTime())) {
      out.add("event_time: " + was.eventTime() + " → " + now.eventTime());
    }
    if (!was.partitionColumns().equals(now.partitionColumns())) {
      out.add("partition_columns: " + was.partitionColumns() + " → " + now.partitionColumns());
    }
    if (!java.util.Objects.equals(was.description(), now.description())) {
      out.add("description: '" + was.description() + "' → '" + now.description() + "'");
    }
    if (!java.util.Objects.equals(was.suite(), now.suite())) {
      List<dev.lakeline.validation.Expectation> a = was.suite() == null ? List.of() : was.suite().expectations();
      List<dev.lakeline.validation.Expectation> b = now.suite() == null ? List.of() : now.suite().expectations();
      List<String> suite = new ArrayList<>();
      a.stream().filter(e -> !b.contains(e)).forEach(e -> suite.add("removed " + e.type() + " " + e.kwargs()));
      b.stream().filter(e -> !a.contains(e)).forEach(e -> suite.add("added " + e.type() + " " + e.kwargs()));
      out.add("suite: " + (suite.isEmpty() ? "its name, policy or order" : String.join("; ", suite)));
    }
    return out;
  }

  /** The columns added, removed, retyped or moved between two schemas, one line each. */
  private static List<String> differences(StructType was, StructType now) {
    List<String> out = new ArrayList<>();
    List<String> wasNames = java.util.Arrays.asList(was.fieldNames());
    List<String> nowNames = java.util.Arrays.asList(now.fieldNames());
    for (StructField f : now.fields()) {
      if (!wasNames.contains(f.name())) {
        out.add("column '" + f.name() + "' added (" + f.dataType().simpleString() + ")");
      } else if (!was.apply(f.name()).dataType().sameType(f.dataType())) {
        out.add("column '" + f.name() + "': " + was.apply(f.name()).dataType().simpleString() + " → " + f.dataType().simpleString());
      }
    }
    for (String n : wasNames) {
      if (!nowNames.contains(n)) {
        out.add("column '" + n + "' removed");
      }
    }
    if (out.isEmpty()) {
      out.add("column order: " + wasNames + " → " + nowNames);
    }
    return out;
  }

  private static boolean sameColumns(StructType a, StructType b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.fields()[i].name().equals(b.fields()[i].name()) || !a.fields()[i].dataType().sameType(b.fields()[i].dataType())) {
        return false;
      }
    }
    return true;
  }
}
