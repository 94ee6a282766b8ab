package dev.lakeline.core.internal;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.FileAction;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * One Delta transaction on an existing table, for an append written before it is committed, with plain Java
 * signatures (Delta's {@link OptimisticTransaction} speaks Scala): read the table's schema and the version of an
 * application's transaction id, write data files (uncommitted), commit them as an append that records a
 * transaction id and commit metadata, or delete them.
 */
public final class DeltaTransaction {
  private final SparkSession spark;
  private final DeltaLog log;
  private final OptimisticTransaction txn;
  private Seq<FileAction> written;

  private DeltaTransaction(SparkSession spark, DeltaLog log, OptimisticTransaction txn) {
    this.spark = spark;
    this.log = log;
    this.txn = txn;
  }

  /** Starts a transaction on the latest version of the Delta table at {@code path} (which must exist). */
  public static DeltaTransaction start(SparkSession spark, String path) {
    DeltaLog log = DeltaLog.forTable(spark, path);
    return new DeltaTransaction(spark, log, log.startTransaction());
  }

  /** The table's schema as of the transaction's snapshot. */
  public StructType schema() {
    return txn.metadata().schema();
  }

  /** The version the transaction read. */
  public long readVersion() {
    return txn.readVersion();
  }

  /**
   * The version recorded for the application's transaction id {@code appId}, or -1 when none is. Reading it
   * makes a concurrent commit that records the same id a conflict for this transaction.
   */
  public long transactionVersion(String appId) {
    return txn.txnVersion(appId);
  }

  /**
   * Reconstructs the snapshot's state (its transaction ids) now, so that {@link #transactionVersion} and the
   * commit find it ready: call it from another thread while the write runs.
   */
  public void prepareState() {
    txn.snapshot().transactions();
  }

  /** Writes {@code data} as data files of the table, not yet committed (readers see none of them). */
  public void write(Dataset<?> data) {
    written = txn.writeFiles(data);
  }

  /**
   * Commits the written files as an append that records {@code (appId, appVersion)} (none when {@code appId} is
   * null) and {@code userMetadata};
   * returns the version committed. Throws Delta's {@code ConcurrentModificationException}s on a conflict.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public long commitAppend(String appId, long appVersion, List<String> partitionColumns, String userMetadata) {
    if (appId != null) {
      txn.updateSetTransaction(appId, appVersion, Option.empty());
    }
    Option<Seq<String>> partitionBy = partitionColumns.isEmpty()
        ? Option.empty()
        : Option.apply(JavaConverters.asScalaBuffer(partitionColumns).toList());
    return txn.commit((Seq) written, new DeltaOperations.Write(SaveMode.Append, partitionBy, Option.empty(), Option.apply(userMetadata)));
  }

  /**
   * The rows that version {@code version} of the Delta table at {@code path} added (the data files of its
   * commit, read with that version's schema and partition values), or null when that commit's log entry is no
   * longer there (log retention).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Dataset<Row> rowsAddedAt(SparkSession spark, String path, long version) {
    DeltaLog log = DeltaLog.forTable(spark, path);
    scala.collection.Iterator<scala.Tuple2<Object, Seq<Action>>> changes = log.getChanges(version, false);
    if (!changes.hasNext()) {
      return null;
    }
    scala.Tuple2<Object, Seq<Action>> first = changes.next();
    if ((Long) first._1() != version) {
      return null;
    }
    List<AddFile> added = new java.util.ArrayList<>();
    for (Action a : JavaConverters.seqAsJavaList(first._2())) {
      if (a instanceof AddFile add && add.dataChange()) {
        added.add(add);
      }
    }
    Snapshot snapshot = log.getSnapshotAt(version, Option.empty(), Option.empty());
    return log.createDataFrame(snapshot, (Seq) JavaConverters.asScalaBuffer(added).toList(), false, Option.empty());
  }

  /** Deletes the files {@link #write} wrote (best effort: VACUUM removes what could not be deleted). */
  public void deleteWritten() {
    if (written == null) {
      return;
    }
    for (FileAction a : JavaConverters.seqAsJavaList(written)) {
      if (a instanceof AddFile add) {
        Path file = add.absolutePath(log);
        try {
          FileSystem fs = file.getFileSystem(spark.sessionState().newHadoopConf());
          fs.delete(file, false);
        } catch (IOException e) {
          // an uncommitted file is invisible to readers
        }
      }
    }
  }
}
