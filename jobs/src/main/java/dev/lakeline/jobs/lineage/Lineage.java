package dev.lakeline.jobs.lineage;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakeline.core.Errors;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.featurestore.CommitInfo;
import dev.lakeline.featurestore.FeatureGroup;
import dev.lakeline.featurestore.FeatureStore;
import dev.lakeline.featurestore.FeatureView;
import dev.lakeline.featurestore.TrainingDataset;
import dev.lakeline.featurestore.TrainingDatasetManifest;
import dev.lakeline.jobs.pipelines.InferencePipeline;
import dev.lakeline.training.ModelRegistry;
import dev.lakeline.training.ModelVersion;
import dev.lakeline.validation.ValidationReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where a model version's training data came from, and what a feature group's commit went on to feed: the lineage
 * that the lakehouse already records, put together. Training datasets name the Delta version of every group they
 * read (their manifest), model versions name their training dataset (their card), and every predictions commit names
 * the model version and the Delta version of every group inference read ({@code lakeline.model_version} and {@code
 * lakeline.feature_versions} in its userMetadata). Nothing here writes.
 */
public final class Lineage {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How many of a group's commits, newest first, are searched for those up to a version read. */
  private static final int HISTORY = 200;

  /** A group as manifests and cards name it: "name vN". */
  private static final java.util.regex.Pattern GROUP_LABEL = java.util.regex.Pattern.compile("(.+) v([0-9]+)");

  private final SparkSession spark;
  private final StorageLayout layout;
  private final FeatureStore store;
  private final ModelRegistry registry;

  private Lineage(SparkSession spark, StorageLayout layout, FeatureStore store, ModelRegistry registry) {
    this.spark = spark;
    this.layout = layout;
    this.store = store;
    this.registry = registry;
  }

  public static Lineage of(SparkSession spark, StorageLayout layout, FeatureStore store, ModelRegistry registry) {
    return new Lineage(spark, layout, store, registry);
  }

  /**
   * A feature group read at a Delta version.
   *
   * @param group the group, "name vN"
   * @param deltaVersion the Delta version read
   * @param role {@code spine} (the training dataset's rows), {@code joined} (point-in-time), {@code static} (on key
   *     alone) or {@code read} (from a card that names no training dataset)
   */
  public record GroupRead(String group, long deltaVersion, String role) {
    public String label() {
      return group + " @ Delta " + deltaVersion;
    }
  }

  /** A training dataset and the group versions it read. */
  public record DatasetNode(String view, int viewVersion, int number, String path, Map<String, Long> rowsPerSplit,
      List<GroupRead> reads) {
    public String label() {
      return view + " v" + viewVersion + " td" + number;
    }

    public long rows() {
      return rowsPerSplit.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** A model version: where its aliases point now, the run that trained it, its test AUC (or null). */
  public record ModelNode(String name, int version, List<String> aliases, String logicalDate, String runId, Double auc,
      String trainingDataset) {
    public String label() {
      return name + " v" + version;
    }
  }

  /**
   * One date's predictions of a model, as its table holds them now.
   *
   * @param featureVersions the Delta version of every group inference read, by "name vN"; null when the commit did not
   *     record them (written before Lakeline recorded them)
   * @param reasons why it is listed (in an impact): it read the group's commit, or a version trained on it scored it
   */
  public record PredictionBatch(String model, String date, int modelVersion, long rows, long deltaVersion, String runId,
      Map<String, Long> featureVersions, List<String> reasons) {
    public String label() {
      return model + " " + date;
    }

    /** The group versions inference read, "card_spend v1 @ 1, loans v1 @ 1", or "(not recorded)". */
    public String groupsRead() {
      return featureVersions == null ? "(not recorded)" : String.join(", ",
          featureVersions.entrySet().stream().map(e -> e.getKey() + " @ " + e.getValue()).toList());
    }

    PredictionBatch because(List<String> why) {
      return new PredictionBatch(model, date, modelVersion, rows, deltaVersion, runId, featureVersions, List.copyOf(why));
    }
  }

  /**
   * A group's commit, as {@code fg history} shows it, with its batch's validation: the decision and the expectations
   * passed ("ingested, 10 of 10 expectations passed"), or null for a commit without a report (the table's creation, a
   * maintenance commit) or whose report is not found.
   */
  public record Commit(long version, String committed, String operation, long rowsAdded, long rowsUpdated,
      long rowsDeleted, String batchId, String runId, String reportId, String validation) {
    /** In a line: version, time, operation, rows, batch, run, report and what it decided. */
    public String summary() {
      StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT, "v%d  %s  %s", version, committed, operation));
      if (rowsAdded + rowsUpdated + rowsDeleted > 0) {
        s.append(String.format(java.util.Locale.ROOT, "  +%,d", rowsAdded));
        if (rowsUpdated > 0) {
          s.append(String.format(java.util.Locale.ROOT, " ~%,d", rowsUpdated));
        }
        if (rowsDeleted > 0) {
          s.append(String.format(java.util.Locale.ROOT, " -%,d", rowsDeleted));
        }
      }
      if (batchId != null) {
        s.append("  batch ").append(batchId);
      }
      if (runId != null) {
        s.append("  run ").append(runId);
      }
      if (reportId != null) {
        s.append("  report ").append(reportId).append(validation == null ? "" : " (" + validation + ")");
      }
      return s.toString();
    }

    static Commit of(CommitInfo c, Map<String, String> validations) {
      return new Commit(c.version(), c.committedUtc(), c.operation(), c.rowsAdded(), c.rowsUpdated(), c.rowsDeleted(),
          c.batchId(), c.runId(), c.reportId(), c.reportId() == null ? null : validations.get(c.reportId()));
    }
  }

