package dev.lakeline.featurestore;

import dev.lakeline.core.Errors;
import dev.lakeline.core.Messages;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.storage.LakeFiles;
import dev.lakeline.core.storage.StorageLayout;
import io.delta.tables.DeltaTable;
import java.io.OutputStream;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Maintenance of a lakehouse's Delta tables that keeps its training datasets recreatable: compaction of the small
 * files that daily batches leave ({@code OPTIMIZE}), removal of the data files no version needs any longer ({@code
 * VACUUM}), and the history retention of the feature groups.
 *
 * <p>Delta's {@code VACUUM} only knows a retention period; it does not know that a training dataset's manifest
 * promises to read {@code loans v1} at Delta version 5 again. Here every training dataset's sources are protected:
 * a table's vacuum keeps, whatever retention was asked for, every file removed after the oldest version a training
 * dataset reads (from a day before the commit that followed it). Training datasets are immutable and are not touched;
 * raw data, models and feature view definitions are not Delta tables of Lakeline's and are left alone.
 *
 * <p>The one place where Lakeline reads the clock: {@code VACUUM}'s retention counts back from now, and so must the
 * hours it keeps for a protected version.
 */
public final class Maintenance {
  /** Files removed up to this long before the commit after a protected version are kept too (writers' clocks, long transactions). */
  static final double MARGIN_HOURS = 24.0;

  private static final double DEFAULT_FILE_RETENTION_HOURS = 7 * 24.0;
  private static final Set<String> NOT_TABLES = Set.of("raw", "models", "training_datasets", "feature_views");
  private static final Pattern INTERVAL =
      Pattern.compile("(?i)\\s*interval\\s+(\\d+)\\s+(second|minute|hour|day|week)s?\\s*");

  /**
   * What to do.
   *
   * @param optimize compact small files ({@code OPTIMIZE}, bin-packing)
   * @param vacuum delete the files no retained version needs ({@code VACUUM})
   * @param retainHours the retention of the vacuum in hours; null for each table's own {@code
   *     delta.deletedFileRetentionDuration} (Delta's default: 7 days). Shorter than the table's own is allowed only
   *     because it is asked for explicitly; versions that training datasets read are kept regardless
   * @param check change nothing: report what would be deleted and whether every training dataset can be recreated
   * @param only relative table paths (or their beginnings, {@code feature_groups/loans}) to maintain; empty for all
   */
  public record Options(boolean optimize, boolean vacuum, Double retainHours, boolean check, List<String> only) {
    public Options {
      if (retainHours != null && (retainHours < 0 || retainHours.isNaN() || retainHours.isInfinite())) {
        throw Errors.config("The vacuum retention must be a number of hours, 0 or more; got %s.", retainHours);
      }
      only = only == null ? List.of() : List.copyOf(only);
    }

    /** Compact and vacuum every table, each with its own retention. */
    public static Options all() {
      return new Options(true, true, null, false, List.of());
    }

    /**
     * How long the files of a creation that never finished (a training dataset without manifest, a model version
     * without card) must be idle before they are deleted: the vacuum's retention ({@code retainHours}, else Delta's
     * default of 7 days), at least {@link #MARGIN_HOURS}, so a creation still running is left alone.
     */
    public double incompleteIdleHours() {
      return Math.max(MARGIN_HOURS, retainHours != null ? retainHours : DEFAULT_FILE_RETENTION_HOURS);
    }

    /** Whether incomplete creations idle for {@link #incompleteIdleHours()} are deleted (not with a check or without vacuum). */
    public boolean deletesIncomplete() {
      return vacuum && !check;
    }
  }

  /**
   * A Delta version of a table that a training dataset reads.
   *
   * @param table the table, relative to the root ({@code feature_groups/loans/v1})
   * @param version the Delta version
   * @param dataset the training dataset ("view v1 td3")
   */
  public record Protection(String table, long version, String dataset) {}

