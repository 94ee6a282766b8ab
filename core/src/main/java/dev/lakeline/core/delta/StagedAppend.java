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
    if (!sameColumns(txn.metadata().schema(), request.data().schema())
        || DeltaCommits.anyCommitOf(spark, request.path(), request.batchId())) {
      return Optional.empty();
    }
    txn.txnVersion(DeltaCommits.appId(request.batchId())); // a concurrent commit of the same batch now conflicts
    Seq<FileAction> actions = txn.writeFiles(request.data());
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
