package dev.lakeline.featurestore;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.lakeline.core.Errors;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.delta.CommitRequest;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.storage.LakeFiles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;

/** Builds, finds and recreates the training datasets of one feature view. */
final class TrainingDatasets {
  private static final long BUCKETS = 1_000_000L;
  /** The file that reserves a dataset's number ({@code td<n>/_claim}). */
  static final String CLAIM = "_claim";
  private static final int MAX_CLAIMS = 100;
  /** The folder of the identity files ({@link #firstOfIdentity}). */
  static final String IDENTITIES = "_identities";

  private final FeatureView view;

  TrainingDatasets(FeatureView view) {
    this.view = view;
  }

  /**
   * The existing dataset with this identity, or a new one written as the next {@code td<n>}. The number is claimed
   * first ({@link #claim}), so writers running at once each get their own, and a dataset's table is never overwritten.
   */
  TrainingDataset create(TrainingDatasetOptions options) {
    refuseALabelAsEntity(options.split());
    FeatureViewSpec spec = view.spec();
    Map<String, Long> versions = view.currentVersions();
    TrainingDatasetManifest.Identity identity =
        new TrainingDatasetManifest.Identity(
            spec.name(), spec.version(), options.filter(), versions, options.split(), options.seed());
    FeatureStore store = view.store();
    LakeFiles files = LakeFiles.of(store.spark());
    int next = 1;
    for (String entry : files.list(store.layout().trainingDatasets(spec.name(), spec.version()))) {
      if (!entry.matches("td[0-9]+")) {
        continue;
      }
      int n = Integer.parseInt(entry.substring(2));
      next = Math.max(next, n + 1);
      TrainingDataset existing = openIfReadable(n);
      if (existing != null && sameRows(existing.manifest().identity(), identity)) {
        return existing;
      }
    }
    requireSpineRows(options.filter(), options.split(), versions);
    return createNew(identity, options);
  }

  /**
   * Writes the dataset of {@code identity} as the next {@code td<n>}: what {@link #create} does once it found no
   * completed dataset of that identity (a writer running at the same time may have begun one).
   */
  TrainingDataset createNew(TrainingDatasetManifest.Identity identity, TrainingDatasetOptions options) {
    FeatureViewSpec spec = view.spec();
    FeatureStore store = view.store();
    LakeFiles files = LakeFiles.of(store.spark());
    Map<String, Long> versions = identity.sourceVersions();
    int next = 1;
    for (String entry : files.list(store.layout().trainingDatasets(spec.name(), spec.version()))) {
      if (entry.matches("td[0-9]+")) {
        next = Math.max(next, Integer.parseInt(entry.substring(2)) + 1);
      }
    }
    Dataset<Row> rows = build(identity);
    int number = claim(next, Json.write(identity));
    String dir = store.layout().trainingDataset(spec.name(), spec.version(), number);
    String dataPath = dir + "/data";
    // an append to the new table: should a writer that does not claim numbers have written there, its rows are kept
    DeltaCommits.commit(
        store.spark(), CommitRequest.append(dataPath, rows, "training-dataset:" + spec.name() + ":td" + number));
    Dataset<Row> written = store.spark().read().format("delta").load(dataPath);
    Map<String, SplitStatistics> stats =
        SplitStatisticsCalculator.compute(
            written, FeatureView.SPLIT, options.split().splits(), view.baseEventTime(), view.featureColumns());
    Map<String, Long> counts = new java.util.TreeMap<>();
    stats.forEach((split, s) -> counts.put(split, s.rows()));
    TrainingDatasetManifest manifest =
        new TrainingDatasetManifest(
            identity,
            number,
            view.featureColumns(),
            spec.labels(),
            view.identityColumns(),
            view.spineRecord(options.filter(), versions),
            view.joinRecords(versions),
            counts,
            stats);
    TrainingDataset first = firstOfIdentity(identity, number);
    if (first != null) { // an equal dataset was completed meanwhile: this copy is dropped, its number stays claimed
      files.delete(dataPath);
      return first;
    }
    files.createExclusive(dir + "/" + TrainingDataset.MANIFEST, Json.write(manifest));
    return TrainingDataset.written(store.spark(), dir, manifest);
  }