  /**
   * What maintenance did to one table.
   *
   * @param table the table, relative to the root
   * @param kind feature group, quarantine, predictions or lakeline (Lakeline's own tables)
   * @param versionBefore its Delta version before (-1 when maintenance failed before reading it)
   * @param version its Delta version afterwards; above {@code versionBefore} when maintenance committed to it (OPTIMIZE,
   *     VACUUM, a retention change), the same with {@code check}
   * @param filesBefore its data files before
   * @param filesAfter its data files afterwards (the current version's; the same as before with {@code check})
   * @param filesCompacted the small files {@code OPTIMIZE} rewrote into larger ones
   * @param filesVacuumed the files {@code VACUUM} deleted (would delete, with {@code check})
   * @param retainedHours the retention the vacuum used, in hours; null without vacuum
   * @param keptFor the training datasets whose versions made the retention longer than asked, or null
   * @param history the table's history retention: {@code 365 days}, {@code 365 days (set)}, {@code default}
   * @param error why maintenance failed for this table, or null
   */
  public record TableResult(
      String table,
      String kind,
      long versionBefore,
      long version,
      long filesBefore,
      long filesAfter,
      long filesCompacted,
      long filesVacuumed,
      Double retainedHours,
      String keptFor,
      String history,
      String error) {
    /** Whether maintenance committed to the table: its Delta version moved on (never with {@code check}). */
    public boolean changed() {
      return error == null && version > versionBefore;
    }
  }

  /**
   * Whether a training dataset can still be recreated from its sources: every version it reads is in its table's
   * Delta log and every data file of that version is there.
   *
   * @param dataset "view v1 td3"
   * @param recreatable true when all its sources are readable at the recorded versions
   * @param problem what is missing, or null
   */
  public record DatasetCheck(String dataset, boolean recreatable, String problem) {}

  /**
   * A training dataset whose creation never finished: its number claimed, maybe rows written, but no manifest (the
   * job was killed or failed between the two). Nothing lists or reads it. Once no file under it has been written for
   * the vacuum's retention, and at least a day (no creation runs that long), its files are deleted; the claim stays, so its number is
   * never given to another dataset.
   *
   * @param dataset "view v1 td3"
   * @param idleHours hours since a file under it was last written
   * @param files the files under it besides the claim
   * @param deleted whether they were deleted (never with {@code check}, without vacuum, or within the retention)
   */
  public record IncompleteDataset(String dataset, double idleHours, long files, boolean deleted) {}

  /** The tables maintained, the training datasets checked afterwards, and the incomplete ones found. */
  public record Result(List<TableResult> tables, List<DatasetCheck> datasets, List<IncompleteDataset> incomplete) {
    /** The tables whose maintenance failed. */
    public List<TableResult> failed() {
      return tables.stream().filter(t -> t.error() != null).toList();
    }

    /** The training datasets that can no longer be recreated from their sources. */
    public List<DatasetCheck> notRecreatable() {
      return datasets.stream().filter(d -> !d.recreatable()).toList();
    }
  }

  private final FeatureStore store;
  private final SparkSession spark;
  private final StorageLayout layout;
  private final LakeFiles files;

  private Maintenance(FeatureStore store) {
    this.store = store;
    this.spark = store.spark();
    this.layout = store.layout();
    this.files = LakeFiles.of(spark);
  }

  /** Maintenance of the store's lakehouse; feature groups get the store's {@link FeatureStore#historyRetentionDays()}. */
  public static Maintenance of(FeatureStore store) {
    return new Maintenance(store);
  }

  /**
   * Lakeline's Delta tables under the root, relative to it and sorted: feature groups, predictions, quarantine and
   * Lakeline's own tables ({@code _lakeline/…}). Not training datasets (immutable), raw data, models or views, nor a
   * folder whose log holds no commit yet (a first write that was stopped before its commit).
   */
  public List<String> tables() {
    List<String> out = new ArrayList<>();
    walk("", 0, out);
    return out;
  }

  private void walk(String relative, int depth, List<String> out) {
    List<String> entries = files.list(absolute(relative));
    if (!relative.isEmpty() && entries.contains("_delta_log")) {
      // a log without a commit is a table whose first write was stopped before its commit (a killed first infer or
      // monitor): not a table yet, and nothing to maintain; the job's rerun creates it
      if (DeltaCommits.exists(spark, absolute(relative))) {
        out.add(relative);
      }
      return;
    }
    if (depth >= 4) {
      return;
    }
    for (String e : new TreeSet<>(entries)) {
      boolean hidden = e.startsWith(".") || e.startsWith("_") && !(depth == 0 && e.equals("_lakeline"));
      // names of groups, models and versions never hold a dot: a dot is a file (part-….parquet, model.json)
      if (hidden || e.contains(".") || depth == 0 && NOT_TABLES.contains(e)) {
        continue;
      }
      walk(relative.isEmpty() ? e : relative + "/" + e, depth + 1, out);
    }
  }

