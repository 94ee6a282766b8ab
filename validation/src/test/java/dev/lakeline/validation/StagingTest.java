package dev.lakeline.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.testkit.SparkTest;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class StagingTest {
  private static boolean cachedWhileStaged(Dataset<Row> batch) {
    try (Staging s = Staging.of(batch)) {
      boolean cached = s.cached();
      assertEquals(cached, !s.rows().storageLevel().equals(StorageLevel.NONE()), "cached() tells the truth");
      return cached;
    }
  }

  @Test
  void columnarReadsAreReadAgainAndEverythingCostlyOrUnrepeatableIsCached(SparkSession spark, @TempDir Path dir) {
    String parquet = dir.resolve("p").toString();
    String csv = dir.resolve("c").toString();
    String delta = dir.resolve("d").toString();
    Dataset<Row> data = spark.range(100).selectExpr("id", "CAST(id % 7 AS STRING) AS k");
    data.write().parquet(parquet);
    data.write().option("header", "true").csv(csv);
    data.write().format("delta").save(delta);

    assertFalse(cachedWhileStaged(spark.read().parquet(parquet)));
    assertFalse(cachedWhileStaged(spark.read().parquet(parquet).where("id > 3").selectExpr("id", "upper(k) AS k")));
    assertFalse(cachedWhileStaged(spark.read().format("delta").load(delta)));
    assertFalse(cachedWhileStaged(spark.sql("SELECT 1 AS a, 'x' AS b")));

    assertTrue(cachedWhileStaged(spark.read().option("header", "true").csv(csv)), "a text parse is cached");
    assertTrue(cachedWhileStaged(spark.read().parquet(parquet).groupBy("k").count()), "an aggregation is cached");
    assertTrue(cachedWhileStaged(spark.read().parquet(parquet).join(spark.read().parquet(parquet), "id")), "a join is cached");
    assertTrue(cachedWhileStaged(spark.read().parquet(parquet).selectExpr("id", "rand() AS r")), "non-determinism is cached");
  }

  @Test
  void closingReleasesTheCache(SparkSession spark) {
    Dataset<Row> costly = spark.range(10).groupBy().count();
    Staging s = Staging.of(costly);
    assertTrue(s.cached());
    s.close();
    assertEquals(StorageLevel.NONE(), costly.storageLevel());
  }
}
