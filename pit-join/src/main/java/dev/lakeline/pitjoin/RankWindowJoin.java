package dev.lakeline.pitjoin;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import dev.lakeline.core.spark.SqlColumns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.RowOrdering;
import org.apache.spark.sql.expressions.Window;

/**
 * {@link PitJoinStrategy#RANK_WINDOW}: per source, join each distinct spine (key, time) to the source rows of that
 * key in its time window, keep {@code ROW_NUMBER() = 1} in the tie order, and join the winners back to the spine.
 */
final class RankWindowJoin {
  private RankWindowJoin() {}

  /** The spine, then per join its internal value columns and its matched flag (see {@link PreparedJoin}). */
  static Dataset<Row> join(Dataset<Row> spine, String spineTime, List<PreparedJoin> joins) {
    Dataset<Row> out = spine;
    for (PreparedJoin j : joins) {
      out = joinOne(out, spineTime, j);
    }
    return out;
  }

  /** The order in which rows with the same key and time compete: tie-break descending, then the values. */
  static List<Column> tieOrder(PreparedJoin j, String tieBreak, List<String> values) {
    List<Column> order = new ArrayList<>();
    if (tieBreak != null) {
      order.add(col(tieBreak).desc_nulls_last());
    }
    for (int i = 0; i < values.size(); i++) {
      if (RowOrdering.isOrderable(j.featureFields().get(i).dataType())) {
        order.add(col(values.get(i)).asc_nulls_first());
      }
    }
    return order;
  }

  private static Dataset<Row> joinOne(Dataset<Row> spine, String spineTime, PreparedJoin j) {
    FeatureJoin fj = j.join();
    int n = fj.spineKeys().size();
    List<Column> pointCols = new ArrayList<>();
    List<Column> rowCols = new ArrayList<>();
    Column pointsUsable = col("_pt").isNotNull();
    for (int i = 0; i < n; i++) {
      pointCols.add(SqlColumns.col(fj.spineKeys().get(i)).as("_pk" + i));
      rowCols.add(SqlColumns.col(fj.featureKeys().get(i)).as("_fk" + i));
      pointsUsable = pointsUsable.and(col("_pk" + i).isNotNull());
    }
    pointCols.add(Times.micros(spineTime, j.timeType()).as("_pt"));
    rowCols.add(Times.micros(fj.featureTime(), j.timeType()).as("_ft"));
    if (fj.tieBreak() != null) {
      rowCols.add(SqlColumns.col(fj.tieBreak()).as("_tb"));
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < fj.features().size(); i++) {
      rowCols.add(SqlColumns.col(fj.features().get(i)).as(j.valueColumn(i)));
      values.add(j.valueColumn(i));
    }
    Dataset<Row> points = spine.select(pointCols.toArray(Column[]::new)).where(pointsUsable).distinct();
    Dataset<Row> rows = j.data().where(j.usableRow()).select(rowCols.toArray(Column[]::new));

    Column on = fj.strict() ? col("_ft").lt(col("_pt")) : col("_ft").leq(col("_pt"));
    if (fj.maxAge() != null) {
      on = on.and(col("_pt").minus(col("_ft")).leq(lit(j.maxAgeMicros())));
    }
    List<Column> partition = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      on = on.and(col("_pk" + i).equalTo(col("_fk" + i)));
      partition.add(col("_pk" + i));
    }
    partition.add(col("_pt"));
    List<Column> order = new ArrayList<>();
    order.add(col("_ft").desc());
    order.addAll(tieOrder(j, fj.tieBreak() == null ? null : "_tb", values));
    Dataset<Row> winners =
        points
            .join(rows, on, "inner")
            .withColumn(
                "_rn",
                row_number()
                    .over(Window.partitionBy(partition.toArray(Column[]::new)).orderBy(order.toArray(Column[]::new))))
            .where(col("_rn").equalTo(1));
    List<Column> winnerCols = new ArrayList<>(partition);
    values.forEach(v -> winnerCols.add(col(v)));
    winnerCols.add(lit(true).as(j.matchedColumn()));
    Dataset<Row> w = winners.select(winnerCols.toArray(Column[]::new));

    Dataset<Row> s = spine.withColumn("__pit_st", Times.micros(spineTime, j.timeType()));
    Column back = s.col("__pit_st").equalTo(w.col("_pt"));
    for (int i = 0; i < n; i++) {
      back = back.and(s.col(SqlColumns.quoted(fj.spineKeys().get(i))).equalTo(w.col("_pk" + i)));
    }
    List<Column> result = new ArrayList<>();
    for (String c : spine.columns()) {
      result.add(s.col(SqlColumns.quoted(c)));
    }
    values.forEach(v -> result.add(w.col(v)));
    result.add(coalesce(w.col(j.matchedColumn()), lit(false)).as(j.matchedColumn()));
    return s.join(w, back, "left").select(result.toArray(Column[]::new));
  }
}