  /** Every Delta version that a training dataset of the lakehouse reads, by dataset. */
  public List<Protection> protections() {
    return protections(store.listFeatureViews());
  }

  private List<Protection> protections(List<FeatureView> views) {
    List<Protection> out = new ArrayList<>();
    for (FeatureView view : views) {
      for (TrainingDataset td : store.listTrainingDatasets(view.spec().name(), view.spec().version())) {
        TrainingDatasetManifest m = td.manifest();
        out.add(new Protection(groupTable(m.spine().group()), m.spine().deltaVersion(), td.label()));
        for (TrainingDatasetManifest.JoinedGroup j : m.joins()) {
          out.add(new Protection(groupTable(j.group()), j.deltaVersion(), td.label()));
        }
      }
    }
    return out;
  }

  /** Maintains every table (or those {@code options.only()} names), reporting each as it is done. */
  public Result run(Options options, Consumer<TableResult> progress) {
    List<String> tables = tables().stream()
        .filter(t -> options.only().isEmpty() || options.only().stream().anyMatch(o -> t.equals(o) || t.startsWith(o + "/")))
        .toList();
    if (tables.isEmpty() && !options.only().isEmpty()) {
      throw Errors.notFound("No Delta table of the lakehouse %s matches %s. Its tables: %s.", layout.root(), options.only(), tables());
    }
    List<FeatureView> views = store.listFeatureViews(); // read once: the protections and the incomplete datasets
    List<Protection> protections = protections(views);
    List<TableResult> results = new ArrayList<>();
    for (String table : tables) {
      TableResult r;
      try {
        r = maintain(table, options, protections);
      } catch (Exception e) { // Delta's exceptions are checked ones to Java
        r = new TableResult(table, kind(table), -1, -1, 0, 0, 0, 0, null, null, null, Messages.firstLine(e));
      }
      results.add(r);
      progress.accept(r);
    }
    List<IncompleteDataset> incomplete = options.only().isEmpty() ? incomplete(options, views) : List.of();
    return new Result(results, check(protections), incomplete);
  }

  /**
   * The training datasets without a manifest that hold files besides their claim; those idle for longer than the
   * vacuum's retention ({@code options.retainHours()}, else Delta's default of 7 days; at least {@link #MARGIN_HOURS})
   * lose those files, unless
   * {@code options} only checks or does not vacuum. Counted back from the clock, as VACUUM does.
   */
  List<IncompleteDataset> incomplete(Options options) {
    return incomplete(options, store.listFeatureViews());
  }

  private List<IncompleteDataset> incomplete(Options options, List<FeatureView> views) {
    double retention = options.incompleteIdleHours();
    long now = now();
    List<IncompleteDataset> out = new ArrayList<>();
    for (FeatureView view : views) {
      String name = view.spec().name();
      int version = view.spec().version();
      for (String entry : new TreeSet<>(files.list(layout.trainingDatasets(name, version)))) {
        if (!entry.matches("td[0-9]+")) {
          continue;
        }
        String dir = layout.trainingDataset(name, version, Integer.parseInt(entry.substring(2)));
        if (files.exists(dir + "/" + TrainingDataset.MANIFEST)) {
          continue;
        }
        Map<String, Long> written = files.modifiedUnder(dir);
        long others = written.keySet().stream().filter(f -> !f.endsWith("/" + TrainingDatasets.CLAIM)).count();
        if (others == 0) {
          continue; // a claim alone: nothing to delete
        }
        double idle = (now - written.values().stream().mapToLong(Long::longValue).max().orElse(now)) / 3_600_000.0;
        boolean delete = options.deletesIncomplete() && idle > retention;
        if (delete) {
          files.list(dir).stream().filter(e -> !e.equals(TrainingDatasets.CLAIM)).forEach(e -> files.delete(dir + "/" + e));
        }
        out.add(new IncompleteDataset(name + " v" + version + " " + entry, idle, others, delete));
      }
    }
    return out;
  }

