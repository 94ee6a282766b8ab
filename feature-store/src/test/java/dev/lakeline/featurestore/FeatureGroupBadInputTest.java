package dev.lakeline.featurestore;

import static dev.lakeline.testkit.DataFrameAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import dev.lakeline.validation.Decision;
import dev.lakeline.validation.Expectation;
import dev.lakeline.validation.ExpectationSuite;
import dev.lakeline.validation.IngestionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad inputs and races of the gate, end to end through a feature group: each one is a clear error with the
 * table unchanged, or lands exactly once. (Null and duplicate keys, wrong types and missing or extra columns are
 * in {@link FeatureGroupTest}; out-of-set values in {@link FeatureGroupTest} and {@link IngestionPolicyTest}.)
 */
@SparkTest
class FeatureGroupBadInputTest {

  /** Rows of (id string, ts timestamp, reading double) from SQL literals such as {@code ('a', 1, 5.0)}. */
  private static Dataset<Row> readings(SparkSession spark, String values) {
    return spark.sql(
        "SELECT CAST(id AS STRING) AS id, CAST(timestamp_seconds(1704067200 + 3600 * h) AS TIMESTAMP) AS ts,"
            + " CAST(reading AS DOUBLE) AS reading FROM VALUES " + values + " AS t(id, h, reading)");
  }

  private static Dataset<Row> noReadings(SparkSession spark) {
    return readings(spark, "('x', 0, 1.0)").limit(0);
  }

  private static FeatureGroup sensors(SparkSession spark, TestLakehouse lh, IngestionPolicy policy, Expectation... suite) {
    return FeatureStore.open(spark, lh.layout())
        .createFeatureGroup(
            FeatureGroupSpec.of("sensors", List.of("id"), "ts").withSuite(new ExpectationSuite("sensors", List.of(suite), policy)),
            noReadings(spark).schema());
  }

  private static Expectation between(String column, Object min, Object max) {
    return Expectation.of("expect_column_values_to_be_between", Map.of("column", column, "min_value", min, "max_value", max));
  }

  private static <E extends Throwable> E assertFailsUntouched(FeatureGroup g, Class<E> type, Executable insert, String... mentions) {
    long version = g.deltaVersion();
    List<Row> before = g.read().collectAsList();
    E e = assertThrows(type, insert);
    for (String m : mentions) {
      assertTrue(e.getMessage().contains(m), "the message should mention '" + m + "':\n" + e.getMessage());
    }
    assertEquals(version, g.deltaVersion(), "nothing may be committed");
    assertEquals(before.size(), g.read().count());
    return e;
  }

  @Test
  void nanAndInfinityLieWithinNoBoundsAndAreRejected(SparkSession spark, TestLakehouse lh) {
    FeatureGroup g = sensors(spark, lh, IngestionPolicy.STRICT, between("reading", 0, 100));
    g.insert(readings(spark, "('a', 0, 5.0)"), InsertOptions.append("good"));

    assertFailsUntouched(g, LakelineException.DataRejected.class,
        () -> g.insert(readings(spark, "('a', 1, 6.0), ('b', 1, double('NaN'))"), InsertOptions.append("nan")), "reading", "NaN");
    assertFailsUntouched(g, LakelineException.DataRejected.class,
        () -> g.insert(readings(spark, "('a', 1, 6.0), ('b', 1, double('Infinity'))"), InsertOptions.append("inf")), "reading");
    assertFailsUntouched(g, LakelineException.DataRejected.class,
        () -> g.insert(readings(spark, "('a', 1, 6.0), ('b', 1, double('-Infinity'))"), InsertOptions.append("-inf")), "reading");
  }

