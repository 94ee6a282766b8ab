package dev.lakeline.featurestore;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import dev.lakeline.core.Errors;
import dev.lakeline.core.spark.SqlColumns;
import dev.lakeline.pitjoin.FeatureJoin;
import dev.lakeline.pitjoin.PitJoinSpec;
import dev.lakeline.pitjoin.PointInTimeJoin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * A feature view: reads its groups at pinned Delta versions and joins them point-in-time. It serves training
 * data ({@link #createTrainingDataset}) and batch-inference data ({@link #batchData}) through the same code, so
 * both see identical feature values.
 */
public final class FeatureView {
  /** The split column of training datasets. */
  public static final String SPLIT = "split";

  private final FeatureStore store;
  private final FeatureViewSpec spec;

  FeatureView(FeatureStore store, FeatureViewSpec spec) {
    this.store = store;
    this.spec = spec;
  }

  public FeatureViewSpec spec() {
    return spec;
  }

  /** Feature data with the Delta versions it was read at. */
  public record FeatureFrame(Dataset<Row> data, Map<String, Long> sourceVersions) {}

  /** The names of the feature columns the view produces, in output order. */
  public List<String> featureColumns() {
    return spec.featureColumns();
  }

  /** The base group's key and event-time columns, which identify an output row. */
  public List<String> identityColumns() {
    FeatureGroup base = group(spec.base());
    List<String> out = new ArrayList<>(base.spec().primaryKey());
    out.add(base.spec().eventTime());
    return out;
  }

  /** Batch-inference data: base rows matching {@code baseFilter} (SQL), features joined, labels left out. */
  public FeatureFrame batchData(String baseFilter) {
    return assemble(baseFilter, false, currentVersions());
  }

  /**
   * Batch-inference data for the base rows whose event time is in {@code [start, end)}: each joined at its own
   * time, labels left out. Compared in UTC whatever the session's time zone: a DATE event time is its midnight UTC.
   */
  public FeatureFrame batchData(Instant start, Instant end) {
    if (start == null || end == null || !start.isBefore(end)) {
      throw Errors.config("Feature view %s: the batch's time range [%s, %s) is empty; give a start before the end.",
          spec.name(), start, end);
    }
    FeatureGroupSpec base = group(spec.base()).spec();
    Column time = SqlColumns.col(base.eventTime());
    DataType type = rowsTimeType(base);
    return assemble(
        rows -> rows.where(EventTimes.atOrAfter(time, type, start).and(EventTimes.before(time, type, end))),
        false, currentVersions());
  }

  /**
   * The latest features of every base entity as of {@code asOf}: per primary key of the base group, its latest
   * row at or before {@code asOf}, with every joined group read as of {@code asOf} itself (not as of that row's
   * time); the event-time column of the result holds {@code asOf}. Labels left out. For scoring entities "now",
   * with "now" a logical date, never the clock. In UTC whatever the session's time zone: a DATE event time is its
   * midnight UTC, and holds the UTC date of {@code asOf}.
   */
  public FeatureFrame latestFeatures(Instant asOf) {
    if (asOf == null) {
      throw Errors.config("Feature view %s: give the time the latest features are taken as of.", spec.name());
    }
    FeatureGroupSpec base = group(spec.base()).spec();
    Column time = SqlColumns.col(base.eventTime());
    Column[] key = base.primaryKey().stream().map(SqlColumns::col).toArray(Column[]::new);
    DataType type = rowsTimeType(base);
    return assemble(rows -> {
      // of two rows with the entity's latest time (two appended batches), the later commit's, then by value
      Dataset<Row> ranked = CommitOrder.withCommitVersion(rows).where(EventTimes.atOrBefore(time, type, asOf));
      List<Column> order = new ArrayList<>(List.of(time.desc()));
      order.addAll(CommitOrder.latestFirst(ranked.schema()));
      return ranked
          .withColumn("_lakeline_latest",
              row_number().over(Window.partitionBy(key).orderBy(order.toArray(Column[]::new))))
          .where(col("_lakeline_latest").equalTo(1))
          .drop("_lakeline_latest", CommitOrder.COLUMN)
          .withColumn(base.eventTime(), EventTimes.value(type, asOf).cast(type));
    }, false, currentVersions());
  }

  private DataType rowsTimeType(FeatureGroupSpec base) {
    return group(spec.base()).schema().apply(base.eventTime()).dataType();
  }

  /**
   * Materialises a training dataset: base rows matching {@code options.filter}, features joined point-in-time,
   * labels, and the split column ({@code train}, {@code validation}, {@code test}) as {@code options.split} says. The
   * manifest next to it records the Delta version of every group read, the spine, the joins, the split, the seed and
   * per-split statistics. An existing dataset with the same definition and source versions is returned instead of
   * writing a new one, so reruns are idempotent.
   */
  public TrainingDataset createTrainingDataset(TrainingDatasetOptions options) {
    return new TrainingDatasets(this).create(options);
  }

  /**
   * The rows of a training dataset of this view, rebuilt from its manifest: the same spine filter, the groups read
   * at the Delta versions the manifest records (time travel), the same split and seed. Equal to the dataset's rows
   * even after its groups have changed, as long as those versions have not been vacuumed.
   */
  public Dataset<Row> recreateTrainingDataset(TrainingDatasetManifest manifest) {
    return new TrainingDatasets(this).recreate(manifest);
  }

  /** The current Delta version of every group the view reads. */
  Map<String, Long> currentVersions() {
    Map<String, Long> v = new LinkedHashMap<>();
    v.put(spec.base().toString(), group(spec.base()).deltaVersion());
    for (FeatureViewSpec.Join j : spec.joins()) {
      v.put(j.group().toString(), group(j.group()).deltaVersion());
    }
    return v;
  }

  /** The rows of the base group at {@code version} that pass {@code baseFilter} (null or blank: every row). */
  Dataset<Row> spineRows(String baseFilter, long version) {
    Dataset<Row> rows = group(spec.base()).readVersion(version);
    return baseFilter != null && !baseFilter.isBlank() ? where(rows, baseFilter) : rows;
  }

  FeatureFrame assemble(String baseFilter, boolean withLabels, Map<String, Long> versions) {
    return assemble(
        rows -> baseFilter != null && !baseFilter.isBlank() ? where(rows, baseFilter) : rows, withLabels, versions);
  }

  /** The base rows a user's SQL condition keeps; a condition Spark cannot parse or resolve is a config error. */
  private Dataset<Row> where(Dataset<Row> rows, String condition) {
    try {
      return rows.where(condition);
    } catch (Exception e) { // Spark's AnalysisException (and ParseException) is checked in Java's eyes but not declared
      if (!(e instanceof org.apache.spark.sql.AnalysisException a)) {
        throw e;
      }
      String reason = a.getSimpleMessage();
      int plan = reason.indexOf(";\n");
      reason = (plan < 0 ? reason : reason.substring(0, plan)).strip()
          .replaceFirst("\\.?;\\s*line (\\d+) pos (\\d+)$", " (line $1, position $2)")
          .replaceFirst("\\.+$", "");
      throw Errors.config(e, "The filter \"%s\" on %s is not a valid condition: %s. Give a SQL condition over its columns %s.",
          condition, spec.base(), reason, Arrays.asList(rows.columns()));
    }
  }

  /** The view's rows over the base rows {@code selectBase} keeps, reading every group at {@code versions}. */
  FeatureFrame assemble(
      java.util.function.UnaryOperator<Dataset<Row>> selectBase, boolean withLabels, Map<String, Long> versions) {
    FeatureGroup base = group(spec.base());
    Dataset<Row> baseRows = selectBase.apply(base.readVersion(versions.get(spec.base().toString())));
    List<String> spineCols = new ArrayList<>(identityColumns());
    for (FeatureViewSpec.Join j : spec.joins()) {
      j.baseKeys().stream().filter(k -> !spineCols.contains(k)).forEach(spineCols::add);
    }
    spec.baseFeatures().stream().filter(f -> !spineCols.contains(f)).forEach(spineCols::add);
    if (withLabels) {
      spineCols.addAll(spec.labels());
    }
    Dataset<Row> spine = baseRows.selectExpr(spineCols.stream().map(c -> "`" + c + "`").toArray(String[]::new));
    List<FeatureJoin> joins = new ArrayList<>();
    Map<String, Dataset<Row>> data = new LinkedHashMap<>();
    for (FeatureViewSpec.Join j : spec.joins()) {
      if (j.staticJoin()) {
        continue;
      }
      FeatureGroup g = group(j.group());
      joins.add(
          new FeatureJoin(
              j.group().toString(), j.baseKeys(), g.spec().primaryKey(), g.spec().eventTime(), j.features(), j.prefix(),
              j.strict(), j.maxAge(), j.defaults(), j.inner(), CommitOrder.COLUMN));
      // ties on key and event time (two appended batches) go to the later commit, then by value (CommitOrder)
      data.put(j.group().toString(), CommitOrder.withCommitVersion(g.readVersion(versions.get(j.group().toString()))));
    }
    Dataset<Row> joined =
        joins.isEmpty() ? spine : PointInTimeJoin.join(spine, new PitJoinSpec(base.spec().eventTime(), joins), data);
    for (FeatureViewSpec.Join j : spec.joins()) {
      if (j.staticJoin()) {
        FeatureGroup g = group(j.group());
        joined = StaticJoin.join(joined, j, g.spec().primaryKey(),
            CommitOrder.withCommitVersion(g.readVersion(versions.get(j.group().toString()))));
      }
    }
    List<String> out = spec.columns(base.spec(), withLabels);
    return new FeatureFrame(
        joined.selectExpr(out.stream().map(c -> "`" + c + "`").toArray(String[]::new)),
        java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(versions)));
  }

  /**
   * The point-in-time join compares the base group's event time with {@code g}'s: both TIMESTAMP or both DATE, as the
   * join itself requires, found when the view is created rather than when it is first read.
   */
  private void requireSameTimeType(FeatureGroup base, FeatureGroup g) {
    DataType bt = base.schema().apply(base.spec().eventTime()).dataType();
    DataType gt = g.schema().apply(g.spec().eventTime()).dataType();
    if (!FeatureStore.isEventTimeType(gt) || !gt.sameType(bt)) {
      throw Errors.config(
          "Feature view %s: group %s has the event time '%s' of type %s, but the base group %s's event time '%s' is %s. "
              + "A point-in-time join compares times of one type: both TIMESTAMP or both DATE. Cast one of them in the "
              + "pipeline that writes it (as a new version of the group: a DATE as a TIMESTAMP is its midnight UTC).",
          spec.name(), g.spec().label(), g.spec().eventTime(), gt.simpleString(), spec.base(), base.spec().eventTime(),
          bt.simpleString());
    }
  }

  /** Checks that every group and column exists and that joined groups have an event time of the base's type. */
  void check() {
    FeatureGroup base = group(spec.base());
    if (base.spec().eventTime() == null) {
      throw Errors.config(
          "Feature view %s: the base group %s has no event time, so there is no time to join at.", spec.name(), spec.base());
    }
    List<String> baseCols = Arrays.asList(base.schema().fieldNames());
    for (String c : concat(spec.baseFeatures(), spec.labels())) {
      if (!baseCols.contains(c)) {
        throw Errors.config("Feature view %s: the base group %s has no column '%s' (it has %s).", spec.name(), spec.base(), c, baseCols);
      }
    }
    for (FeatureViewSpec.Join j : spec.joins()) {
      FeatureGroup g = group(j.group());
      if (g.spec().eventTime() == null && !j.staticJoin()) {
        throw Errors.config(
            "Feature view %s: group %s has no event time, so it cannot be joined point-in-time. If its rows do not change "
                + "over time, declare the join static to join it on key alone (static: true in a view file; "
                + "FeatureViewSpec.Join.onKey(...) in Java).",
            spec.name(), j.group());
      }
      if (g.spec().eventTime() != null && j.staticJoin()) {
        throw Errors.config(
            "Feature view %s: group %s has the event time '%s', so it must be joined point-in-time, not static (a static "
                + "join would leak later rows). Remove static: true from the join (in Java: new FeatureViewSpec.Join(...) "
                + "instead of Join.onKey(...)).",
            spec.name(), j.group(), g.spec().eventTime());
      }
      if (!j.staticJoin()) {
        requireSameTimeType(base, g);
      }
      if (j.baseKeys().size() != g.spec().primaryKey().size()) {
        throw Errors.config(
            "Feature view %s: group %s has the key %s; give one base column for each (got %s).",
            spec.name(), j.group(), g.spec().primaryKey(), j.baseKeys());
      }
      List<String> cols = Arrays.asList(g.schema().fieldNames());
      for (String f : j.features()) {
        if (!cols.contains(f)) {
          throw Errors.config("Feature view %s: group %s has no column '%s' (it has %s).", spec.name(), j.group(), f, cols);
        }
      }
      for (int i = 0; i < j.baseKeys().size(); i++) {
        String k = j.baseKeys().get(i);
        if (!baseCols.contains(k)) {
          throw Errors.config("Feature view %s: the base group has no join key column '%s'.", spec.name(), k);
        }
        String gk = g.spec().primaryKey().get(i);
        DataType bt = base.schema().apply(k).dataType();
        DataType gt = g.schema().apply(gk).dataType();
        if (!bt.equals(gt)) {
          throw Errors.config(
              "Feature view %s: the join of %s matches the base column '%s' (%s) with its key '%s' (%s); both must have the "
                  + "same type. Join on another base column, or cast it in the pipeline that writes %s.",
              spec.name(), j.group(), k, bt.simpleString(), gk, gt.simpleString(), spec.base());
        }
        if (spec.labels().contains(k)) {
          throw Errors.config(
              "Feature view %s: '%s' is both a label and the key of the join of %s; a label must be a column of its own.",
              spec.name(), k, j.group());
        }
      }
    }
    for (String label : spec.labels()) {
      if (identityColumns().contains(label)) {
        throw Errors.config(
            "Feature view %s: the label '%s' is the base group's key or event time (%s), which every row of the view has "
                + "already; a label must be a column of its own.",
            spec.name(), label, identityColumns());
      }
    }
    checkJoinedNames(base.spec());
    java.util.Set<String> outputs = new java.util.HashSet<>();
    for (String c : concat(featureColumns(), spec.labels())) {
      if (!outputs.add(c)) {
        throw Errors.config(
            "Feature view %s: two of its features or labels produce the column '%s'. Give one of the joins a prefix, "
                + "or list the column once.",
            spec.name(), c);
      }
    }
    Map<String, DataType> types = featureTypes();
    for (FeatureViewSpec.Join j : spec.joins()) {
      for (Map.Entry<String, Object> d : j.defaults().entrySet()) {
        checkDefault(j, d.getKey(), d.getValue(), types.get(j.prefix() + d.getKey()));
      }
    }
    for (Map.Entry<String, ModelTransformation> t : spec.transformations().entrySet()) {
      checkTransformation(t.getKey(), t.getValue(), types.get(t.getKey()));
    }
  }

  /**
   * A joined feature must not take the name of a column the base rows already have (key, event time, a join key, a
   * feature or a label) or another join adds: compared case-insensitively, as Spark resolves names.
   */
  private void checkJoinedNames(FeatureGroupSpec base) {
    Map<String, String> taken = new java.util.HashMap<>();
    base.primaryKey().forEach(k -> taken.putIfAbsent(lower(k), "the base key '" + k + "'"));
    taken.putIfAbsent(lower(base.eventTime()), "the base event time '" + base.eventTime() + "'");
    spec.joins().forEach(j -> j.baseKeys().forEach(k -> taken.putIfAbsent(lower(k), "the join key '" + k + "'")));
    spec.baseFeatures().forEach(f -> taken.putIfAbsent(lower(f), "the base feature '" + f + "'"));
    spec.labels().forEach(l -> taken.putIfAbsent(lower(l), "the label '" + l + "'"));
    for (FeatureViewSpec.Join j : spec.joins()) {
      for (String f : j.features()) {
        String name = j.prefix() + f;
        String before = taken.putIfAbsent(lower(name), "the column '" + name + "' of the join of " + j.group());
        if (before != null) {
          throw Errors.config(
              "Feature view %s: the join of %s would add the column '%s', which is already %s. Give the join a prefix "
                  + "(prefix: in a view file), or leave the feature out.",
              spec.name(), j.group(), name, before);
        }
      }
    }
  }

  private static String lower(String name) {
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  /** The type of every feature column the view produces, by output name. */
  private Map<String, DataType> featureTypes() {
    Map<String, DataType> out = new LinkedHashMap<>();
    StructType baseSchema = group(spec.base()).schema();
    spec.baseFeatures().forEach(f -> out.put(f, baseSchema.apply(f).dataType()));
    for (FeatureViewSpec.Join j : spec.joins()) {
      StructType schema = group(j.group()).schema();
      j.features().forEach(f -> out.put(j.prefix() + f, schema.apply(f).dataType()));
    }
    return out;
  }

  private void checkDefault(FeatureViewSpec.Join j, String feature, Object value, DataType type) {
    boolean fits =
        type instanceof NumericType ? value instanceof Number
            : type instanceof BooleanType ? value instanceof Boolean
            : value instanceof String;
    if (!fits) {
      throw Errors.config(
          "Feature view %s: the default of '%s' in the join of %s is %s '%s', but the feature is %s. Give a %s.",
          spec.name(), feature, j.group(), value instanceof String ? "the string" : "the value", value,
          type.simpleString(),
          type instanceof NumericType ? "number" : type instanceof BooleanType ? "boolean" : "string (cast to " + type.simpleString() + ")");
    }
  }

  private void checkTransformation(String feature, ModelTransformation t, DataType type) {
    if (type == null) {
      throw Errors.config(
          "Feature view %s declares the transformation %s for '%s', which is not one of its features %s.",
          spec.name(), t, feature, featureColumns());
    }
    boolean fits = t.numeric()
        ? type instanceof NumericType
        : type instanceof StringType || type instanceof BooleanType || type instanceof IntegralType;
    if (!fits) {
      throw Errors.config(
          "Feature view %s: %s needs a %s feature, but '%s' is %s. %s",
          spec.name(), t, t.numeric() ? "numeric" : "categorical (string, boolean or integer)", feature, type.simpleString(),
          t.numeric() ? "Encode it with label_encoder or one_hot_encoder instead." : "Scale it with standard_scaler, "
              + "min_max_scaler or robust_scaler instead.");
    }
  }

  /** The base group's event-time column. */
  String baseEventTime() {
    return group(spec.base()).spec().eventTime();
  }

  TrainingDatasetManifest.Spine spineRecord(String filter, Map<String, Long> versions) {
    FeatureGroup base = group(spec.base());
    return new TrainingDatasetManifest.Spine(
        spec.base().toString(), versions.get(spec.base().toString()), filter, base.spec().eventTime(), base.spec().primaryKey());
  }

  List<TrainingDatasetManifest.JoinedGroup> joinRecords(Map<String, Long> versions) {
    List<TrainingDatasetManifest.JoinedGroup> out = new ArrayList<>();
    for (FeatureViewSpec.Join j : spec.joins()) {
      FeatureGroup g = group(j.group());
      out.add(
          new TrainingDatasetManifest.JoinedGroup(
              j.group().toString(),
              versions.get(j.group().toString()),
              j.baseKeys(),
              g.spec().primaryKey(),
              g.spec().eventTime(),
              j.strict(),
              j.staticJoin(),
              j.features(),
              j.prefix(),
              j.maxAge() == null ? null : j.maxAge().toString(),
              j.defaults(),
              j.inner()));
    }
    return out;
  }

  FeatureStore store() {
    return store;
  }

  private FeatureGroup group(FeatureViewSpec.GroupRef ref) {
    return store.getFeatureGroup(ref.name(), ref.version());
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  SparkSession spark() {
    return store.spark();
  }
}