  private TableResult maintain(String table, Options options, List<Protection> protections) {
    String path = absolute(table);
    long versionBefore = DeltaCommits.currentVersion(spark, path);
    Row detail = DeltaTable.forPath(spark, path).detail().select("numFiles", "properties").head();
    long before = detail.getLong(0);
    Map<String, String> properties = new java.util.HashMap<>(detail.<String, String>getJavaMap(1));
    String history = history(table, path, properties, options.check()); // updates properties to the retention set
    history = rowTracking(table, path, properties, options.check(), history);
    Map<String, Long> present = files.modifiedUnder(path);
    OnDisk onDisk = OnDisk.of(path, present.keySet());
    long compacted = 0;
    if (options.optimize() && !options.check() && (before > 1 || onDisk.deletionVectors())) {
      Row metrics = DeltaTable.forPath(spark, path).optimize().executeCompaction().select("metrics.numFilesRemoved").head();
      compacted = metrics.isNullAt(0) ? 0 : metrics.getLong(0);
    }
    Double hours = null;
    String keptFor = null;
    long vacuumed = 0;
    if (options.vacuum()) {
      double asked = options.retainHours() != null ? options.retainHours() : fileRetentionHours(properties);
      Hold hold = hold(table, path, protections);
      hours = Math.max(asked, hold.hours());
      keptFor = hold.hours() > asked ? hold.datasets() : null;
      // VACUUM that would delete nothing still adds two commits and costs a few dozen Spark jobs: it runs only when
      // a file the current version does not read was written before the retention began
      if ((compacted > 0 || !onDisk.onlyCurrent(before)) && anyOlder(path, present, now() - (long) (hours * 3_600_000))) {
        vacuumed = vacuum(path, options, hours, present.keySet());
      }
    }
    long after = compacted == 0 ? before : DeltaTable.forPath(spark, path).detail().select("numFiles").head().getLong(0);
    long version = DeltaCommits.currentVersion(spark, path);
    return new TableResult(table, kind(table), versionBefore, version, before, after, compacted, vacuumed, hours, keptFor, history, null);
  }

  /** VACUUM (a dry run with {@code check}) with the retention of {@code hours}; the files it deleted (would delete). */
  private long vacuum(String path, Options options, double hours, Set<String> present) {
    // a dry run deletes nothing: Delta's check of a retention below the table's own would only stop a check that
    // reports what a shorter lakehouse.history-retention-days would do
    SparkSession session = vacuumSession(options.retainHours() != null || options.check());
    if (options.check()) {
      String sqlHours = String.format(Locale.ROOT, "%.6f", hours);
      String sql = "VACUUM " + DeltaCommits.sqlName(path) + " RETAIN " + sqlHours + " HOURS DRY RUN";
      return quietly(() -> session.sql(sql).count());
    }
    Set<String> gone = new java.util.HashSet<>(present);
    quietly(() -> DeltaTable.forPath(session, path).vacuum(hours));
    gone.removeAll(files.filesUnder(path));
    // the data files it deleted (a checkpoint of VACUUM's own commits may clean up expired log files meanwhile)
    return gone.stream().filter(f -> !f.contains("/_delta_log/")).count();
  }

  /**
   * Whether a file under the table that its current version does not read was last written before {@code cutoff}
   * (milliseconds). Only such a file can be deleted by {@code VACUUM} with that cutoff: it deletes a file that no
   * version reads once its removal (which comes after its writing) or, for a file no commit ever added, its writing
   * is older than the retention. A path spelled differently here and in Delta's list only makes {@code VACUUM} run.
   */
  private boolean anyOlder(String path, Map<String, Long> present, long cutoff) {
    Set<String> current = new java.util.HashSet<>(VersionFiles.current(spark, path));
    String root = new org.apache.hadoop.fs.Path(path).toUri().getPath();
    return present.entrySet().stream()
        .anyMatch(e -> OnDisk.candidate(root, e.getKey()) && !current.contains(e.getKey()) && e.getValue() < cutoff);
  }

  /**
   * What a table's folder holds besides its log, as {@code VACUUM} sees it: the files it may delete are those no
   * retained version reads, among the files whose names do not start with a dot (the local file system's checksums,
   * which go with their file). A table whose folder holds no more of those than its current version has data files
   * has nothing else (the current version's files are all there), so {@code VACUUM} would delete nothing: this is
   * known from the listing alone, without asking Delta which files those are ({@link #anyOlder}). Counting every
   * other file, hidden ones included, errs towards running it.
   *
   * @param candidates the files outside {@code _delta_log} whose names do not start with a dot
   * @param deletionVectors whether any is a deletion vector: then even one data file may have rows to purge
   */
  record OnDisk(long candidates, boolean deletionVectors) {
    static OnDisk of(String path, Set<String> files) {
      String root = new org.apache.hadoop.fs.Path(path).toUri().getPath();
      long candidates = 0;
      boolean deletionVectors = false;
      for (String f : files) {
        if (candidate(root, f)) {
          candidates++;
          deletionVectors |= f.substring(f.lastIndexOf('/') + 1).startsWith("deletion_vector_");
        }
      }
      return new OnDisk(candidates, deletionVectors);
    }

