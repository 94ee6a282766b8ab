package dev.lakeline.featurestore;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.lakeline.core.Errors;
import dev.lakeline.core.delta.CommitRequest;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.storage.LakeFiles;
import dev.lakeline.pitjoin.FeatureJoin;
import dev.lakeline.pitjoin.PitJoinSpec;
import dev.lakeline.pitjoin.PointInTimeJoin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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
    List<String> out = new ArrayList<>(spec.baseFeatures());
    for (FeatureViewSpec.Join j : spec.joins()) {
      j.features().forEach(f -> out.add(j.prefix() + f));
    }
    return out;
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
   * Materialises a training dataset: base rows matching {@code options.filter}, features joined point-in-time,
   * labels, and a seeded random split. An existing dataset with the same definition and source versions is
   * returned instead of writing a new one, so reruns are idempotent.
   */
  public TrainingDataset createTrainingDataset(TrainingDatasetOptions options) {
    Map<String, Long> versions = currentVersions();
    TrainingDatasetManifest.Identity identity =
        new TrainingDatasetManifest.Identity(
            spec.name(), spec.version(), options.filter(), versions, "random", options.testFraction(), options.seed());
    LakeFiles files = LakeFiles.of(store.spark());
    String root = store.layout().trainingDatasets(spec.name(), spec.version());
    int next = 1;
    for (String entry : files.list(root)) {
      if (!entry.matches("td[0-9]+")) {
        continue;
      }
      int n = Integer.parseInt(entry.substring(2));
      next = Math.max(next, n + 1);
      TrainingDataset existing = TrainingDataset.open(store.spark(), store.layout(), spec.name(), spec.version(), n);
      if (existing != null && existing.manifest().identity().equals(identity)) {
        return existing;
      }
    }
    FeatureFrame frame = assemble(options.filter(), true, versions);
    Column bucket = pmod(xxhash64(keyColumns(lit(options.seed()))), lit(1_000_000L));
    Dataset<Row> withSplit =
        frame.data().withColumn(SPLIT, when(bucket.lt(lit(Math.round(options.testFraction() * 1_000_000))), "test").otherwise("train"));
    String dir = store.layout().trainingDataset(spec.name(), spec.version(), next);
    String dataPath = dir + "/data";
    DeltaCommits.commit(
        store.spark(),
        CommitRequest.overwrite(dataPath, withSplit, "training-dataset:" + spec.name() + ":td" + next));
    Dataset<Row> written = store.spark().read().format("delta").load(dataPath);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Row r : written.groupBy(SPLIT).count().orderBy(SPLIT).collectAsList()) {
      counts.put(r.getString(0), r.getLong(1));
    }
    TrainingDatasetManifest manifest =
        new TrainingDatasetManifest(identity, next, featureColumns(), spec.labels(), identityColumns(), counts);
    files.createExclusive(dir + "/" + TrainingDataset.MANIFEST, Json.write(manifest));
    return new TrainingDataset(store.spark(), dir, manifest);
  }

  private Column[] keyColumns(Column seed) {
    List<Column> cols = new ArrayList<>();
    cols.add(seed);
    identityColumns().forEach(c -> cols.add(col("`" + c + "`")));
    return cols.toArray(Column[]::new);
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

  FeatureFrame assemble(String baseFilter, boolean withLabels, Map<String, Long> versions) {
    FeatureGroup base = group(spec.base());
    Dataset<Row> baseRows = base.readVersion(versions.get(spec.base().toString()));
    if (baseFilter != null && !baseFilter.isBlank()) {
      baseRows = baseRows.where(baseFilter);
    }
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
      FeatureGroup g = group(j.group());
      joins.add(
          new FeatureJoin(
              j.group().toString(), j.baseKeys(), g.spec().primaryKey(), g.spec().eventTime(), j.features(), j.prefix(), j.strict()));
      data.put(j.group().toString(), g.readVersion(versions.get(j.group().toString())));
    }
    Dataset<Row> joined = PointInTimeJoin.join(spine, new PitJoinSpec(base.spec().eventTime(), joins), data);
    List<String> out = new ArrayList<>(identityColumns());
    for (String f : featureColumns()) {
      if (!out.contains(f)) {
        out.add(f);
      }
    }
    if (withLabels) {
      out.addAll(spec.labels());
    }
    for (FeatureViewSpec.Join j : spec.joins()) {
      j.baseKeys().stream().filter(k -> !out.contains(k)).forEach(out::add);
    }
    return new FeatureFrame(
        joined.selectExpr(out.stream().map(c -> "`" + c + "`").toArray(String[]::new)),
        java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(versions)));
  }

  /** Checks that every group and column exists and that joined groups have an event time. */
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
      if (g.spec().eventTime() == null) {
        throw Errors.config(
            "Feature view %s: group %s has no event time, so it cannot be joined point-in-time.", spec.name(), j.group());
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
      for (String k : j.baseKeys()) {
        if (!baseCols.contains(k)) {
          throw Errors.config("Feature view %s: the base group has no join key column '%s'.", spec.name(), k);
        }
      }
    }
    java.util.Set<String> outputs = new java.util.HashSet<>();
    for (String c : concat(featureColumns(), spec.labels())) {
      if (!outputs.add(c)) {
        throw Errors.config(
            "Feature view %s: two of its features or labels produce the column '%s'. Give one of the joins a prefix, "
                + "or list the column once.",
            spec.name(), c);
      }
    }
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
