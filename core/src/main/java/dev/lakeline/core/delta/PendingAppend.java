package dev.lakeline.core.delta;

import dev.lakeline.core.internal.DeltaTransaction;
import dev.lakeline.core.spark.CallerContext;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A {@link DeltaCommits#appendOnce} taken apart, so that its slow parts overlap other work. {@link #open} starts,
 * on a background thread, a transaction on the table and the check that the id was not appended before (each a
 * small Spark job over the table's log); {@link #write} hands over the rows, whose files the background thread
 * writes, uncommitted; {@link #commit} waits for both and commits, {@link #abort} deletes the files. A validation
 * report is appended this way: opened when its batch's write starts, written as soon as the gate has decided
 * (while the batch commits) and committed right after the batch's commit, once the version it records exists.
 *
 * <p>Nothing is visible before {@link #commit}. When a background part fails, or the table does not take the
 * transaction API's append (it does not exist yet, or its schema differs from the rows'), {@link #commit} falls
 * back to {@link DeltaCommits#appendOnce}, with the result a plain call would have had. A thread-safe hand-over:
 * the background thread owns the transaction until {@link #commit} or {@link #abort} has waited for it. Its jobs
 * run in the caller's job group, with its description and scheduler pool ({@link CallerContext}).
 */
public final class PendingAppend implements AutoCloseable {
  private static final ExecutorService BACKGROUND = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "lakeline-pending-append");
    t.setDaemon(true);
    return t;
  });

  /** A transaction on the table; {@code appendedBefore} when the id's transaction id is already recorded. */
  private record Opened(DeltaTransaction txn, boolean appendedBefore) {}

  private final SparkSession spark;
  private final String path;
  private final String id;
  /** The id is new by construction: no look for an earlier append of it, and no transaction id recorded. */
  private final boolean unique;
  private final CompletableFuture<Opened> opened;
  private CompletableFuture<Boolean> written;
  private LongFunction<Dataset<Row>> data;
  private long rows;
  private boolean finished;

  private PendingAppend(SparkSession spark, String path, String id, boolean unique) {
    this.spark = spark;
    this.path = path;
    this.id = id;
    this.unique = unique;
    this.opened = CompletableFuture.supplyAsync(CallerContext.capture(spark).wrap(this::openTransaction), BACKGROUND);
  }

  /** Starts appending to the table at {@code path} once per {@code id}: the rows come later, with {@link #write}. */
  public static PendingAppend open(SparkSession spark, String path, String id) {
    return new PendingAppend(spark, path, id, false);
  }

  /**
   * As {@link #open}, for an {@code id} that is new by construction (it has a random part per attempt, say):
   * nothing looks for an earlier append of it, which in Delta 3.3 rebuilds the table's whole state (a few Spark
   * jobs per table version), and the commit records no Delta transaction id (so the table's state does not grow
   * with every append). An append retried after a conflict still goes through {@link DeltaCommits#appendOnce}.
   */
  public static PendingAppend openUnique(SparkSession spark, String path, String id) {
    return new PendingAppend(spark, path, id, true);
  }

  /** Hands over the rows to append ({@code rows} of them); their files are written in the background. */
  public PendingAppend write(Dataset<Row> data, long rows) {
    return write(version -> data, rows);
  }

  /**
   * Hands over the rows to append ({@code rows} of them) as a function of the table version the append is
   * expected to produce (rows that record their own commit order); their files are written in the background.
   */
  public PendingAppend write(LongFunction<Dataset<Row>> dataForVersion, long rows) {
    if (this.data != null || finished) {
      throw new IllegalStateException("This pending append already has its rows");
    }
    this.data = dataForVersion;
    this.rows = rows;
    CallerContext caller = CallerContext.capture(spark);
    this.written = opened.thenApplyAsync(o -> caller.wrap(() -> {
      if (o == null || o.appendedBefore()) {
        return false;
      }
      Dataset<Row> staged = dataForVersion.apply(o.txn().readVersion() + 1);
      if (!StagedAppend.sameColumns(o.txn().schema(), staged.schema())) {
        return false;
      }
      o.txn().write(staged);
      return true;
    }).get(), BACKGROUND);
    return this;
  }

  private Opened openTransaction() {
    if (!DeltaCommits.exists(spark, path)) {
      return null;
    }
    DeltaTransaction txn = DeltaTransaction.start(spark, path);
    return new Opened(txn, !unique && txn.transactionVersion(DeltaCommits.appId(id)) >= 0);
  }

  /** The rows as the plain append gets them: for the version after the table's current one. */
  private Dataset<Row> dataForNextVersion() {
    return data.apply(DeltaCommits.exists(spark, path) ? DeltaCommits.currentVersion(spark, path) + 1 : 0);
  }

  /** Commits the rows (once per id: a second append of the id is skipped, see {@link CommitResult#skipped()}). */
  public CommitResult commit() {
    if (data == null) {
      throw new IllegalStateException("Hand over the rows with write(...) before the commit");
    }
    finish();
    Opened o = await(opened);
    Boolean w = await(written);
    if (o == null || !Boolean.TRUE.equals(w)) {
      // not staged: a table to create, another schema, an earlier append of the id (found and reported as
      // skipped), or a background failure, which the plain append meets again and reports
      return DeltaCommits.appendOnce(spark, path, dataForNextVersion(), rows, id);
    }
    try {
      String metadata = DeltaCommits.appendOnceMetadata(id, id + "#" + System.nanoTime());
      long version = o.txn().commitAppend(unique ? null : DeltaCommits.appId(id), 0L, List.of(), metadata);
      return new CommitResult(path, version, rows, false);
    } catch (ConcurrentModificationException e) {
      o.txn().deleteWritten();
      return DeltaCommits.appendOnce(spark, path, dataForNextVersion(), rows, id);
    }
  }

  /** Deletes whatever the background thread wrote; the table is as it was. */
  public void abort() {
    finish();
    if (written != null) {
      Opened o = await(opened);
      await(written);
      if (o != null) {
        o.txn().deleteWritten();
      }
    }
  }

  /** Aborts unless committed or aborted already: for try-with-resources around the work the append waits for. */
  @Override
  public void close() {
    if (!finished) {
      abort();
    }
  }

  /** The background part's outcome; null when it failed. */
  private static <T> T await(CompletableFuture<T> part) {
    try {
      return part.get();
    } catch (ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for a pending Delta append", e);
    }
  }

  private void finish() {
    if (finished) {
      throw new IllegalStateException("This pending append was already committed or aborted");
    }
    finished = true;
  }
}