    /** Whether {@code VACUUM} may delete the file: outside the log, its name not a dot file's (paths as listed). */
    static boolean candidate(String root, String file) {
      String relative = file.startsWith(root + "/") ? file.substring(root.length() + 1) : file;
      return !relative.startsWith("_delta_log/") && !relative.substring(relative.lastIndexOf('/') + 1).startsWith(".");
    }

    /** Whether the folder holds nothing but the current version's {@code dataFiles} files. */
    boolean onlyCurrent(long dataFiles) {
      return candidates <= dataFiles && !deletionVectors;
    }
  }

  /**
   * The session to vacuum with. Delta lists a table's files with Spark's partition discovery parallelism (10,000
   * tasks by default, minutes of scheduling for a small table); a few tasks per core list as fast. An explicit
   * retention shorter than the table's own is the caller's decision, which Delta would otherwise refuse.
   */
  private SparkSession vacuumSession(boolean explicitRetention) {
    SparkSession session = spark.cloneSession(); // the caller's settings (storage credentials among them), changed here alone
    String key = "spark.sql.sources.parallelPartitionDiscovery.parallelism";
    int current = Integer.parseInt(spark.conf().get(key, "10000"));
    int parallelism = Math.max(2, 4 * spark.sparkContext().defaultParallelism());
    session.conf().set(key, Integer.toString(Math.min(current, parallelism)));
    if (explicitRetention) {
      session.conf().set("spark.databricks.delta.retentionDurationCheck.enabled", "false");
    }
    return session;
  }