  /** Each of the group's validation reports in a few words, by report id. */
  private static Map<String, String> validations(FeatureGroup g) {
    Map<String, String> out = new java.util.HashMap<>();
    for (ValidationReport r : g.validationHistory(HISTORY)) {
      out.put(r.reportId(), String.format(java.util.Locale.ROOT, "%s, %d of %d expectations passed",
          r.decision().name().toLowerCase(java.util.Locale.ROOT), r.result().successful(), r.result().evaluated()));
    }
    return out;
  }

  /**
   * Where a model version came from and what it scored.
   *
   * @param dataset its training dataset, or null when it is no longer in the lakehouse (then {@code reads} come from
   *     the card)
   * @param reads the group versions its training data was read from
   * @param commits per group read, its commits up to the version read, newest first (at most {@code commitsPerGroup})
   * @param earlierCommits per group read, how many older commits up to that version are not listed
   * @param predictions the dates its scores are the predictions of, oldest first
   */
  public record ModelLineage(ModelNode model, DatasetNode dataset, List<GroupRead> reads, Map<String, List<Commit>> commits,
      Map<String, Integer> earlierCommits, List<PredictionBatch> predictions) {}

  /**
   * A training dataset that read the group asked about.
   *
   * @param role how it read the group ({@link GroupRead#role()})
   * @param readVersion the group's Delta version it read
   * @param rowsOfCommit how many rows of that version the commit asked about wrote (and no later commit changed); null
   *     when no commit was asked about, or when the version's rows cannot tell (no row tracking, vacuumed files)
   */
  public record AffectedDataset(DatasetNode dataset, String role, long readVersion, Long rowsOfCommit) {
    /** How it read the group: "joined @ Delta 3". */
    public String readAs() {
      return role + " @ Delta " + readVersion;
    }
  }

  /**
   * What read a feature group's commit, directly or through what was made from it.
   *
   * @param group the group, "name vN"
   * @param fromVersion the commit asked about: what read this Delta version or a later one that still held rows it
   *     wrote; null for every version
   * @param commit that commit, or null
   * @param latestVersion the group's Delta version now
   * @param datasets the training datasets that read the group (at {@code fromVersion} or later, holding rows of it)
   * @param withoutItsRows the training datasets that read a later version in which no row of that commit remained (a
   *     later commit replaced or deleted them all); empty without {@code fromVersion}
   * @param models the model versions trained on {@code datasets}, and those whose training dataset is gone whose card
   *     records a read of the group as {@code datasets} would
   * @param predictions the predictions that read the group (as {@code datasets}) at inference, or were scored by one of
   *     {@code models}; each says which in its reasons
   * @param unrecorded predictions dates whose commits do not record the group versions they read (written before
   *     Lakeline recorded them), not scored by one of {@code models}: whether they read the commit is not known
   */
  public record Impact(String group, Long fromVersion, Commit commit, long latestVersion, List<AffectedDataset> datasets,
      List<AffectedDataset> withoutItsRows, List<ModelNode> models, List<PredictionBatch> predictions,
      List<PredictionBatch> unrecorded) {}

  /** The lineage of model {@code name}'s version {@code reference} (a number, latest, @alias or best:metric). */
  public ModelLineage ofModel(String name, String reference, int commitsPerGroup) {
    ModelVersion v = registry.resolve(name, reference);
    ModelNode node = node(v, aliasesByVersion(name));
    DatasetNode dataset = StorageLayout.trainingDatasetFolder(v.card().trainingDataset()).map(d -> {
      try {
        return node(store.getTrainingDataset(d.view(), d.version(), d.number()));
      } catch (dev.lakeline.core.LakelineException.NotFound e) {
        return null;
      }
    }).orElse(null);
    List<GroupRead> reads = dataset != null ? dataset.reads() : cardReads(v);
    Map<String, List<Commit>> commits = new LinkedHashMap<>();
    Map<String, Integer> earlier = new LinkedHashMap<>();
    for (GroupRead r : reads) {
      List<Commit> upTo = commitsUpTo(r);
      commits.put(r.group(), upTo.subList(0, Math.min(commitsPerGroup, upTo.size())));
      earlier.put(r.group(), Math.max(0, upTo.size() - commitsPerGroup));
    }
    List<PredictionBatch> scored = predictions(name).stream().filter(p -> p.modelVersion() == v.version()).toList();
    return new ModelLineage(node, dataset, reads, commits, earlier, scored);
  }

