package dev.lakeline.featurestore;

import static org.apache.spark.sql.functions.lit;

import dev.lakeline.core.spark.SqlColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.RowOrdering;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Which of two rows of a feature group with the same key and event time a view takes: the one of the later commit,
 * then a stable order of the values. Rows with the same key and event time cannot come from one batch (the gate
 * rejects that), but two appended batches can repeat one (a correction appended later, a source that re-sends a
 * day).
 *
 * <p>A row's commit is Delta's row tracking ({@code _metadata.row_commit_version}): the version that wrote the row or
 * last updated it, kept through {@code OPTIMIZE} and time travel. Feature groups are created with row tracking on
 * ({@link FeatureStore#ROW_TRACKING}); a group created without it (before Lakeline turned it on) has no commit per
 * row, and its ties go by the values alone until row tracking is switched on (`lakeline maintain` does it).
 */
final class CommitOrder {
  private CommitOrder() {}

  /** The column a view reads each row's commit version into, to hand it to the join as its tie-break. */
  static final String COLUMN = "_lakeline_commit_version";

  /**
   * Each row's commit version, a BIGINT: from row tracking when {@code rows} (a read of a group's Delta table) tracks
   * rows at the version read; null for every row when it does not.
   */
  static Column of(Dataset<Row> rows) {
    return tracked(rows) ? rows.metadataColumn("_metadata").getField("row_commit_version") : lit(null).cast(DataTypes.LongType);
  }

  /** Whether {@code rows} (a read of a group's Delta table) carry their commit versions (row tracking). */
  static boolean tracked(Dataset<Row> rows) {
    StructType fields = (StructType) rows.select(rows.metadataColumn("_metadata")).schema().fields()[0].dataType();
    return Arrays.asList(fields.fieldNames()).contains("row_commit_version");
  }

  /** The rows with their commit version as {@link #COLUMN}. */
  static Dataset<Row> withCommitVersion(Dataset<Row> rows) {
    return rows.withColumn(COLUMN, of(rows));
  }

  /**
   * The order that puts the row a view takes first among rows of one key and event time: the later commit first
   * (rows without one last), then every column whose type Spark can order ascending, nulls first. {@code rows} must
   * have {@link #COLUMN}.
   */
  static List<Column> latestFirst(StructType schema) {
    List<Column> order = new ArrayList<>();
    order.add(org.apache.spark.sql.functions.col(COLUMN).desc_nulls_last());
    for (StructField f : schema.fields()) {
      if (!f.name().equals(COLUMN) && RowOrdering.isOrderable(f.dataType())) {
        order.add(SqlColumns.col(f.name()).asc_nulls_first());
      }
    }
    return order;
  }
}