  /** The folder of the files that say which dataset holds each identity ({@code _identities/<sha-256>}). */
  private String identityFile(TrainingDatasetManifest.Identity identity) {
    TrainingDatasetManifest.Identity rows = identity.split().kind() == SplitSpec.Kind.TIME // its seed changes nothing
        ? new TrainingDatasetManifest.Identity(identity.view(), identity.viewVersion(), identity.filter(),
            identity.sourceVersions(), identity.split(), 0L)
        : identity;
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(Json.write(rows).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return view.store().layout().trainingDatasets(view.spec().name(), view.spec().version()) + "/" + IDENTITIES + "/"
          + java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Null when {@code number} is the dataset of {@code identity}: it took the identity's file (created exclusively, so of
   * writers of the same inputs finishing at once exactly one does). Otherwise the dataset another writer completed
   * first, which every writer of these inputs returns — two {@code train} runs at once train on one dataset, not on two
   * copies. Should that writer have been stopped between taking the file and writing its manifest (a moment), this one
   * is kept after all.
   */
  private TrainingDataset firstOfIdentity(TrainingDatasetManifest.Identity identity, int number) {
    LakeFiles files = LakeFiles.of(view.store().spark());
    return files.takeOrFind(identityFile(identity), "td" + number,
        holder -> java.util.Optional.ofNullable(openIfReadable(Integer.parseInt(holder.substring(2))))
            .filter(done -> sameRows(done.manifest().identity(), identity)),
        // deleted since (by hand, or maintain's clean-up of an incomplete one): its manifest will never come
        holder -> !holder.matches("td[0-9]+") || !files.exists(
            view.store().layout().trainingDataset(view.spec().name(), view.spec().version(), Integer.parseInt(holder.substring(2)))))
        .orElse(null);
  }

  /** Whether datasets of these identities have the same rows: equal, or time splits that differ only by the seed. */
  private static boolean sameRows(TrainingDatasetManifest.Identity a, TrainingDatasetManifest.Identity b) {
    if (a.equals(b)) {
      return true;
    }
    // a time split assigns by event time alone; its seed is recorded but changes nothing
    return a.split().kind() == SplitSpec.Kind.TIME
        && new TrainingDatasetManifest.Identity(a.view(), a.viewVersion(), a.filter(), a.sourceVersions(), a.split(), b.seed())
            .equals(b);
  }

  /**
   * Rejects a dataset without spine rows, or (a time split) without rows before the train split's end, before its
   * number is claimed: such a dataset would stay behind, listed, and train nothing. Checked on the base group alone,
   * so the joins are not computed twice.
   */
  private void requireSpineRows(String filter, SplitSpec split, Map<String, Long> versions) {
    FeatureViewSpec spec = view.spec();
    long version = versions.get(spec.base().toString());
    Dataset<Row> spine = view.spineRows(filter, version);
    boolean filtered = filter != null && !filter.isBlank();
    if (split.kind() == SplitSpec.Kind.TIME && !byTime(spine, split).where(col(FeatureView.SPLIT).equalTo(SplitSpec.TRAIN)).isEmpty()) {
      return;
    }
    if (spine.isEmpty()) {
      throw Errors.rejected(
          "No training dataset was made for %s v%d: %s of %s (Delta version %d) %s, so there is nothing to train on. "
              + "Nothing was written. %s",
          spec.name(), spec.version(), filtered ? "no rows" : "there are no rows", spec.base(), version,
          filtered ? "match the filter \"" + filter + "\"" : "to use as the spine",
          filtered ? "Check the filter, and that the feature pipelines have written the rows it selects."
              : "Run the feature pipelines that write it first.");
    }
    if (split.kind() == SplitSpec.Kind.TIME) {
      Instant trainEnd = (split.validationStartInstant() != null ? split.validationStartInstant() : split.testStartInstant())
          .minusSeconds(split.gapSeconds());
      throw Errors.rejected(
          "No training dataset was made for %s v%d: none of the rows of %s (Delta version %d)%s has an event time before "
              + "%s, where the train split ends (%s), so there is nothing to train on. Nothing was written. Move the "
              + "validation and test starts later, or shorten the gap.",
          spec.name(), spec.version(), spec.base(), version, filtered ? " that match the filter \"" + filter + "\"" : "",
          trainEnd, split.describe());
    }
  }

  /**
   * The first number from {@code from} on that this writer could claim: it created {@code td<n>/_claim} (with {@code
   * content}), which fails when the file exists, so of writers racing for a number exactly one gets it. A number
   * whose folder already holds data or a manifest (written by a writer that does not claim numbers) is passed over.
   * Claimed numbers are never reused, even when their dataset was never completed.
   */
  int claim(int from, String content) {
    FeatureViewSpec spec = view.spec();
    LakeFiles files = LakeFiles.of(view.store().spark());
    for (int n = from; n < from + MAX_CLAIMS; n++) {
      String dir = view.store().layout().trainingDataset(spec.name(), spec.version(), n);
      try {
        files.createExclusive(dir + "/" + CLAIM, content);
      } catch (LakelineException.Conflict taken) {
        continue; // another writer has it: try the next number
      }
      if (!files.exists(dir + "/data") && !files.exists(dir + "/" + TrainingDataset.MANIFEST)) {
        return n;
      }
    }
    throw Errors.conflict(
        "Could not claim a training dataset number for %s v%d: td%d to td%d are all taken by other writers. Rerun when "
            + "they are done.", spec.name(), spec.version(), from, from + MAX_CLAIMS - 1);
  }

  /**
   * {@code td<n>}, or null when absent or its manifest cannot be read as today's format (a manifest written before
   * split specs existed): such a dataset cannot have the identity being asked for, so a new number is used.
   */
  private TrainingDataset openIfReadable(int n) {
    FeatureStore store = view.store();
    try {
      return TrainingDataset.open(store.spark(), store.layout(), view.spec().name(), view.spec().version(), n);
    } catch (IllegalStateException unreadable) {
      return null;
    }
  }

  /** The rows of the dataset {@code manifest} describes, rebuilt from the Delta versions it records. */
  Dataset<Row> recreate(TrainingDatasetManifest manifest) {
    TrainingDatasetManifest.Identity id = manifest.identity();
    FeatureViewSpec spec = view.spec();
    if (!id.view().equals(spec.name()) || id.viewVersion() != spec.version()) {
      throw Errors.config(
          "The manifest of %s v%d td%d belongs to another view than %s v%d; recreate it through its own view.",
          id.view(), id.viewVersion(), manifest.number(), spec.name(), spec.version());
    }
    if (!id.sourceVersions().keySet().equals(view.currentVersions().keySet())) {
      throw Errors.config(
          "The manifest of %s v%d td%d reads the groups %s but the view reads %s.",
          id.view(), id.viewVersion(), manifest.number(), id.sourceVersions().keySet(), view.currentVersions().keySet());
    }
    requireReadable(manifest);
    return build(id);
  }

  /**
   * A conflict unless every group can still be read at the Delta version the manifest records: found before reading,
   * where Spark would fail half-way with a missing file.
   */
  private void requireReadable(TrainingDatasetManifest manifest) {
    FeatureViewSpec spec = view.spec();
    FeatureStore store = view.store();
    LakeFiles files = LakeFiles.of(store.spark());
    List<FeatureViewSpec.GroupRef> groups = new ArrayList<>();
    groups.add(spec.base());
    spec.joins().forEach(j -> groups.add(j.group()));
    for (FeatureViewSpec.GroupRef g : groups) {
      long version = manifest.identity().sourceVersions().get(g.toString());
      String path = store.layout().featureGroup(g.name(), g.version());
      VersionFiles v = VersionFiles.of(store.spark(), path, version, files.filesUnder(path));
      if (v.readable()) {
        continue;
      }
      String why = v.unreadable() != null
          ? String.format(java.util.Locale.ROOT, "which can no longer be read (%s)", v.unreadable())
          : String.format(java.util.Locale.ROOT, "and %d of that version's %d data files were deleted (vacuumed)", v.missing(), v.files());
      throw Errors.conflict(
          "Training dataset %s v%d td%d can no longer be recreated: it reads %s at Delta version %d, %s. Its stored rows "
              + "are intact; create a new training dataset to have one that can be recreated. `lakeline maintain` keeps "
              + "the versions training datasets read, where a plain VACUUM or a shorter log retention does not.",
          spec.name(), spec.version(), manifest.number(), g, version, why);
    }
  }

  /**
   * An entity split by a label column puts each value of the label in one split only (a test split of one class):
   * refused when a dataset is created (one made before is still recreated as it was), before anything is read.
   */
  private void refuseALabelAsEntity(SplitSpec split) {
    for (String c : split.kind() == SplitSpec.Kind.ENTITY ? split.entityColumns() : List.<String>of()) {
      if (view.spec().labels().contains(c)) {
        throw Errors.config(
            "The entity split uses the label column '%s' of the view %s: each value of the label would be in one split "
                + "only (a test split of one class). Split by an entity the rows belong to, such as a base key (%s).",
            c, view.spec().name(), view.identityColumns());
      }
    }
  }

  private Dataset<Row> build(TrainingDatasetManifest.Identity id) {
    Dataset<Row> frame = view.assemble(id.filter(), true, id.sourceVersions()).data();
    return withSplit(frame, id.split(), id.seed());
  }

  /** Adds the split column; rows in a time split's gap are dropped. */
  private Dataset<Row> withSplit(Dataset<Row> frame, SplitSpec split, long seed) {
    List<String> columns = Arrays.asList(frame.columns());
    return switch (split.kind()) {
      case RANDOM -> frame.withColumn(FeatureView.SPLIT, byBucket(bucket(seed, view.identityColumns()), split));
      case ENTITY -> {
        for (String c : split.entityColumns()) {
          if (!columns.contains(c)) {
            throw Errors.config(
                "The entity split uses the column '%s', which the view %s does not produce (it has %s). Use a base key, "
                    + "a join key or a base feature.",
                c, view.spec().name(), columns);
          }
        }
        yield frame.withColumn(FeatureView.SPLIT, byBucket(bucket(seed, split.entityColumns()), split));
      }
      case TIME -> byTime(frame, split);
    };
  }

  private static Column bucket(long seed, List<String> columns) {
    List<Column> cols = new ArrayList<>();
    cols.add(lit(seed));
    columns.forEach(c -> cols.add(col("`" + c + "`")));
    return pmod(xxhash64(cols.toArray(Column[]::new)), lit(BUCKETS));
  }

  private static Column byBucket(Column bucket, SplitSpec split) {
    long test = Math.round(split.testFraction() * BUCKETS);
    long validation = test + Math.round(split.validationFraction() * BUCKETS);
    return when(bucket.lt(lit(test)), SplitSpec.TEST)
        .when(bucket.lt(lit(validation)), SplitSpec.VALIDATION)
        .otherwise(SplitSpec.TRAIN);
  }

  /** Compared in UTC whatever the session's time zone: a DATE event time is its midnight UTC ({@link EventTimes}). */
  private Dataset<Row> byTime(Dataset<Row> frame, SplitSpec split) {
    String name = view.baseEventTime();
    Column time = col("`" + name + "`");
    DataType type = frame.schema().apply(name).dataType();
    long gap = split.gapSeconds();
    Instant testStart = split.testStartInstant();
    Column test = EventTimes.atOrAfter(time, type, testStart);
    Column beforeTestGap = EventTimes.before(time, type, testStart.minusSeconds(gap));
    Column assign;
    if (split.validationStartInstant() == null) {
      assign = when(test, SplitSpec.TEST).when(beforeTestGap, SplitSpec.TRAIN);
    } else {
      Instant validationStart = split.validationStartInstant();
      assign =
          when(test, SplitSpec.TEST)
              .when(EventTimes.atOrAfter(time, type, validationStart).and(beforeTestGap), SplitSpec.VALIDATION)
              .when(EventTimes.before(time, type, validationStart.minusSeconds(gap)), SplitSpec.TRAIN);
    }
    return frame.withColumn(FeatureView.SPLIT, assign).where(col(FeatureView.SPLIT).isNotNull());
  }
}