  /** How long the table keeps its history; a feature group's is set to the store's when it differs. */
  private String history(String table, String path, Map<String, String> properties, boolean check) {
    String log = properties.get(FeatureStore.LOG_RETENTION);
    String shown = log == null ? "default" : log.replaceFirst("(?i)^\\s*interval\\s+", "");
    if (!kind(table).equals("feature group")) {
      return shown;
    }
    Map<String, String> wanted = FeatureStore.retentionProperties(store.historyRetentionDays());
    boolean same = wanted.entrySet().stream().allMatch(e -> e.getValue().equals(properties.get(e.getKey())));
    String target = store.historyRetentionDays() + " days";
    if (same) {
      return target;
    }
    properties.putAll(wanted); // what the vacuum goes by (in a check too: what a real run would do)
    if (check) {
      return shown + " (would set " + target + ")";
    }
    StringBuilder set = new StringBuilder();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(wanted).entrySet()) {
      set.append(set.isEmpty() ? "" : ", ").append('\'').append(e.getKey()).append("' = '").append(e.getValue()).append('\'');
    }
    spark.sql("ALTER TABLE " + DeltaCommits.sqlName(path) + " SET TBLPROPERTIES (" + set + ")");
    return target + " (set; was " + shown + ")";
  }

  /**
   * A feature group created before Lakeline turned row tracking on gets it, so that its views take the later commit's
   * row of two with the same key and event time ({@link CommitOrder}); its earlier versions, and the training datasets
   * that read them, stay as they were. Said after the history retention: {@code 365 days; row tracking turned on}.
   */
  private String rowTracking(String table, String path, Map<String, String> properties, boolean check, String history) {
    if (!kind(table).equals("feature group") || "true".equalsIgnoreCase(properties.get(FeatureStore.ROW_TRACKING))) {
      return history;
    }
    if (check) {
      return history + "; would turn on row tracking";
    }
    spark.sql("ALTER TABLE " + DeltaCommits.sqlName(path) + " SET TBLPROPERTIES ('" + FeatureStore.ROW_TRACKING + "' = 'true')");
    return history + "; row tracking turned on";
  }

  /**
   * The clock's time, in milliseconds: the one place Lakeline reads it. Maintenance counts retentions back from now,
   * as Delta's {@code VACUUM} does (and so do the clean-ups of incomplete datasets and model versions).
   */
  public static long now() {
    return System.currentTimeMillis();
  }

  private record Hold(double hours, String datasets) {}

  /**
   * The retention that keeps every version of the table that a training dataset reads: files are removed from a
   * version only by a later commit, so keeping everything removed since the commit after the oldest such version
   * (less a margin) keeps them all.
   */
  private Hold hold(String table, String path, List<Protection> protections) {
    List<Protection> mine = protections.stream().filter(p -> p.table().equals(table)).toList();
    if (mine.isEmpty()) {
      return new Hold(0, null);
    }
    long oldest = mine.stream().mapToLong(Protection::version).min().getAsLong();
    long latest = DeltaCommits.currentVersion(spark, path);
    if (oldest >= latest) {
      return new Hold(0, null); // the version is the latest: nothing has been removed from it
    }
    // the newest (latest - oldest) commits reach back to the one after the oldest protected version
    List<Row> next = DeltaTable.forPath(spark, path).history((int) Math.min(Integer.MAX_VALUE, latest - oldest))
        .filter("version = " + (oldest + 1)).select("timestamp").collectAsList();
    if (next.isEmpty()) {
      return new Hold(0, null); // its successor's commit has left the log: the version cannot be read anyway
    }
    long since = ((Timestamp) next.get(0).get(0)).getTime();
    double hours = (now() - since) / 3_600_000.0 + MARGIN_HOURS;
    Set<String> datasets = new TreeSet<>();
    mine.forEach(p -> datasets.add(p.dataset()));
    return new Hold(hours, String.join(", ", datasets));
  }

  /** Whether every training dataset's sources are still readable at the versions it recorded. */
  private List<DatasetCheck> check(List<Protection> protections) {
    Map<String, List<String>> problems = new LinkedHashMap<>();
    Map<String, Set<String>> present = new LinkedHashMap<>();
    for (Protection p : protections) {
      List<String> mine = problems.computeIfAbsent(p.dataset(), d -> new ArrayList<>());
      String path = absolute(p.table());
      try {
        VersionFiles v = VersionFiles.of(spark, path, p.version(), present.computeIfAbsent(path, files::filesUnder));
        if (v.unreadable() != null) {
          mine.add(String.format("%s at version %d cannot be read: %s", p.table(), p.version(), v.unreadable()));
        } else if (v.missing() > 0) {
          mine.add(String.format("%d of the %d files of %s at version %d were deleted", v.missing(), v.files(), p.table(), p.version()));
        }
      } catch (Exception e) { // any other failure to read it
        mine.add(String.format("%s at version %d cannot be read: %s", p.table(), p.version(), Messages.firstLine(e)));
      }
    }
    List<DatasetCheck> out = new ArrayList<>();
    problems.forEach((d, list) -> out.add(new DatasetCheck(d, list.isEmpty(), list.isEmpty() ? null : String.join("; ", list))));
    return out;
  }

  /** The retention of removed files the table asks for ({@code delta.deletedFileRetentionDuration}), in hours. */
  static double fileRetentionHours(Map<String, String> properties) {
    String value = properties.get(FeatureStore.FILE_RETENTION);
    if (value == null) {
      return DEFAULT_FILE_RETENTION_HOURS;
    }
    Matcher m = INTERVAL.matcher(value);
    if (!m.matches()) {
      return DEFAULT_FILE_RETENTION_HOURS;
    }
    double n = Double.parseDouble(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "second" -> n / 3600;
      case "minute" -> n / 60;
      case "hour" -> n;
      case "day" -> n * 24;
      default -> n * 24 * 7;
    };
  }

  /** The kind of a table from where it lives. */
  static String kind(String table) {
    if (table.startsWith("feature_groups/")) {
      return "feature group";
    }
    if (table.startsWith("predictions/")) {
      return "predictions";
    }
    if (table.startsWith("_lakeline/quarantine/")) {
      return "quarantine";
    }
    return table.startsWith("_lakeline/") ? "lakeline" : "other";
  }

  /** The table of a group labelled "name vN" in a manifest, relative to the root. */
  private String groupTable(String label) {
    int v = label.lastIndexOf(" v");
    String path = layout.featureGroup(label.substring(0, v), Integer.parseInt(label.substring(v + 2)));
    return path.substring(layout.root().length() + 1);
  }

  private String absolute(String relative) {
    return relative.isEmpty() ? layout.root() : layout.root() + "/" + relative;
  }


  /**
   * Runs a Delta call with Scala's console output dropped: {@code VACUUM} prints "Deleted N files and directories in
   * a total of M directories" with Scala's {@code println}, between this job's own lines, while the table of results
   * already says what each vacuum deleted.
   */
  private static <T> T quietly(scala.Function0<T> call) {
    return scala.Console.withOut(OutputStream.nullOutputStream(), call);
  }
}
