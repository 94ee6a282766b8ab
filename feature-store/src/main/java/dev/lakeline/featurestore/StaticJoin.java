package dev.lakeline.featurestore;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.lakeline.core.spark.SqlColumns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The join of a static group (no event time) on key alone. If a key has several rows (appended by two batches), the
 * later commit's is taken whole ({@link CommitOrder}), then the one whose features come last in ascending order, so
 * the result never depends on chance. A null key matches nothing. A left join unless the join is inner; a miss takes
 * the join's defaults.
 */
final class StaticJoin {
  private StaticJoin() {}

  /** {@code group}: the group's rows with their commit versions ({@link CommitOrder#withCommitVersion}). */
  static Dataset<Row> join(Dataset<Row> spine, FeatureViewSpec.Join join, List<String> groupKeys, Dataset<Row> group) {
    List<Column> keys = new ArrayList<>();
    for (int i = 0; i < groupKeys.size(); i++) {
      keys.add(SqlColumns.col(groupKeys.get(i)).as(keyAlias(i)));
    }
    List<Column> values = new ArrayList<>();
    values.add(col(CommitOrder.COLUMN).as("__commit")); // first: the largest struct is the later commit's row
    for (String f : join.features()) {
      values.add(SqlColumns.col(f).as(join.prefix() + f));
    }
    Dataset<Row> one =
        group
            .select(concat(keys, List.of(struct(values.toArray(Column[]::new)).as("__v"))).toArray(Column[]::new))
            .groupBy(aliases(groupKeys.size()))
            .agg(max(col("__v")).as("__v"));
    List<Column> flat = new ArrayList<>(List.of(aliases(groupKeys.size())));
    for (String f : join.features()) {
      flat.add(col("__v").getField(join.prefix() + f).as(join.prefix() + f));
    }
    flat.add(lit(true).as(MATCHED));
    one = one.select(flat.toArray(Column[]::new));
    Column on = null;
    for (int i = 0; i < groupKeys.size(); i++) {
      Column eq = spine.col(SqlColumns.quoted(join.baseKeys().get(i))).equalTo(one.col(keyAlias(i)));
      on = on == null ? eq : on.and(eq);
    }
    Dataset<Row> out = spine.join(one, on, join.inner() ? "inner" : "left");
    for (int i = 0; i < groupKeys.size(); i++) {
      out = out.drop(one.col(keyAlias(i)));
    }
    for (String f : join.features()) {
      Object d = join.defaults().get(f);
      if (d != null) {
        String name = join.prefix() + f;
        out = out.withColumn(
            name, when(col(MATCHED).isNotNull(), SqlColumns.col(name)).otherwise(lit(d).cast(group.schema().apply(f).dataType())));
      }
    }
    return out.drop(MATCHED);
  }

  private static final String MATCHED = "__static_matched";

  private static Column[] aliases(int n) {
    Column[] out = new Column[n];
    for (int i = 0; i < n; i++) {
      out[i] = col(keyAlias(i));
    }
    return out;
  }

  private static String keyAlias(int i) {
    return "__static_key_" + i;
  }

  private static List<Column> concat(List<Column> a, List<Column> b) {
    List<Column> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
