package dev.lakeline.pitjoin;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import dev.lakeline.core.Errors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Computes a {@link PitJoinSpec}. The strategy here is the rank-window formulation: join each distinct spine
 * (key, time) to the source rows of that key at or before the time, keep {@code ROW_NUMBER() = 1} ordered by
 * feature time descending, and join the winners back to the spine.
 */
public final class PointInTimeJoin {
  private PointInTimeJoin() {}

  /**
   * Joins {@code spine} with every source of {@code spec}.
   *
   * @param sources the data of each source by {@link FeatureJoin#source()}
   */
  public static Dataset<Row> join(Dataset<Row> spine, PitJoinSpec spec, Map<String, Dataset<Row>> sources) {
    require(spine, "the spine", spec.spineTime());
    Dataset<Row> out = spine;
    for (FeatureJoin j : spec.joins()) {
      Dataset<Row> data = sources.get(j.source());
      if (data == null) {
        throw Errors.config("No data given for the feature source '%s' of the join.", j.source());
      }
      out = joinOne(out, spec.spineTime(), j, data);
    }
    return out;
  }

  private static Dataset<Row> joinOne(Dataset<Row> spine, String spineTime, FeatureJoin j, Dataset<Row> data) {
    j.spineKeys().forEach(k -> require(spine, "the spine", k));
    j.featureKeys().forEach(k -> require(data, "feature source '" + j.source() + "'", k));
    require(data, "feature source '" + j.source() + "'", j.featureTime());
    j.features().forEach(f -> require(data, "feature source '" + j.source() + "'", f));
    for (String f : j.features()) {
      if (Arrays.asList(spine.columns()).contains(j.outputName(f))) {
        throw Errors.config(
            "The spine already has a column '%s', which the join of '%s' would add. Use a prefix.",
            j.outputName(f), j.source());
      }
    }
    int n = j.spineKeys().size();
    List<Column> spineCols = new ArrayList<>();
    List<Column> featureCols = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      spineCols.add(q(j.spineKeys().get(i)).as("_pk" + i));
      featureCols.add(q(j.featureKeys().get(i)).as("_fk" + i));
    }
    spineCols.add(q(spineTime).as("_pt"));
    featureCols.add(q(j.featureTime()).as("_ft"));
    for (int i = 0; i < j.features().size(); i++) {
      featureCols.add(q(j.features().get(i)).as("_fv" + i));
    }
    Dataset<Row> points = spine.select(spineCols.toArray(Column[]::new)).distinct();
    Dataset<Row> rows = data.select(featureCols.toArray(Column[]::new));

    Column on = j.strict() ? col("_ft").lt(col("_pt")) : col("_ft").leq(col("_pt"));
    for (int i = 0; i < n; i++) {
      on = on.and(col("_pk" + i).equalTo(col("_fk" + i)));
    }
    List<Column> partition = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      partition.add(col("_pk" + i));
    }
    partition.add(col("_pt"));
    List<Column> order = new ArrayList<>();
    order.add(col("_ft").desc_nulls_last());
    for (int i = 0; i < j.features().size(); i++) {
      order.add(col("_fv" + i).asc_nulls_first());
    }
    Dataset<Row> winners =
        points
            .join(rows, on, "inner")
            .withColumn(
                "_rn",
                row_number()
                    .over(Window.partitionBy(partition.toArray(Column[]::new)).orderBy(order.toArray(Column[]::new))))
            .where(col("_rn").equalTo(1));

    List<Column> winnerCols = new ArrayList<>(partition);
    for (int i = 0; i < j.features().size(); i++) {
      winnerCols.add(col("_fv" + i).as(j.outputName(j.features().get(i))));
    }
    Dataset<Row> w = winners.select(winnerCols.toArray(Column[]::new));

    Column back = spine.col(quote(spineTime)).equalTo(w.col("_pt"));
    for (int i = 0; i < n; i++) {
      back = back.and(spine.col(quote(j.spineKeys().get(i))).equalTo(w.col("_pk" + i)));
    }
    List<Column> result = new ArrayList<>();
    for (String c : spine.columns()) {
      result.add(spine.col(quote(c)));
    }
    for (String f : j.features()) {
      result.add(w.col(quote(j.outputName(f))));
    }
    return spine.join(w, back, "left").select(result.toArray(Column[]::new));
  }

  private static void require(Dataset<Row> df, String what, String column) {
    if (!Arrays.asList(df.columns()).contains(column)) {
      throw Errors.missingColumn("The point-in-time join (" + what + ")", column, Arrays.asList(df.columns()));
    }
  }

  private static Column q(String name) {
    return col(quote(name));
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
