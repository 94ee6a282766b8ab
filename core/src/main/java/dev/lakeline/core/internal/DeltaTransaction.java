package dev.lakeline.core.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.RowTracking;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.FileAction;
import org.apache.spark.sql.delta.actions.Metadata;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * One Delta transaction on an existing table, for an append written before it is committed, with plain Java
 * signatures (Delta's {@link OptimisticTransaction} speaks Scala): read the table's schema and the version of an
 * application's transaction id, write data files (uncommitted), commit them as an append that records a
 * transaction id and commit metadata, or delete them; or add columns to the table, with values for its existing
 * rows, in one commit.
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
   * Adds {@code columns} (nullable, after the existing ones) to the table's schema and sets {@code properties},
   * and when {@code fill} gives a value to any of them, rewrites every data file with those values in its rows
   * (the other new columns null): the old files are removed and the new ones added in the same commit as the new
   * schema, so readers see the table as it was or as it is after, never in between, and earlier versions keep
   * their files (time travel). Everything the transaction read is the whole table: a concurrent commit that
   * changes its rows or its metadata is a conflict (Delta's {@code ConcurrentModificationException}, the written
   * files deleted). On a failure before the commit nothing is committed and the written files are deleted.
   * Column mapping is kept (the new columns get their ids and physical names), and so are the rows' ids on a table
   * with row tracking. Returns the version committed.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public long commitAddColumns(List<StructField> columns, Map<String, Column> fill, Map<String, String> properties) {
    Metadata was = txn.metadata();
    StructType schema = was.schema();
    List<DeltaOperations.QualifiedColTypeWithPositionForLog> logged = new ArrayList<>();
    for (StructField c : columns) {
      StructField nullable = new StructField(c.name(), c.dataType(), true, c.metadata());
      schema = schema.add(nullable);
      logged.add(new DeltaOperations.QualifiedColTypeWithPositionForLog(
          JavaConverters.asScalaBuffer(List.<String>of()).toList(), nullable, Option.empty()));
    }
    scala.collection.immutable.Map<String, String> configuration = was.configuration();
    for (Map.Entry<String, String> p : properties.entrySet()) {
      configuration = configuration.$plus(new Tuple2<>(p.getKey(), p.getValue()));
    }
    // before any write: the new files are written with the new schema (and its physical column names)
    txn.updateMetadata(
        was.copy(was.id(), was.name(), was.description(), was.format(), schema.json(), was.partitionColumns(), configuration,
            was.createdTime()),
        false);
    List<Action> actions = new ArrayList<>();
    if (!fill.isEmpty()) {
      Seq<AddFile> files = txn.filterFiles(); // the whole table is read: a concurrent change to it conflicts
      if (!files.isEmpty()) {
        Dataset<Row> rows =
            RowTracking.preserveRowTrackingColumns(log.createDataFrame(txn.snapshot(), files, false, Option.empty()), txn.snapshot());
        for (StructField c : columns) {
          rows = rows.withColumn(c.name(), fill.getOrDefault(c.name(), functions.lit(null)).cast(c.dataType()));
        }
        // a failed write commits nothing; what its tasks left behind is in no version of the log (VACUUM removes it)
        written = txn.writeFiles(rows);
        for (AddFile f : JavaConverters.seqAsJavaList(files)) {
          actions.add(f.remove()); // a data change, stamped by Delta
        }
        actions.addAll(JavaConverters.seqAsJavaList(written));
      }
    }
    try {
      return txn.commit(JavaConverters.asScalaBuffer(actions).toList(),
          new DeltaOperations.AddColumns(JavaConverters.asScalaBuffer(logged).toList()));
    } catch (RuntimeException e) {
      deleteWritten();
      throw e;
    }
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
