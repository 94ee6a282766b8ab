package dev.lakeline.pitjoin;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.testkit.SparkTest;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** Hot keys are found from the sample and cut into time ranges of about the threshold's rows. */
@SparkTest
class HotKeysTest {
  private static final MergeRows LAYOUT = new MergeRows(new DataType[] {DataTypes.StringType}, 0);

  /** 10,000 rows in {@link MergeRows} layout: key "hot" on every other row (times 0, 2, 4, …), 100 small keys. */
  private static Dataset<Row> rows(SparkSession spark) {
    return spark.range(0, 10_000, 1, 3)
        .withColumn(MergeRows.keyColumnName(0), expr("CASE WHEN id % 2 = 0 THEN 'hot' ELSE concat('k', id % 100) END"))
        .select(
            expr("xxhash64(" + MergeRows.keyColumnName(0) + ")").as(MergeRows.HASH_COLUMN),
            lit(0).as(MergeRows.BUCKET_COLUMN),
            col("id").as(MergeRows.TIME_COLUMN),
            lit(MergeRows.SPINE_KIND).as(MergeRows.KIND_COLUMN),
            lit(-1).as(MergeRows.SOURCE_COLUMN),
            lit(null).cast("int").as(MergeRows.SPINE_COLUMN),
            col(MergeRows.keyColumnName(0)));
  }

  @Test
  void aKeyAboveTheThresholdIsCutIntoEvenTimeRanges(SparkSession spark) {
    Dataset<Row> rows = rows(spark);

    HotKeys hot = HotKeys.detect(rows, LAYOUT, 1_000, 4);

    assertEquals(1, hot.keys().size(), "only 'hot' holds 1,000 rows or more");
    assertArrayEquals(new long[] {2_000, 4_000, 6_000, 8_000}, hot.bounds().get(0));
    List<Row> perRange = rows.where(hot.isHot()).groupBy(hot.bucket().as("b")).count().orderBy("b").collectAsList();
    assertEquals(5, perRange.size());
    perRange.forEach(r -> assertEquals(1_000L, r.getLong(1), "range " + r.get(0)));
    assertEquals(0L, rows.where(hot.isHot().unary_$bang()).where(hot.bucket().notEqual(0)).count(), "small keys stay whole");
  }

  @Test
  void theAutomaticThresholdLeavesSmallDataWhole(SparkSession spark) {
    assertTrue(HotKeys.detect(rows(spark), LAYOUT, 0, 4).isEmpty());
  }
}