  /**
   * What read feature group {@code name} v{@code version}: with {@code fromVersion}, what read that Delta version or a
   * later one still holding rows its commit wrote (row tracking tells; a version whose rows cannot tell counts); without
   * it, what read the group at any version. Then the model versions trained on those training datasets, and the
   * predictions that read it at inference or were scored by those versions.
   */
  public Impact ofGroup(String name, int version, Long fromVersion) {
    FeatureGroup g = store.getFeatureGroup(name, version);
    String label = name + " v" + version;
    long latest = g.deltaVersion();
    Commit commit = null;
    if (fromVersion != null) {
      if (fromVersion < 0 || fromVersion > latest) {
        throw Errors.config("Feature group %s has Delta versions 0 to %d; --delta-version %d is not one of them "
            + "(lakeline fg history %s --version %d lists them).", label, latest, fromVersion, name, version);
      }
      Map<String, String> validations = validations(g);
      commit = g.history(HISTORY).stream().filter(c -> c.version() == fromVersion).findFirst()
          .map(c -> Commit.of(c, validations)).orElse(null);
    }
    Map<Long, Long> held = new java.util.HashMap<>(); // read version → rows of the commit it holds; -1: cannot tell
    java.util.function.LongFunction<Long> rowsOfCommit = read -> {
      if (fromVersion == null || read < fromVersion) {
        return null;
      }
      long n = held.computeIfAbsent(read, v -> g.rowsOfCommit(v, fromVersion).orElse(-1));
      return n < 0 ? null : n;
    };
    List<AffectedDataset> datasets = new ArrayList<>();
    List<AffectedDataset> withoutItsRows = new ArrayList<>();
    List<String> existing = new ArrayList<>();
    for (FeatureView view : store.listFeatureViews()) {
      for (TrainingDataset td : store.listTrainingDatasets(view.spec().name(), view.spec().version())) {
        DatasetNode d = node(td);
        existing.add(d.path());
        GroupRead r = d.reads().stream().filter(x -> x.group().equals(label)).findFirst().orElse(null);
        if (r == null || (fromVersion != null && r.deltaVersion() < fromVersion)) {
          continue;
        }
        Long rows = rowsOfCommit.apply(r.deltaVersion());
        AffectedDataset a = new AffectedDataset(d, r.role(), r.deltaVersion(), rows);
        (rows != null && rows == 0 ? withoutItsRows : datasets).add(a);
      }
    }
    List<ModelNode> models = new ArrayList<>();
    List<PredictionBatch> predictions = new ArrayList<>();
    List<PredictionBatch> unrecorded = new ArrayList<>();
    for (String model : registry.models()) {
      Map<Integer, List<String>> aliases = aliasesByVersion(model);
      List<Integer> affected = new ArrayList<>();
      for (ModelVersion v : registry.versions(model)) {
        String trainedOn = v.card().trainingDataset();
        boolean fed = datasets.stream().anyMatch(d -> StorageLayout.sameTrainingDataset(d.dataset().path(), trainedOn));
        if (!fed && existing.stream().noneMatch(path -> StorageLayout.sameTrainingDataset(path, trainedOn))) {
          // its training dataset is gone: the group versions its card records say what it read
          Long read = v.card().sourceVersions() == null ? null : v.card().sourceVersions().get(label);
          Long rows = read == null ? null : rowsOfCommit.apply(read);
          fed = read != null && (fromVersion == null || read >= fromVersion) && (rows == null || rows > 0);
        }
        if (fed) {
          models.add(node(v, aliases));
          affected.add(v.version());
        }
      }
      for (PredictionBatch p : predictions(model)) {
        List<String> why = new ArrayList<>();
        Long read = p.featureVersions() == null ? null : p.featureVersions().get(label);
        if (read != null && (fromVersion == null || read >= fromVersion)) {
          Long rows = rowsOfCommit.apply(read);
          if (rows == null) {
            why.add("read " + label + " at Delta " + read);
          } else if (rows > 0) {
            why.add(String.format(java.util.Locale.ROOT, "read %s at Delta %d (%,d rows of commit %d)", label, read, rows, fromVersion));
          }
        }
        if (affected.contains(p.modelVersion())) {
          why.add("scored by " + model + " v" + p.modelVersion());
        }
        if (!why.isEmpty()) {
          predictions.add(p.because(why));
        } else if (p.featureVersions() == null) {
          unrecorded.add(p.because(List.of("group versions not recorded")));
        }
      }
    }
    return new Impact(label, fromVersion, commit, latest, datasets, withoutItsRows, models, predictions, unrecorded);
  }