  @Test
  void quarantineHoldsBackExactlyTheNonFiniteRows(SparkSession spark, TestLakehouse lh) {
    FeatureGroup g = sensors(spark, lh, IngestionPolicy.QUARANTINE, between("reading", 0, 100));
    InsertResult r = g.insert(
        readings(spark, "('a', 0, 5.0), ('b', 0, double('NaN')), ('c', 0, double('Infinity')), ('d', 0, NULL)"),
        InsertOptions.append("mixed"));

    assertEquals(Decision.QUARANTINED, r.decision());
    assertEquals(2, r.rows(), "the finite value and the null (nulls are not evaluated) are committed");
    assertEquals(2, r.quarantinedRows());
    assertEquals(List.of("b", "c"), g.quarantined().orderBy("id").select("id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  @Test
  void nanIsAValueNotANullForTheNullChecks(SparkSession spark, TestLakehouse lh) {
    FeatureGroup g = sensors(spark, lh, IngestionPolicy.STRICT,
        Expectation.of("expect_column_values_to_not_be_null", Map.of("column", "reading")));
    InsertResult r = g.insert(readings(spark, "('a', 0, double('NaN'))"), InsertOptions.append("nan"));
    assertEquals(1, r.rows(), "Great Expectations' null checks do not treat NaN as missing; bound the column to refuse it");
    assertTrue(Double.isNaN(g.read().head().getDouble(2)));
  }

  @Test
  void anEmptyBatchIsValidCommitsNoRowsAndItsReplayIsANoOp(SparkSession spark, TestLakehouse lh) {
    FeatureGroup g = sensors(spark, lh, IngestionPolicy.STRICT, between("reading", 0, 100));
    g.insert(readings(spark, "('a', 0, 5.0)"), InsertOptions.append("first"));

    InsertResult empty = g.insert(noReadings(spark), InsertOptions.append("quiet-day"));
    assertEquals(Decision.INGESTED, empty.decision());
    assertEquals(0, empty.rows());
    assertEquals(1, g.read().count());
    InsertResult replay = g.insert(noReadings(spark), InsertOptions.append("quiet-day"));
    assertTrue(replay.skipped());
    assertEquals(empty.deltaVersion(), g.deltaVersion());
    assertEquals(2, g.validationHistory(10).stream().filter(rep -> rep.batchId().equals("quiet-day")).count(),
        "both attempts leave a report");
  }

  @Test
  void aSuiteCanRefuseEmptyBatches(SparkSession spark, TestLakehouse lh) {
    FeatureGroup g = sensors(spark, lh, IngestionPolicy.STRICT,
        Expectation.of("expect_table_row_count_to_be_between", Map.of("min_value", 1)));
    g.insert(readings(spark, "('a', 0, 5.0)"), InsertOptions.overwrite("day-1"));

    assertFailsUntouched(g, LakelineException.DataRejected.class,
        () -> g.insert(noReadings(spark), InsertOptions.overwrite("day-2")), "expect_table_row_count_to_be_between");
    assertEquals(1, g.read().count(), "an empty overwrite must not wipe the group when the suite forbids it");
  }

  @Test
  void aSuiteNamingAMissingColumnFailsAtCreationAndCreatesNothing(SparkSession spark, TestLakehouse lh) {
    FeatureStore store = FeatureStore.open(spark, lh.layout());
    ExpectationSuite suite = new ExpectationSuite("sensors", List.of(between("temperature", 0, 100)));
    var e = assertThrows(LakelineException.ConfigError.class,
        () -> store.createFeatureGroup(FeatureGroupSpec.of("sensors", List.of("id"), "ts").withSuite(suite), noReadings(spark).schema()));
    assertTrue(e.getMessage().contains("'temperature'") && e.getMessage().contains("reading"), e.getMessage());
    assertThrows(LakelineException.NotFound.class, () -> store.getFeatureGroup("sensors", 1));
  }

  @Test
  void anEventTimeThatIsNotATimestampOrADateFailsAtCreationAndCreatesNothing(SparkSession spark, TestLakehouse lh) {
    FeatureStore store = FeatureStore.open(spark, lh.layout());
    for (String type : List.of("double", "bigint", "string", "timestamp_ntz")) {
      StructType schema = StructType.fromDDL("id string, ts " + type + ", reading double");
      var e = assertThrows(LakelineException.ConfigError.class,
          () -> store.createFeatureGroup(FeatureGroupSpec.of("sensors", List.of("id"), "ts"), schema));
      assertTrue(e.getMessage().contains("Feature group sensors v1: the event time column 'ts' is " + type
          + "; an event time must be a TIMESTAMP or a DATE"), e.getMessage());
      assertThrows(LakelineException.NotFound.class, () -> store.getFeatureGroup("sensors", 1));
    }
    StructType dated = StructType.fromDDL("id string, ts date, reading double");
    assertEquals(1, store.createFeatureGroup(FeatureGroupSpec.of("sensors", List.of("id"), "ts"), dated).spec().version());
  }

  @Test
  void aMalformedSuiteFileIsAConfigErrorNamingTheFileAndTheFix(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("sensors.yaml"), """
        name: sensors
        primary_key: [id]
        event_time: ts
        suite: suite.yaml
        schema: {id: string, ts: timestamp, reading: double}
        """);
    Path suite = dir.resolve("suite.yaml");

    Files.writeString(suite, "expectation_suite_name: sensors\nexpectations:\n  - expectation_type: expect_column_values_to_be_between\n    kwargs: {column: reading, min_value: 0\n");
    var broken = assertThrows(LakelineException.ConfigError.class, () -> FeatureGroupFiles.load(dir.resolve("sensors.yaml")));
    assertTrue(broken.getMessage().contains(suite.toString()) && broken.getMessage().contains("line"), broken.getMessage());

    Files.writeString(suite, "expectation_suite_name: sensors\nexpectations:\n  - expectation_type: expect_column_values_to_be_betwen\n    kwargs: {column: reading}\n");
    var unknown = assertThrows(LakelineException.ConfigError.class, () -> FeatureGroupFiles.load(dir.resolve("sensors.yaml")));
    assertTrue(unknown.getMessage().contains("expect_column_values_to_be_betwen")
        && unknown.getMessage().contains("expect_column_values_to_be_between"), "names it and suggests the fix: " + unknown.getMessage());

    Files.writeString(suite, "expectation_suite_name: sensors\nexpectations:\n  - expectation_type: expect_column_values_to_be_between\n    kwargs: {colum: reading, min_value: 0}\n");
    var kwarg = assertThrows(LakelineException.ConfigError.class, () -> FeatureGroupFiles.load(dir.resolve("sensors.yaml")));
    assertTrue(kwarg.getMessage().contains("colum") && kwarg.getMessage().contains("column"), kwarg.getMessage());
  }

  @Test
  void anUnknownColumnTypeIsAConfigErrorNamingIt(SparkSession spark, TestLakehouse lh, @TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("g.yaml"), "name: g\nprimary_key: [id]\nschema: {id: string, amount: dubble}\n");
    var e = assertThrows(LakelineException.ConfigError.class, () -> FeatureGroupFiles.load(dir.resolve("g.yaml")));
    assertTrue(e.getMessage().contains("'amount'") && e.getMessage().contains("'dubble'"), e.getMessage());

    FeatureGroup g = sensors(spark, lh, IngestionPolicy.STRICT);
    var added = assertThrows(LakelineException.ConfigError.class, () -> g.addFeatures(List.of(new NewFeature("x", "flaot", "0"))));
    assertTrue(added.getMessage().contains("'flaot'"), added.getMessage());
  }

  @Test
  void aMalformedDefinitionIsOneLineNamingItsLineAndAMisspeltFieldGetsADidYouMean(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("g.yaml"), "name: g\nprimary_key: [id\nevent_time: ts\nschema: {id: string}\n");
    var malformed = assertThrows(LakelineException.ConfigError.class, () -> FeatureGroupFiles.load(file));
    assertTrue(malformed.getMessage().startsWith(file + " is not valid YAML at line "), malformed.getMessage());
    assertTrue(malformed.getMessage().contains("while parsing a flow sequence"), malformed.getMessage());
    assertFalse(malformed.getMessage().contains("\n"), "one line, without the parser's quotes of the file: " + malformed.getMessage());

    Files.writeString(file, "name: g\nprimary_keys: [id]\nevent_time: ts\nschema: {id: string}\n");
    var misspelt = assertThrows(LakelineException.ConfigError.class, () -> FeatureGroupFiles.load(file));
    assertTrue(misspelt.getMessage().contains("unknown field 'primary_keys'. Did you mean 'primary_key'?"), misspelt.getMessage());
  }

