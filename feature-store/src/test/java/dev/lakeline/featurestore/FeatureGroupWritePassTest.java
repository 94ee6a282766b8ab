package dev.lakeline.featurestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.StageMetrics;
import dev.lakeline.testkit.TestLakehouse;
import dev.lakeline.validation.Decision;
import dev.lakeline.validation.Expectation;
import dev.lakeline.validation.ExpectationSuite;
import dev.lakeline.validation.IngestionPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A feature group's append validates inside the Delta write's own pass: a passing batch is read from its files
 * once, and a rejected one leaves no data file behind.
 */
@SparkTest
class FeatureGroupWritePassTest {
  private static final int ROWS = 5_000;

  private static ExpectationSuite suite(IngestionPolicy policy) {
    return new ExpectationSuite("readings", List.of(
        Expectation.of("expect_column_values_to_be_between", Map.of("column", "reading", "min_value", 0)),
        Expectation.of("expect_column_values_to_not_be_null", Map.of("column", "reading")),
        Expectation.of("expect_column_mean_to_be_between", Map.of("column", "reading", "max_value", 1_000_000))), policy);
  }

  /** A Parquet batch of sensor readings; {@code negative} readings break the suite. */
  private static Dataset<Row> batch(SparkSession spark, TestLakehouse lh, String name, int negative) {
    String path = lh.root().resolve("sources").resolve(name).toString();
    spark.range(ROWS)
        .selectExpr("CONCAT('s', id) AS sensor", "TIMESTAMP '2024-06-01 00:00:00' AS ts",
            "IF(id < " + negative + ", -1.0, CAST(id AS DOUBLE)) AS reading")
        .write().parquet(path);
    return spark.read().parquet(path);
  }

  private static FeatureGroup group(SparkSession spark, TestLakehouse lh, IngestionPolicy policy, Dataset<Row> like) {
    return FeatureStore.open(spark, lh.layout())
        .createFeatureGroup(FeatureGroupSpec.of("sensors", List.of("sensor"), "ts").withSuite(suite(policy)), like.schema());
  }

  /** Rows read from files by the stages that complete while {@code action} runs. */
  private static long rowsReadFromFiles(SparkSession spark, Runnable action) {
    return StageMetrics.sum(spark, m -> m.inputMetrics().recordsRead(), action);
  }

