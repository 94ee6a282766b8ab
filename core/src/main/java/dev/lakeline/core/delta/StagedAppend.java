package dev.lakeline.core.delta;

import java.io.IOException;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.FileAction;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * An append to an existing Delta table whose data files are written but not yet committed: {@link #commit}
 * makes them the table's next version (with the batch's id, fingerprint and transaction id, as
 * {@link DeltaCommits#commit} records them), {@link #abort} deletes them. Until the commit, readers never see
 * the files (they are in no version of the log), so a gate can decide between writing and committing, and the
 * write's own pass can carry the validation.
 *
 * <p>Only a plain append qualifies ({@link #write} returns empty otherwise, and the caller uses
 * {@link DeltaCommits#commit}): the table exists, the rows have its schema, and no earlier commit of the batch
 * exists (a replay needs the content fingerprint before deciding, which the staged path only has after the
 * write).
 */
public final class StagedAppend {
  private final SparkSession spark;
  private final CommitRequest request;
  private final DeltaLog log;
  private final OptimisticTransaction txn;
  private final Seq<FileAction> actions;
  private boolean finished;

  private StagedAppend(
      SparkSession spark, CommitRequest request, DeltaLog log, OptimisticTransaction txn, Seq<FileAction> actions) {
    this.spark = spark;
    this.request = request;
    this.log = log;
    this.txn = txn;
    this.actions = actions;
  }

  /** Writes the request's rows as uncommitted files of its table, or returns empty when the append does not qualify. */
  public static Optional<StagedAppend> write(SparkSession spark, CommitRequest request) {
    if (request.mode() != WriteMode.APPEND || !DeltaCommits.exists(spark, request.path())) {
      return Optional.empty();
    }
    DeltaLog log = DeltaLog.forTable(spark, request.path());
    OptimisticTransaction txn = log.startTransaction();
    if (!sameColumns(txn.metadata().schema(), request.data().schema())) {
      return Optional.empty();
    }
    // The commit needs the snapshot's state (its transaction ids): reconstructing it from the log takes a few
    // small jobs, started here to overlap the write as far as the scheduler lets them.
    warmUp(txn.snapshot());
    Seq<FileAction> actions = txn.writeFiles(request.data());
    boolean replay;
    try {
      // Every commit of a batch records its transaction id (lakeline:<batch>, version): one found means a replay,
      // which the plain commit handles (it compares fingerprints first).
      replay = txn.txnVersion(DeltaCommits.appId(request.batchId())) >= 0;
    } catch (RuntimeException e) {
      deleteFiles(spark, log, actions);
      throw e;
    }
    if (replay) {
      deleteFiles(spark, log, actions);
      return Optional.empty();
    }
    return Optional.of(new StagedAppend(spark, request, log, txn, actions));
  }

  /** The rows as the files were written: validate these (the data of the request). */
  public CommitRequest request() {
    return request;
  }

  /**
   * Commits the written files as one new version that records the batch (its id, {@code fingerprint} and
   * Delta transaction id). If another writer changed the table in a way that conflicts, the files are
   * deleted and the batch goes through {@link DeltaCommits#commit}, which retries and notices a concurrent
   * commit of the same batch.
   */
  public CommitResult commit(ContentFingerprint fingerprint) {
    finish();
    String token = request.batchId() + "#" + fingerprint.value() + "#" + System.nanoTime();
    String userMetadata = DeltaCommits.metadata(request, fingerprint, token);
    txn.updateSetTransaction(DeltaCommits.appId(request.batchId()), txn.readVersion() + 1, Option.empty());
    Option<Seq<String>> partitionBy = request.partitionColumns().isEmpty()
        ? Option.empty()
        : Option.apply(JavaConverters.asScalaBuffer(request.partitionColumns()).toList());
    try {
      @SuppressWarnings({"unchecked", "rawtypes"})
      long version = txn.commit(
          (Seq) actions, new DeltaOperations.Write(SaveMode.Append, partitionBy, Option.empty(), Option.apply(userMetadata)));
      return new CommitResult(request.path(), version, fingerprint.rows(), false);
    } catch (ConcurrentModificationException e) {
      deleteFiles();
      return DeltaCommits.commit(spark, request, fingerprint);
    }
  }

  /** Deletes the written files; the table is as it was. */
  public void abort() {
    finish();
    deleteFiles();
  }

  private void finish() {
    if (finished) {
      throw new IllegalStateException("This staged append was already committed or aborted");
    }
    finished = true;
  }

  private void deleteFiles() {
    deleteFiles(spark, log, actions);
  }

  private static void deleteFiles(SparkSession spark, DeltaLog log, Seq<FileAction> actions) {
    for (FileAction a : JavaConverters.seqAsJavaList(actions)) {
      if (a instanceof AddFile add) {
        Path file = add.absolutePath(log);
        try {
          FileSystem fs = file.getFileSystem(spark.sessionState().newHadoopConf());
          fs.delete(file, false);
        } catch (IOException e) {
          // an uncommitted file is invisible to readers; VACUUM removes what could not be deleted here
        }
      }
    }
  }

  /**
   * Appends {@code data} (a few rows: a report, say) to the existing table at {@code path} with Delta's
   * transaction API, once per {@code appId}: the files are written and committed in one transaction that
   * records {@code (appId, 0)}, so a second append of the same id finds it and writes nothing. Cheaper than
   * Delta's DataFrame writer for a small append (no data source resolution, no extra look at the table).
   *
   * @return the version committed; -1 when the id was appended before; null when the rows do not have the
   *     table's schema (use the DataFrame writer, which reports or merges the difference)
   */
  static Long appendOnce(SparkSession spark, String path, org.apache.spark.sql.Dataset<?> data, String appId, String userMetadata) {
    DeltaLog log = DeltaLog.forTable(spark, path);
    for (int attempt = 1; ; attempt++) {
      OptimisticTransaction txn = log.startTransaction();
      if (!sameColumns(txn.metadata().schema(), data.schema())) {
        return null;
      }
      if (txn.txnVersion(appId) >= 0) {
        return -1L;
      }
      Seq<FileAction> actions = txn.writeFiles(data);
      txn.updateSetTransaction(appId, 0L, Option.empty());
      try {
        @SuppressWarnings({"unchecked", "rawtypes"})
        long version = txn.commit(
            (Seq) actions, new DeltaOperations.Write(SaveMode.Append, Option.empty(), Option.empty(), Option.apply(userMetadata)));
        return version;
      } catch (ConcurrentModificationException e) {
        deleteFiles(spark, log, actions);
        if (attempt >= DeltaCommits.MAX_ATTEMPTS) {
          throw dev.lakeline.core.Errors.conflict(
              e, "Gave up appending %s to %s after %d attempts: other writers kept changing the table. Rerun.", appId, path, attempt);
        }
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while retrying a Delta commit", ie);
        }
      }
    }
  }

  /** Runs small jobs on Delta logs beside a write (two threads: a warm-up and a history check at once). */
  private static final java.util.concurrent.ExecutorService BESIDE =
      java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "lakeline-delta-beside-write");
        t.setDaemon(true);
        return t;
      });

  /**
   * Reconstructs the state of the latest snapshot of the table at {@code path} in the background, so that a
   * commit to it shortly after (a validation report after the batch's write, say) finds it ready. Best effort:
   * a failure here only means the commit reconstructs the state itself.
   */
  public static void warmUp(SparkSession spark, String path) {
    BESIDE.execute(() -> {
      try {
        if (DeltaCommits.exists(spark, path)) {
          DeltaLog.forTable(spark, path).startTransaction().snapshot().transactions();
        }
      } catch (RuntimeException e) {
        // the commit will do it
      }
    });
  }

  private static void warmUp(org.apache.spark.sql.delta.Snapshot snapshot) {
    BESIDE.execute(() -> {
      try {
        snapshot.transactions();
      } catch (RuntimeException e) {
        // the commit will do it
      }
    });
  }

  /** Same column names, in order, and types (nullability aside: feature group tables are all nullable). */
  private static boolean sameColumns(StructType table, StructType rows) {
    List<StructField> a = List.of(table.fields());
    List<StructField> b = List.of(rows.fields());
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).name().equals(b.get(i).name()) || !a.get(i).dataType().sameType(b.get(i).dataType())) {
        return false;
      }
    }
    return true;
  }
}