  private DatasetNode node(TrainingDataset td) {
    TrainingDatasetManifest m = td.manifest();
    List<GroupRead> reads = new ArrayList<>();
    reads.add(new GroupRead(m.spine().group(), m.spine().deltaVersion(), "spine"));
    for (TrainingDatasetManifest.JoinedGroup j : m.joins()) {
      reads.add(new GroupRead(j.group(), j.deltaVersion(), j.staticJoin() ? "static" : "joined"));
    }
    Map<String, Long> rows = new LinkedHashMap<>();
    m.splitNames().forEach(split -> rows.put(split, m.rowsPerSplit().getOrDefault(split, 0L)));
    return new DatasetNode(m.identity().view(), m.identity().viewVersion(), m.number(), td.path(), rows, List.copyOf(reads));
  }

  private static ModelNode node(ModelVersion v, Map<Integer, List<String>> aliases) {
    Double auc = v.card().metrics() == null ? null : v.card().metrics().get("areaUnderROC");
    return new ModelNode(v.name(), v.version(), aliases.getOrDefault(v.version(), List.of()), v.card().logicalDate(),
        v.card().runId(), auc, v.card().trainingDataset());
  }

  private static List<GroupRead> cardReads(ModelVersion v) {
    Map<String, Long> versions = v.card().sourceVersions() == null ? Map.of() : v.card().sourceVersions();
    return new TreeMap<>(versions).entrySet().stream().map(e -> new GroupRead(e.getKey(), e.getValue(), "read")).toList();
  }

  private Map<Integer, List<String>> aliasesByVersion(String model) {
    Map<Integer, List<String>> out = new TreeMap<>();
    new TreeMap<>(registry.aliases(model)).forEach((alias, v) -> out.computeIfAbsent(v, k -> new ArrayList<>()).add("@" + alias));
    return out;
  }

  /** The commits of the group read up to the version read, newest first; none when the group is gone. */
  private List<Commit> commitsUpTo(GroupRead read) {
    java.util.regex.Matcher m = GROUP_LABEL.matcher(read.group());
    if (!m.matches()) {
      return List.of();
    }
    try {
      FeatureGroup g = store.getFeatureGroup(m.group(1), Integer.parseInt(m.group(2)));
      Map<String, String> validations = validations(g);
      return g.history(HISTORY).stream().filter(c -> c.version() <= read.deltaVersion()).map(c -> Commit.of(c, validations)).toList();
    } catch (dev.lakeline.core.LakelineException.NotFound e) {
      return List.of();
    }
  }

  /**
   * Every date of model {@code model}'s predictions table as it is now, oldest first: the version that scored it, its
   * rows, and what the date's latest commit recorded (its Delta version, run, and the group versions read).
   */
  List<PredictionBatch> predictions(String model) {
    String path = layout.predictions(model);
    if (!DeltaCommits.exists(spark, path)) {
      return List.of();
    }
    Map<String, Written> commits = new TreeMap<>(); // by date: the newest commit whose batch is that date's inference
    String prefix = InferencePipeline.batchPrefix(model);
    for (Row r : io.delta.tables.DeltaTable.forPath(spark, path).history().select("version", "userMetadata").collectAsList()) {
      Map<String, String> meta = DeltaCommits.readMetadata(r.isNullAt(1) ? null : r.getString(1));
      String batch = meta.get("lakeline.batch");
      if (batch != null && batch.startsWith(prefix)) {
        commits.putIfAbsent(batch.substring(prefix.length()), new Written(r.getLong(0), meta));
      }
    }
    List<PredictionBatch> out = new ArrayList<>();
    for (Row r : spark.read().format("delta").load(path).groupBy(col("run_date"), col("model_version")).count()
        .orderBy("run_date", "model_version").collectAsList()) {
      String date = r.getDate(0).toLocalDate().toString();
      Written commit = commits.getOrDefault(date, new Written(-1, Map.of()));
      out.add(new PredictionBatch(model, date, r.getInt(1), r.getLong(2), commit.version(), commit.meta().get("lakeline.run_id"),
          versions(commit.meta().get("lakeline." + InferencePipeline.FEATURE_VERSIONS_KEY)), List.of()));
    }
    return out;
  }

  /** A predictions commit: its Delta version and its userMetadata entries. */
  private record Written(long version, Map<String, String> meta) {}

  private static Map<String, Long> versions(String json) {
    if (json == null) {
      return null;
    }
    try {
      return new TreeMap<>(JSON.readValue(json, new TypeReference<Map<String, Long>>() {}));
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