  private static Set<String> dataFiles(String tablePath) {
    try (Stream<Path> files = Files.walk(Paths.get(java.net.URI.create(tablePath.startsWith("file:") ? tablePath : "file://" + tablePath)))) {
      return files.map(Path::toString).filter(f -> f.endsWith(".parquet") && !f.contains("_delta_log")).collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aPassingAppendReadsItsBatchOnce(SparkSession spark, TestLakehouse lh) {
    Dataset<Row> batch = batch(spark, lh, "good", 0);
    FeatureGroup g = group(spark, lh, IngestionPolicy.STRICT, batch);

    long read = rowsReadFromFiles(spark, () -> g.insert(batch, InsertOptions.append("b1")));

    assertEquals(ROWS, g.read().count());
    // the batch once, plus the few rows of Delta's logs; the separate pass read it four times (suite, key count,
    // key grouping, write)
    assertTrue(read >= ROWS && read < 1.2 * ROWS, "rows read from files: " + read);
  }

  @Test
  void anAppendThatTheSuiteRejectsLeavesNoDataFileBehind(SparkSession spark, TestLakehouse lh) {
    Dataset<Row> bad = batch(spark, lh, "bad", 10);
    FeatureGroup g = group(spark, lh, IngestionPolicy.STRICT, bad);
    Set<String> before = dataFiles(g.path());

    var e = assertThrows(LakelineException.DataRejected.class, () -> g.insert(bad, InsertOptions.append("b1")));

    assertTrue(e.getMessage().contains("reading"), e.getMessage());
    assertEquals(before, dataFiles(g.path()), "the files written before the decision are deleted");
    assertEquals(0, g.deltaVersion());
    assertEquals(Decision.REJECTED, g.validationHistory(1).get(0).decision());
  }

  @Test
  void duplicateKeysAreCaughtBeforeTheCommit(SparkSession spark, TestLakehouse lh) {
    Dataset<Row> good = batch(spark, lh, "unique", 0);
    Dataset<Row> twice = good.unionAll(good.limit(3));
    FeatureGroup g = group(spark, lh, IngestionPolicy.STRICT, good);

    var e = assertThrows(LakelineException.DataRejected.class, () -> g.insert(twice, InsertOptions.append("b1")));

    assertTrue(e.getMessage().contains("unique"), e.getMessage());
    assertEquals(0, g.deltaVersion());
    assertFalse(g.validationHistory(1).get(0).result().success());
  }

  @Test
  void aReplayOfAnAppendIsANoOpAndAlwaysCommitsAFailingBatch(SparkSession spark, TestLakehouse lh) {
    Dataset<Row> bad = batch(spark, lh, "recorded", 5);
    FeatureGroup g = group(spark, lh, IngestionPolicy.ALWAYS, bad);

    InsertResult first = g.insert(bad, InsertOptions.append("b1"));
    InsertResult again = g.insert(bad, InsertOptions.append("b1"));

    assertEquals(Decision.INGESTED, first.decision());
    assertFalse(first.validation().success());
    assertEquals(1, first.deltaVersion());
    assertTrue(again.skipped(), "the replay finds the batch's Delta transaction id and commits nothing");
    assertEquals(1, again.deltaVersion());
    assertEquals(ROWS, g.read().count());
  }

  @Test
  void aReplayComparesTheCommittedFilesWhenTheAppendRecordedNoFingerprint(SparkSession spark, TestLakehouse lh) {
    String ddl = "site STRING, sensor STRING, ts TIMESTAMP, reading DOUBLE";
    Dataset<Row> day = spark.sql("SELECT * FROM VALUES ('s1', 'a', TIMESTAMP '2024-06-01 00:00:00', 1.0D), "
        + "('s2', 'b', TIMESTAMP '2024-06-01 00:00:00', 2.0D), ('s2', 'c', TIMESTAMP '2024-06-01 00:00:00', CAST(NULL AS DOUBLE)) AS t(site, sensor, ts, reading)");
    FeatureGroup g = FeatureStore.open(spark, lh.layout()).createFeatureGroup(
        FeatureGroupSpec.of("sites", List.of("sensor"), "ts").withPartitionColumns(List.of("site"))
            .withSuite(new ExpectationSuite("sites", List.of(
                Expectation.of("expect_column_values_to_be_between", Map.of("column", "reading", "min_value", 0))), IngestionPolicy.STRICT)),
        org.apache.spark.sql.types.StructType.fromDDL(ddl));

    InsertResult first = g.insert(day, InsertOptions.append("d1"));

    String recorded = io.delta.tables.DeltaTable.forPath(spark, g.path()).history(1).select("userMetadata").first().getString(0);
    assertTrue(recorded.contains("\"lakeline.fingerprint\":\"3:files\""), "the write's pass hashed no rows: " + recorded);
    // the same rows in another order and partitioning: the committed files (partition values included) match
    InsertResult again = g.insert(day.orderBy("reading").repartition(3), InsertOptions.append("d1"));
    assertTrue(again.skipped());
    assertEquals(first.deltaVersion(), again.deltaVersion());
    // as many rows, one value different: a conflict, found by reading the committed files; nothing written
    Dataset<Row> other = day.selectExpr("site", "sensor", "ts", "IF(sensor = 'b', 2.5D, reading) AS reading");
    var e = assertThrows(LakelineException.Conflict.class, () -> g.insert(other, InsertOptions.append("d1")));
    assertTrue(e.getMessage().contains("different content"), e.getMessage());
    assertEquals(first.deltaVersion(), g.deltaVersion());
    assertEquals(3, g.read().count());
  }
}
