package dev.lakeline.testkit.delta;

import dev.lakeline.core.delta.ContentFingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.lakeline.testkit.SparkTest;
import java.math.BigDecimal;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class ContentFingerprintTest {
  private static Dataset<Row> rows(SparkSession spark, String values) {
    return spark.sql("SELECT CAST(a AS INT) AS a, CAST(b AS STRING) AS b FROM VALUES " + values + " AS t(a, b)");
  }

  @Test
  void sameRowsInAnyOrderOrPartitioningGiveTheSameFingerprint(SparkSession spark) {
    ContentFingerprint fp = ContentFingerprint.compute(rows(spark, "(1, 'x'), (2, 'y'), (3, NULL)"));
    assertEquals(fp, ContentFingerprint.compute(rows(spark, "(3, NULL), (1, 'x'), (2, 'y')").repartition(3)));
    assertEquals(3, fp.rows());
  }

  @Test
  void nullsValuesTypesAndCountsAllCount(SparkSession spark) {
    ContentFingerprint fp = ContentFingerprint.compute(rows(spark, "(1, NULL), (NULL, '1')"));
    assertNotEquals(fp, ContentFingerprint.compute(rows(spark, "(NULL, '1'), (NULL, '1')")));
    assertNotEquals(fp, ContentFingerprint.compute(rows(spark, "(1, NULL), (NULL, '1'), (1, NULL)")));
    assertNotEquals(fp, ContentFingerprint.compute(rows(spark, "(1, NULL), (NULL, '1')").selectExpr("CAST(a AS BIGINT) AS a", "b")));
  }

  @Test
  void thePartsAddUpToTheExactSumOfTheRowHashes(SparkSession spark) {
    Dataset<Row> d = spark.range(0, 5000).selectExpr("id", "CAST(id * 7 AS STRING) AS s");
    BigDecimal exact = (BigDecimal) d.selectExpr("SUM(CAST(xxhash64(id, s, id IS NULL, s IS NULL) AS DECIMAL(38, 0)))").head().get(0);
    ContentFingerprint fp = ContentFingerprint.compute(d);
    assertEquals("5000:" + exact.toBigInteger() + ":" + d.schema().json().hashCode(), fp.value());
  }

  /**
   * A commit retried with a deferred fingerprint (a validated append whose staged commit met a conflict) finds an
   * earlier commit of the same batch that recorded a computed one: same content is a replay, other content a conflict.
   */
  @Test
  void aDeferredFingerprintIsComparedByContentWithAComputedRecord(SparkSession spark, dev.lakeline.testkit.TestLakehouse lake) {
    String path = lake.layout().predictions("deferred");
    Dataset<Row> batch = rows(spark, "(1, 'x'), (2, 'y')");
    dev.lakeline.core.delta.CommitResult first = dev.lakeline.core.delta.DeltaCommits.commit(spark, dev.lakeline.core.delta.CommitRequest.append(path, batch, "b1"));

    dev.lakeline.core.delta.CommitResult again = dev.lakeline.core.delta.DeltaCommits.commit(
        spark, dev.lakeline.core.delta.CommitRequest.append(path, rows(spark, "(2, 'y'), (1, 'x')"), "b1"), ContentFingerprint.deferred(2));

    assertEquals(true, again.skipped());
    assertEquals(first.version(), again.version());
    org.junit.jupiter.api.Assertions.assertThrows(dev.lakeline.core.LakelineException.Conflict.class,
        () -> dev.lakeline.core.delta.DeltaCommits.commit(
            spark, dev.lakeline.core.delta.CommitRequest.append(path, rows(spark, "(1, 'x'), (2, 'z')"), "b1"), ContentFingerprint.deferred(2)));
  }
}
