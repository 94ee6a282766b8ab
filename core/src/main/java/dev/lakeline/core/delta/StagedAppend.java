package dev.lakeline.core.delta;

import dev.lakeline.core.Errors;
import dev.lakeline.core.internal.DeltaTransaction;
import dev.lakeline.core.spark.CallerContext;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

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
  /** Runs a small job on the table's log beside its write. */
  private static final ExecutorService BESIDE = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "lakeline-delta-beside-write");
    t.setDaemon(true);
    return t;
  });

  private final SparkSession spark;
  private final CommitRequest request;
  private final DeltaTransaction txn;
  private boolean finished;

  private StagedAppend(SparkSession spark, CommitRequest request, DeltaTransaction txn) {
    this.spark = spark;
    this.request = request;
    this.txn = txn;
  }

  /** Writes the request's rows as uncommitted files of its table, or returns empty when the append does not qualify. */
  public static Optional<StagedAppend> write(SparkSession spark, CommitRequest request) {
    if (request.mode() != WriteMode.APPEND || !DeltaCommits.exists(spark, request.path())) {
      return Optional.empty();
    }
    DeltaTransaction txn = DeltaTransaction.start(spark, request.path());
    if (!sameColumns(txn.schema(), request.data().schema())) {
      return Optional.empty();
    }
    // The commit needs the snapshot's state (its transaction ids): reconstructing it from the log takes a few
    // small jobs, started here to overlap the write as far as the scheduler lets them.
    beside(CallerContext.capture(spark).wrap(txn::prepareState));
    txn.write(request.data());
    boolean replay;
    try {
      // Every commit of a batch records its transaction id (lakeline:<batch>, version): one found means a replay,
      // which the plain commit handles (it compares fingerprints first).
      replay = txn.transactionVersion(DeltaCommits.appId(request.batchId())) >= 0;
    } catch (RuntimeException e) {
      txn.deleteWritten();
      throw e;
    }
    if (replay) {
      txn.deleteWritten();
      return Optional.empty();
    }
    return Optional.of(new StagedAppend(spark, request, txn));
  }

  /** The rows as the files were written: validate these (the data of the request). */
  public CommitRequest request() {
    return request;
  }

  /** The version {@link #commit} produces unless another writer commits to the table first. */
  public long nextVersion() {
    return txn.readVersion() + 1;
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
    try {
      long version = txn.commitAppend(
          DeltaCommits.appId(request.batchId()), txn.readVersion() + 1, request.partitionColumns(), userMetadata);
      return new CommitResult(request.path(), version, fingerprint.rows(), false);
    } catch (ConcurrentModificationException e) {
      txn.deleteWritten();
      return DeltaCommits.commit(spark, request, fingerprint);
    }
  }

  /** Deletes the written files; the table is as it was. */
  public void abort() {
    finish();
    txn.deleteWritten();
  }

  private void finish() {
    if (finished) {
      throw new IllegalStateException("This staged append was already committed or aborted");
    }
    finished = true;
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
  static Long appendOnce(SparkSession spark, String path, Dataset<?> data, String appId, String userMetadata) {
    for (int attempt = 1; ; attempt++) {
      DeltaTransaction txn = DeltaTransaction.start(spark, path);
      if (!sameColumns(txn.schema(), data.schema())) {
        return null;
      }
      if (txn.transactionVersion(appId) >= 0) {
        return -1L;
      }
      txn.write(data);
      try {
        return txn.commitAppend(appId, 0L, List.of(), userMetadata);
      } catch (ConcurrentModificationException e) {
        txn.deleteWritten();
        if (attempt >= DeltaCommits.MAX_ATTEMPTS) {
          throw Errors.conflict(
              e, "Gave up appending %s to %s after %d attempts: other writers kept changing the table. Rerun.", appId, path, attempt);
        }
        DeltaCommits.sleep(200L * attempt);
      }
    }
  }

  private static void beside(Runnable work) {
    BESIDE.execute(() -> {
      try {
        work.run();
      } catch (RuntimeException e) {
        // the commit will do it
      }
    });
  }

  /** Same column names, in order, and types (nullability aside: feature group tables are all nullable). */
  static boolean sameColumns(StructType table, StructType rows) {
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