  @Test
  void aVersionThatIsNotAWholeNumberIsAConfigErrorNamingIt(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("g.yaml"), "name: g\nversion: v2\nprimary_key: [id]\nschema: {id: string}\n");
    var e = assertThrows(LakelineException.ConfigError.class, () -> FeatureGroupFiles.load(dir.resolve("g.yaml")));
    assertTrue(e.getMessage().contains(dir.resolve("g.yaml") + ": 'version' must be a whole number (version: 1), not 'v2'."),
        e.getMessage());
  }

  @Test
  void namesThatWouldLeaveTheLakehouseAreRefused(SparkSession spark, TestLakehouse lh) throws IOException {
    FeatureStore store = FeatureStore.open(spark, lh.layout());
    for (String name : List.of("../escape", "a/b", "..", "x\\y")) {
      var e = assertThrows(LakelineException.ConfigError.class,
          () -> store.createFeatureGroup(FeatureGroupSpec.of(name, List.of("id"), "ts"), noReadings(spark).schema()), name);
      assertTrue(e.getMessage().contains("must not contain"), e.getMessage());
      assertThrows(LakelineException.ConfigError.class, () -> store.getFeatureGroup(name, 1), name);
    }
    Path root = Path.of(lh.layout().root().replaceFirst("^file:", ""));
    try (var siblings = Files.list(root.getParent())) {
      assertFalse(siblings.anyMatch(p -> p.getFileName().toString().equals("escape")), "nothing is created outside the lakehouse");
    }
  }

  @Test
  void columnNamesWithSpacesDotsAndBackticksWorkEndToEnd(SparkSession spark, TestLakehouse lh) {
    Dataset<Row> batch = spark.sql(
        "SELECT CAST(c AS STRING) AS `card id`, CAST(timestamp_seconds(1704067200 + h) AS TIMESTAMP) AS `event time`,"
            + " CAST(a AS DOUBLE) AS `amount ``usd```, CAST(m AS STRING) AS `merchant.name`"
            + " FROM VALUES ('c1', 0, 5.0, 'shop'), ('c2', 0, 7.5, 'cafe') AS t(c, h, a, m)");
    ExpectationSuite suite = new ExpectationSuite("payments", List.of(
        between("amount `usd`", 0, 1000),
        Expectation.of("expect_column_values_to_be_in_set", Map.of("column", "merchant.name", "value_set", List.of("shop", "cafe")))),
        IngestionPolicy.QUARANTINE);
    FeatureGroup g = FeatureStore.open(spark, lh.layout())
        .createFeatureGroup(FeatureGroupSpec.of("payments", List.of("card id"), "event time").withSuite(suite), batch.schema());

    assertEquals(2, g.insert(batch, InsertOptions.append("b1")).rows());
    long version = g.deltaVersion();
    InsertResult bad = g.insert(
        batch.selectExpr("`card id`", "`event time`", "-1.0D AS `amount ``usd```", "`merchant.name`"), InsertOptions.append("b2"));
    assertEquals(2, bad.quarantinedRows());
    assertEquals(version, g.deltaVersion(), "no row passed: nothing is committed to the group");
    assertEquals(List.of("c1", "c2"), g.quarantined().orderBy("`card id`").select("`card id`").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertTrue(g.validationHistory(1).get(0).result().results().stream()
        .anyMatch(x -> !x.success() && x.label().contains("amount `usd`")), "the report names the column");
    Dataset<Row> fix = batch.where("`card id` = 'c1'").selectExpr("`card id`", "`event time`", "9.0D AS `amount ``usd```", "`merchant.name`");
    assertEquals(1, g.insert(fix, InsertOptions.upsert("fix")).rows());

    assertEquals(List.of("card id", "event time", "amount `usd`", "merchant.name"), List.of(g.read().columns()));
    assertEquals(List.of(9.0, 7.5), g.read().orderBy("`card id`").select("`amount ``usd```").as(org.apache.spark.sql.Encoders.DOUBLE()).collectAsList());
    assertEquals(List.of("c1", "c2"), FeatureStore.open(spark, lh.layout()).getFeatureGroup("payments", 1)
        .read().orderBy("`card id`").select("`card id`").as(org.apache.spark.sql.Encoders.STRING()).collectAsList(), "a new handle reads it too");
  }

  @Test
  void theSameBatchAppendedTwiceLandsOnceAndOtherContentUnderItsIdIsAConflict(SparkSession spark, TestLakehouse lh) {
    FeatureGroup g = sensors(spark, lh, IngestionPolicy.STRICT, between("reading", 0, 100));
    Dataset<Row> day = readings(spark, "('a', 0, 5.0), ('b', 0, 6.0)");
    InsertResult first = g.insert(day, InsertOptions.append("sensors:2024-01-01"));
    InsertResult again = g.insert(day.orderBy("reading").repartition(2), InsertOptions.append("sensors:2024-01-01"));

    assertFalse(first.skipped());
    assertTrue(again.skipped(), "a replay is reported as such");
    assertEquals(first.deltaVersion(), again.deltaVersion());
    assertEquals(2, g.read().count());
    assertFailsUntouched(g, LakelineException.Conflict.class,
        () -> g.insert(readings(spark, "('a', 0, 5.5)"), InsertOptions.append("sensors:2024-01-01")), "sensors:2024-01-01", "another id");
  }

  /** Runs the tasks at the same moment on their own threads and returns their results. */
  private static <T> List<T> atOnce(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    CyclicBarrier start = new CyclicBarrier(tasks.size());
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> t : tasks) {
        futures.add(pool.submit(() -> {
          start.await();
          return t.call();
        }));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(5, TimeUnit.MINUTES));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twoWritersAtOnceBothLandWithoutLostOrDuplicatedRows(SparkSession spark, TestLakehouse lh) throws Exception {
    FeatureGroup g = sensors(spark, lh, IngestionPolicy.STRICT, between("reading", 0, 100));
    g.insert(readings(spark, "('a', 0, 1.0), ('b', 0, 2.0)"), InsertOptions.append("seed"));
    FeatureGroup other = FeatureStore.open(spark, lh.layout()).getFeatureGroup("sensors", 1);

    // two appends of different batches
    atOnce(List.of(
        () -> g.insert(readings(spark, "('a', 1, 3.0), ('b', 1, 4.0)"), InsertOptions.append("writer-1")),
        () -> other.insert(readings(spark, "('c', 1, 5.0)"), InsertOptions.append("writer-2"))));
    // two upserts that touch the same table at once: Delta makes one of them conflict, and it is retried
    List<InsertResult> upserts = atOnce(List.of(
        () -> g.insert(readings(spark, "('a', 0, 10.0), ('d', 2, 6.0)"), InsertOptions.upsert("upsert-1")),
        () -> other.insert(readings(spark, "('b', 0, 20.0), ('e', 2, 7.0)"), InsertOptions.upsert("upsert-2"))));
    // the same batch from two writers: it lands once
    List<InsertResult> same = atOnce(List.of(
        () -> g.insert(readings(spark, "('f', 3, 8.0)"), InsertOptions.append("twice")),
        () -> other.insert(readings(spark, "('f', 3, 8.0)"), InsertOptions.append("twice"))));

    assertFalse(upserts.get(0).skipped() || upserts.get(1).skipped());
    assertEquals(1, same.stream().filter(r -> !r.skipped()).count(), "exactly one writer commits the shared batch: " + same);
    assertSameRows(
        readings(spark, "('a', 0, 10.0), ('b', 0, 20.0), ('a', 1, 3.0), ('b', 1, 4.0), ('c', 1, 5.0), ('d', 2, 6.0), ('e', 2, 7.0), ('f', 3, 8.0)"),
        g.read());
    assertEquals(1, g.history(100).stream().filter(c -> "twice".equals(c.batchId())).count());
  }
}
