package dev.lakeline.pitjoin;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The carry-ins of the hot keys' time ranges. Range r of a hot key must start with what the forward pass would
 * carry at its start: per source, the winner among that key's rows before the range. That is every row of the
 * source at the latest time of any earlier range (all of them, so that the pass breaks their tie itself), copied
 * into range r. Exact; the cost is one small aggregate over the hot keys' source rows and a broadcast join.
 */
final class CarryIns {
  private CarryIns() {}

  /** Source rows (in {@link MergeRows} layout, bucket set) copied into the later ranges they seed. */
  static Dataset<Row> of(Dataset<Row> sourceRows, HotKeys hot, MergeRows layout) {
    int n = layout.keyTypes().length;
    List<Column> group = new ArrayList<>();
    group.add(col(MergeRows.HASH_COLUMN));
    for (int i = 0; i < n; i++) {
      group.add(col(MergeRows.keyColumnName(i)));
    }
    group.add(col(MergeRows.SOURCE_COLUMN));
    group.add(col(MergeRows.BUCKET_COLUMN));
    Dataset<Row> hotRows = sourceRows.where(hot.isHot());
    List<Row> latest =
        hotRows.groupBy(group.toArray(Column[]::new)).agg(max(col(MergeRows.TIME_COLUMN)).as("t")).collectAsList();

    // per (hash, key, source): the latest time of each range, in range order
    Map<List<Object>, TreeMap<Integer, Long>> byKey = new HashMap<>();
    for (Row r : latest) {
      List<Object> k = new ArrayList<>();
      for (int i = 0; i <= n + 1; i++) {
        k.add(r.get(i));
      }
      byKey.computeIfAbsent(k, x -> new TreeMap<>()).put(r.getInt(n + 2), r.getLong(n + 3));
    }
    List<Row> seeds = new ArrayList<>();
    for (Map.Entry<List<Object>, TreeMap<Integer, Long>> e : byKey.entrySet()) {
      int ranges = hot.ranges((Long) e.getKey().get(0));
      Long carry = null;
      for (int b = 0; b < ranges; b++) {
        if (carry != null && b > 0) {
          List<Object> seed = new ArrayList<>(e.getKey());
          seed.add(carry);
          seed.add(b);
          seeds.add(RowFactory.create(seed.toArray()));
        }
        Long t = e.getValue().get(b);
        if (t != null) {
          carry = carry == null ? t : Math.max(carry, t);
        }
      }
    }
    StructType schema = new StructType().add("__pit_s_hash", DataTypes.LongType);
    for (int i = 0; i < n; i++) {
      schema = schema.add("__pit_s_key" + i, layout.keyTypes()[i]);
    }
    schema = schema.add("__pit_s_source", DataTypes.IntegerType)
        .add("__pit_s_time", DataTypes.LongType)
        .add("__pit_s_bucket", DataTypes.IntegerType);
    SparkSession spark = sourceRows.sparkSession();
    Dataset<Row> table = spark.createDataFrame(seeds, schema);
    Column on = col(MergeRows.HASH_COLUMN).equalTo(col("__pit_s_hash"))
        .and(col(MergeRows.SOURCE_COLUMN).equalTo(col("__pit_s_source")))
        .and(col(MergeRows.TIME_COLUMN).equalTo(col("__pit_s_time")));
    for (int i = 0; i < n; i++) {
      on = on.and(col(MergeRows.keyColumnName(i)).equalTo(col("__pit_s_key" + i)));
    }
    List<Column> out = new ArrayList<>();
    for (String c : sourceRows.columns()) {
      out.add(c.equals(MergeRows.BUCKET_COLUMN) ? col("__pit_s_bucket").as(c) : col(c));
    }
    return hotRows.join(broadcast(table), on).select(out.toArray(Column[]::new));
  }

}
