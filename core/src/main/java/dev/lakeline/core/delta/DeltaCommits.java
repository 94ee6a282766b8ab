package dev.lakeline.core.delta;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakeline.core.Errors;
import dev.lakeline.core.internal.DeltaTransaction;
import dev.lakeline.core.spark.SqlColumns;
import io.delta.tables.DeltaTable;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Idempotent Delta commits. Each commit records its batch id and a content fingerprint in the commit's
 * {@code userMetadata}; a rerun of the same batch with the same content is a no-op (no new version) as long as
 * that earlier commit is still in effect, and a rerun with new content is committed by its mode (an {@code
 * OVERWRITE} or {@code REPLACE_WHERE} replaces the table or the slice; a {@code MERGE} updates and inserts rows but
 * never deletes those missing from the new content). An earlier commit is in effect:
 *
 * <ul>
 *   <li>{@link WriteMode#APPEND}, {@link WriteMode#MERGE}: always;
 *   <li>{@link WriteMode#OVERWRITE}: only while it is the table's latest commit;
 *   <li>{@link WriteMode#REPLACE_WHERE}: while the table's rows in the request's slice (those matching its
 *       predicate) are exactly the batch's rows. Another batch replacing an overlapping slice (monitoring windows
 *       that overlap from one date to the next, say) makes it stale, and the rerun commits the batch again. The
 *       check reads no data when the earlier commit is the latest one or every later commit changed no data
 *       (OPTIMIZE, VACUUM, ...); otherwise it fingerprints the slice's rows in the latest version.
 * </ul>
 *
 * Only Delta's concurrent-modification conflicts are retried.
 */
public final class DeltaCommits {
  static final int MAX_ATTEMPTS = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeltaCommits() {}

  /** The Delta table at {@code path} as a SQL table name ({@code delta.`path`}), its backticks escaped. */
  public static String sqlName(String path) {
    return "delta.`" + path.replace("`", "``") + "`";
  }

  /** Whether {@code path} holds a Delta table. */
  public static boolean exists(SparkSession spark, String path) {
    return DeltaTable.isDeltaTable(spark, path);
  }

  /**
   * Creates an empty table with {@code schema} at {@code path} unless one exists; another writer creating it at the
   * same moment is fine (theirs is kept).
   */
  public static void createIfAbsent(SparkSession spark, String path, StructType schema) {
    if (exists(spark, path)) {
      return;
    }
    try {
      DeltaTable.createIfNotExists(spark).location(path).addColumns(schema).execute();
    } catch (RuntimeException e) {
      if (!exists(spark, path)) {
        throw e;
      }
    }
  }

  /**
   * The table properties of the Delta table at {@code path} (its {@code TBLPROPERTIES}, with Delta's protocol
   * entries), read from the log's metadata alone. {@code DeltaTable.detail()} gives them too, but it also counts the
   * table's files and bytes, which replays every file of a snapshot not read before: most of the cost of opening a
   * feature group right after a write.
   */
  public static Map<String, String> properties(SparkSession spark, String path) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Row r : spark.sql("SHOW TBLPROPERTIES " + sqlName(path)).collectAsList()) {
      out.put(r.getString(0), r.getString(1));
    }
    return out;
  }

  /** The latest version of the table at {@code path}; a not-found error when there is no table. */
  public static long currentVersion(SparkSession spark, String path) {
    if (!exists(spark, path)) {
      throw Errors.notFound("There is no Delta table at %s. Run the job that creates it first.", path);
    }
    return DeltaLogFiles.latestVersion(spark, path);
  }

  /** Commits the batch (see the class comment). */
  public static CommitResult commit(SparkSession spark, CommitRequest request) {
    return commit(spark, request, null);
  }

  /**
   * Commits the batch, whose fingerprint is already known (computed in the same scan as its validation, say),
   * saving the pass over the data that computes it; null computes it.
   */
  public static CommitResult commit(SparkSession spark, CommitRequest request, ContentFingerprint known) {
    return commit(spark, request, known, Map.of());
  }

  /**
   * Commits the batch as {@link #commit(SparkSession, CommitRequest, ContentFingerprint)} does, for a table that got
   * columns after some of its commits: {@code addedColumns} gives each such column's value in the rows written
   * before it existed (a feature group's added feature and its default), so that a replay of an earlier batch is
   * compared with that batch's rows as the table holds them. A column neither the earlier commit nor this map has is
   * NULL there.
   */
  public static CommitResult commit(
      SparkSession spark, CommitRequest request, ContentFingerprint known, Map<String, Column> addedColumns) {
    ContentFingerprint fp = known != null ? known : ContentFingerprint.compute(request.data());
    for (int attempt = 1; ; attempt++) {
      // one look at the table per attempt: its version (-1 when absent) serves the replay check and the txn id
      long readVersion = exists(spark, request.path()) ? currentVersion(spark, request.path()) : -1;
      Long earlier = readVersion < 0 ? null : previousCommit(spark, request, fp, readVersion, addedColumns);
      if (earlier != null) {
        return new CommitResult(request.path(), earlier, fp.rows(), true);
      }
      String token = request.batchId() + "#" + fp.value() + "#" + System.nanoTime();
      try {
        write(spark, request, metadata(request, fp, token), readVersion + 1);
        Long mine = versionOf(spark, request.path(), token, readVersion);
        if (mine == null) {
          // Delta skipped the write: a concurrent writer committed this batch first (same transaction id).
          continue;
        }
        return new CommitResult(request.path(), mine, fp.rows(), false);
      } catch (ConcurrentModificationException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw Errors.conflict(
              e,
              "Gave up committing batch %s to %s after %d attempts: other writers kept changing the table (%s). "
                  + "Rerun the job; batches are idempotent.",
              request.batchId(), request.path(), attempt, e.getClass().getSimpleName());
        }
        sleep(200L * attempt);
      }
    }
  }

  static String metadata(CommitRequest request, ContentFingerprint fp, String token) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("lakeline.batch", request.batchId());
    m.put("lakeline.fingerprint", fp.value());
    m.put("lakeline.mode", request.mode().name());
    m.put("lakeline.token", token);
    request.metadata().forEach((k, v) -> m.put("lakeline." + k, v));
    return jsonString(m);
  }

  /**
   * Writes the batch with Delta's transaction id {@code (lakeline:<batch>, readVersion + 1)}: of two writers
   * racing with the same batch, Delta lets one commit and makes the other conflict (or skip), so a batch lands
   * once.
   */
  private static void write(SparkSession spark, CommitRequest request, String userMetadata, long txnVersion) {
    String appId = appId(request.batchId());
    if (request.mode() == WriteMode.MERGE && exists(spark, request.path())) {
      merge(spark, request, userMetadata, appId, txnVersion);
      return;
    }
    DataFrameWriter<Row> writer =
        request
            .data()
            .write()
            .format("delta")
            .option("userMetadata", userMetadata)
            .option("txnAppId", appId)
            .option("txnVersion", txnVersion);
    switch (request.mode()) {
      case APPEND, MERGE -> writer = writer.mode("append");
      case OVERWRITE -> writer = writer.mode("overwrite");
      case REPLACE_WHERE -> writer = writer.mode("overwrite").option("replaceWhere", request.replaceWhere());
    }
    if (request.mergeSchema()) {
      writer = writer.option("mergeSchema", "true");
    }
    if (!request.partitionColumns().isEmpty()) {
      writer = writer.partitionBy(request.partitionColumns().toArray(String[]::new));
    }
    writer.save(request.path());
  }

  /** Delta's transaction (application) id of a batch. */
  static String appId(String batchId) {
    return "lakeline:" + batchId;
  }

  /**
   * MERGE on the request's keys. Delta's MERGE takes commit metadata and transaction ids only from session
   * settings, so it runs in a copy of the caller's session (same SparkContext and cache, and the caller's settings:
   * storage credentials set with {@code spark.conf.set}, codecs, Delta options) that carries them for this commit
   * alone; the caller's session is not changed.
   */
  private static void merge(SparkSession spark, CommitRequest request, String userMetadata, String appId, long txnVersion) {
    SparkSession session = spark.cloneSession();
    session.conf().set("spark.databricks.delta.commitInfo.userMetadata", userMetadata);
    session.conf().set("spark.databricks.delta.write.txnAppId", appId);
    session.conf().set("spark.databricks.delta.write.txnVersion", Long.toString(txnVersion));
    session.conf().set("spark.databricks.delta.write.txnVersion.autoReset.enabled", "true");
    var source = session.createDataFrame(request.data().javaRDD(), request.data().schema());
    String on =
        request.mergeKeys().stream()
            .map(k -> "t." + SqlColumns.quoted(k) + " <=> s." + SqlColumns.quoted(k))
            .reduce((a, b) -> a + " AND " + b)
            .orElseThrow();
    // every column by its quoted name: Delta's updateAll/insertAll cannot expand names that hold a backtick
    Map<String, Column> assignments = new LinkedHashMap<>();
    for (String c : request.data().columns()) {
      assignments.put(SqlColumns.quoted(c), col("s." + SqlColumns.quoted(c)));
    }
    DeltaTable.forPath(session, request.path())
        .as("t")
        .merge(source.as("s"), on)
        .whenMatched()
        .update(assignments)
        .whenNotMatched()
        .insert(assignments)
        .execute();
  }

  /**
   * The version of an earlier commit of this batch with the same content that is still in effect, or null.
   * An append or a merge stays in effect; a whole-table overwrite is in effect only while it is the latest commit;
   * a slice replacement is in effect while the slice still holds exactly the batch's rows ({@link #sliceUnchanged}),
   * which another batch replacing an overlapping slice since then may have changed.
   */
  private static Long previousCommit(
      SparkSession spark, CommitRequest request, ContentFingerprint fp, long latest, Map<String, Column> addedColumns) {
    List<Row> history =
        DeltaTable.forPath(spark, request.path())
            .history()
            .where(col("userMetadata").contains("\"lakeline.batch\":" + jsonString(request.batchId())))
            .orderBy(col("version").desc())
            .select("version", "userMetadata")
            .limit(1)
            .collectAsList();
    if (history.isEmpty()) {
      return null;
    }
    long version = history.get(0).getLong(0);
    JsonNode meta = parse(history.get(0).getString(1));
    ContentFingerprint[] computed = new ContentFingerprint[1];
    // the batch's fingerprint, computed at most once when it is deferred (both checks below may need it)
    java.util.function.Supplier<ContentFingerprint> batch = () -> {
      if (computed[0] == null) {
        computed[0] = fp.isDeferred() ? ContentFingerprint.compute(request.data()) : fp;
      }
      return computed[0];
    };
    if (!sameContent(spark, request, fp, batch, version, meta.path("lakeline.fingerprint").asText(), addedColumns)) {
      if (request.mode() == WriteMode.APPEND) {
        throw Errors.conflict(
            "Batch %s was already appended to %s (version %d) with different content. Appending it again would "
                + "duplicate rows: replace the batch instead (overwrite, upsert or REPLACE_WHERE its slice; on the command "
                + "line --mode overwrite|upsert), or give the new batch another id (--batch-id).",
            request.batchId(), request.path(), version);
      }
      return null;
    }
    if (version == latest) {
      return version;
    }
    return switch (request.mode()) {
      case OVERWRITE -> null;
      case REPLACE_WHERE -> sliceUnchanged(spark, request, batch, version, latest) ? version : null;
      case APPEND, MERGE -> version;
    };
  }

  /**
   * Whether the table's rows in the request's slice at version {@code latest} are exactly the batch's rows, which
   * the batch's earlier commit at {@code version} (older than {@code latest}) wrote there. Reads no data when every
   * commit after {@code version} changed none (OPTIMIZE, VACUUM, a dropped commit file counts as a change);
   * otherwise compares the fingerprint of the rows matching the slice's predicate, in the batch's columns and
   * schema, with the batch's ({@code batch}: computed once if it is deferred).
   */
  private static boolean sliceUnchanged(
      SparkSession spark, CommitRequest request, java.util.function.Supplier<ContentFingerprint> batch, long version, long latest) {
    boolean changed = false;
    for (long v = latest; v > version && !changed; v--) {
      changed = DeltaLogFiles.changesData(spark, request.path(), v);
    }
    if (!changed) {
      return true;
    }
    StructType schema = request.data().schema();
    Dataset<Row> table = spark.read().format("delta").option("versionAsOf", latest).load(request.path());
    Set<String> tableColumns = new HashSet<>();
    for (String c : table.columns()) {
      tableColumns.add(c.toLowerCase(Locale.ROOT));
    }
    for (String c : schema.fieldNames()) {
      if (!tableColumns.contains(c.toLowerCase(Locale.ROOT))) {
        return false; // the table lost one of the batch's columns since: write the batch again
      }
    }
    Column[] columns = Arrays.stream(schema.fieldNames()).map(SqlColumns::col).toArray(Column[]::new);
    ContentFingerprint slice = ContentFingerprint.compute(table.where(request.replaceWhere()).select(columns), schema);
    return batch.get().value().equals(slice.value());
  }

  /**
   * Whether the batch with fingerprint {@code fp} has the content of the earlier commit at {@code version}, which
   * recorded {@code recorded}. Either side may be {@link ContentFingerprint#deferred} (it stands for the commit's
   * own files, or the batch's rows): the row counts are compared first, then what is deferred is computed, in the
   * batch's schema.
   */
  private static boolean sameContent(
      SparkSession spark, CommitRequest request, ContentFingerprint fp, java.util.function.Supplier<ContentFingerprint> batch,
      long version, String recorded, Map<String, Column> addedColumns) {
    if (!ContentFingerprint.isDeferred(recorded) && !fp.isDeferred()) {
      return fp.value().equals(recorded);
    }
    if (!recorded.startsWith(fp.rows() + ":")) {
      return false; // another row count
    }
    StructType schema = request.data().schema();
    ContentFingerprint mine = batch.get();
    if (!ContentFingerprint.isDeferred(recorded)) {
      return mine.value().equals(recorded);
    }
    Dataset<Row> committed = DeltaTransaction.rowsAddedAt(spark, request.path(), version);
    if (committed == null) {
      throw Errors.conflict(
          "Batch %s was already committed to %s (version %d), and that commit's log entry has expired, so its content "
              + "cannot be compared with this batch's. Give the batch another id if it is new data.",
          request.batchId(), request.path(), version);
    }
    // a column added to the table after that commit is not in its files: its rows hold the column's added value
    Set<String> written = new HashSet<>();
    for (String c : committed.columns()) {
      written.add(c.toLowerCase(Locale.ROOT));
    }
    Column[] columns = Arrays.stream(schema.fields())
        .map(f -> written.contains(f.name().toLowerCase(Locale.ROOT)) ? SqlColumns.col(f.name())
            : addedColumns.getOrDefault(f.name(), org.apache.spark.sql.functions.lit(null)).cast(f.dataType()).as(f.name()))
        .toArray(Column[]::new);
    return mine.value().equals(ContentFingerprint.compute(committed.select(columns), schema).value());
  }

  /**
   * The version of the commit that carries {@code token}, or null when there is none (the write was skipped):
   * read from the newest commit files back to {@code from} (the version the write started from).
   */
  private static Long versionOf(SparkSession spark, String path, String token, long from) {
    for (long v = DeltaLogFiles.latestVersion(spark, path); v > from; v--) {
      String meta = DeltaLogFiles.userMetadata(spark, path, v);
      if (meta != null && meta.contains(token)) {
        return v;
      }
    }
    return null;
  }

  /**
   * Appends rows that carry their own unique id (a validation report, say) at most once: Delta's transaction id
   * {@code (lakeline:<id>, 0)} makes it skip a second append of the same id, so no fingerprint and no history
   * scan are needed. A second append with the same id is skipped whatever its content: the first one wins.
   * {@code rows} is the number of rows in {@code data}, as the caller knows it. An existing table with the rows'
   * schema gets them through Delta's transaction API (cheaper for a few rows); otherwise the DataFrame writer
   * creates the table or reports the schema difference.
   */
  public static CommitResult appendOnce(SparkSession spark, String path, org.apache.spark.sql.Dataset<Row> data, long rows, String id) {
    String token = id + "#" + System.nanoTime();
    String userMetadata = appendOnceMetadata(id, token);
    if (exists(spark, path)) {
      Long version = StagedAppend.appendOnce(spark, path, data, appId(id), userMetadata);
      if (version != null) {
        return version >= 0 ? new CommitResult(path, version, rows, false) : new CommitResult(path, earlierAppend(spark, path, id), rows, true);
      }
    }
    long from = exists(spark, path) ? currentVersion(spark, path) : -1;
    for (int attempt = 1; ; attempt++) {
      try {
        data.write().format("delta").mode("append")
            .option("userMetadata", userMetadata)
            .option("txnAppId", appId(id))
            .option("txnVersion", 0L)
            .save(path);
        break;
      } catch (ConcurrentModificationException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw Errors.conflict(e, "Gave up appending %s to %s after %d attempts: other writers kept changing the table. Rerun.",
              id, path, attempt);
        }
        sleep(200L * attempt);
      }
    }
    Long mine = versionOf(spark, path, token, from);
    if (mine != null) {
      return new CommitResult(path, mine, rows, false);
    }
    return new CommitResult(path, earlierAppend(spark, path, id), rows, true);
  }

  /** The commit metadata of an {@link #appendOnce} of {@code id}: the id, the mode and a token unique to the attempt. */
  static String appendOnceMetadata(String id, String token) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("lakeline.batch", id);
    m.put("lakeline.mode", "APPEND_ONCE");
    m.put("lakeline.token", token);
    return jsonString(m);
  }

  /** The version of an earlier {@link #appendOnce} of {@code id}, or -1 when the history no longer shows it. */
  private static long earlierAppend(SparkSession spark, String path, String id) {
    List<Row> earlier = DeltaTable.forPath(spark, path).history()
        .where(col("userMetadata").contains("\"lakeline.batch\":" + jsonString(id)))
        .select("version").limit(1).collectAsList();
    return earlier.isEmpty() ? -1 : earlier.get(0).getLong(0);
  }

  /**
   * The entries of a JSON object of strings as Lakeline writes them: a commit's userMetadata ({@code lakeline.batch},
   * {@code lakeline.run_id}, …) or a table property. Empty for null, and for text that is not such an object (another
   * tool's userMetadata).
   */
  public static Map<String, String> readMetadata(String json) {
    if (json == null || !json.trim().startsWith("{")) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      return Map.of();
    }
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json == null ? "{}" : json);
    } catch (JsonProcessingException e) {
      return JSON.createObjectNode();
    }
  }

  private static String jsonString(Object s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while retrying a Delta commit", e);
    }
  }
}
