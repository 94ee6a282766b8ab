package dev.lakeline.transformations;

import static dev.lakeline.transformations.TestData.frame;
import static dev.lakeline.transformations.TestData.row;
import static dev.lakeline.transformations.TestData.schema;
import static dev.lakeline.transformations.TestData.ts;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.core.internal.HashRuns;
import dev.lakeline.testkit.SparkTest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class RollingAggregatesTest {
  private static Dataset<Row> events(SparkSession spark) {
    return frame(spark, schema("id string", "card string", "t timestamp", "v int"),
        row("e1", "a", ts("2024-01-01T10:00:00Z"), 1),
        row("e2", "a", ts("2024-01-01T10:59:59Z"), 2),
        row("e3", "a", ts("2024-01-01T11:00:00Z"), 4),
        row("e4", "a", ts("2024-01-01T11:00:00Z"), null),
        row("e5", "a", ts("2024-01-01T11:59:59.999999Z"), 8),
        row("e6", "a", ts("2024-01-01T12:00:00Z"), 16),
        row("b1", "b", ts("2024-01-01T10:30:00Z"), 100),
        row("n1", null, ts("2024-01-01T10:30:00Z"), 5),
        row("n2", "a", null, 1000));
  }

  @Test
  void listsServeWhereVarargsDoSoThatPythonCanBuildSteps() {
    // PySpark's gateway turns a Python list into a java.util.List, never into a String... array
    assertEquals(RollingAggregates.of("card", "ts", "amount", "1h", "1d").withEntity("card", "bank")
            .withAggregates(Aggregate.SUM, Aggregate.COUNT),
        RollingAggregates.of("card", "ts", "amount", List.of("1h", "1d")).withEntity(List.of("card", "bank"))
            .withAggregates(List.of(Aggregate.SUM, Aggregate.COUNT)));
    assertEquals(DailySnapshots.of("card", "ts", "amount", "7d").withEntity("card", "bank").withAggregates(Aggregate.MAX),
        DailySnapshots.of("card", "ts", "amount", List.of("7d")).withEntity(List.of("card", "bank"))
            .withAggregates(List.of(Aggregate.MAX)));
    Step step = RollingAggregates.of("card", "ts", "amount", "1h");
    assertEquals(Pipeline.of(step), Pipeline.of(List.of(step)));
  }

  @Test
  void windowIsHalfOpenExactlyOneWindowBackIsOutTiesSeeEachOther(SparkSession spark) {
    RollingAggregates step = RollingAggregates.of("card", "t", "v", "1h").withAggregates(
        Aggregate.COUNT, Aggregate.EVENTS, Aggregate.SUM, Aggregate.MIN, Aggregate.MAX);
    Dataset<Row> out = step.apply(events(spark));
    List<List<Object>> got = TestData.values(out, "id", "v_count_1h", "v_events_1h", "v_sum_1h", "v_min_1h", "v_max_1h");
    assertEquals(List.of(
        Arrays.asList("b1", 1L, 1L, 100L, 100, 100),
        Arrays.asList("e1", 1L, 1L, 1L, 1, 1),
        // 10:59:59 is 1 s short of a window after e1: e1 is in.
        Arrays.asList("e2", 2L, 2L, 3L, 1, 2),
        // 11:00:00 is exactly 1h after e1: e1 is out. e3 and e4 share a time and see each other; e4's null value
        // counts as an event but not as a value.
        Arrays.asList("e3", 2L, 3L, 6L, 2, 4),
        Arrays.asList("e4", 2L, 3L, 6L, 2, 4),
        // e2 (10:59:59) is 1h and 0.999999 s back: out. e3/e4 are 1 us short of 1h back: in.
        Arrays.asList("e5", 2L, 3L, 12L, 4, 8),
        // e3/e4 exactly 1h back: out.
        Arrays.asList("e6", 2L, 2L, 24L, 8, 16),
        // A null entity or a null time: no window, null aggregates; and they count in nobody's window.
        Arrays.asList("n1", null, null, null, null, null),
        Arrays.asList("n2", null, null, null, null, null)), got);
  }

  @Test
  void meanAndSampleStddevIgnoreNullsAndStddevNeedsTwoValues(SparkSession spark) {
    Dataset<Row> out = RollingAggregates.of("card", "t", "v", "1h")
        .withAggregates(Aggregate.MEAN, Aggregate.STDDEV).apply(events(spark));
    Map<String, Double> mean = TestData.byId(out, "id", "v_mean_1h", o -> (Double) o);
    Map<String, Double> sd = TestData.byId(out, "id", "v_stddev_1h", o -> (Double) o);
    assertEquals(1.0, mean.get("e1"));
    assertEquals(null, sd.get("e1"), "one value: no sample stddev");
    assertEquals(1.5, mean.get("e2"));
    assertEquals(Math.sqrt(0.5), sd.get("e2"), 1e-12);
    assertEquals(3.0, mean.get("e4"));
    assertEquals(Math.sqrt(2), sd.get("e4"), 1e-12);
    assertEquals(12.0, mean.get("e6"));
    assertEquals(Math.sqrt(32), sd.get("e6"), 1e-12);
    assertEquals(null, mean.get("n2"));
  }

  @Test
  void outputTypesFollowTheValueAndColumnsAreNamedPrefixAggregateWindow(SparkSession spark) {
    RollingAggregates step = RollingAggregates.of("card", "t", "v", "1h", "7d").withPrefix("amt");
    Dataset<Row> out = step.apply(events(spark));
    assertEquals(DataTypes.LongType, out.schema().apply("amt_count_1h").dataType());
    assertEquals(DataTypes.LongType, out.schema().apply("amt_sum_7d").dataType());
    assertEquals(DataTypes.IntegerType, out.schema().apply("amt_min_7d").dataType());
    assertEquals(DataTypes.DoubleType, out.schema().apply("amt_mean_1h").dataType());
    assertEquals(DataTypes.DoubleType, out.schema().apply("amt_stddev_7d").dataType());
    assertEquals("amt_sum_7d", step.column(Aggregate.SUM, "7d"));
    assertEquals(4 + 12, out.columns().length);
    assertEquals(9, out.count(), "one output row per input row");
  }

  @Test
  void allWindowsShareOneShuffleAndNoSort(SparkSession spark) {
    Dataset<Row> out = RollingAggregates.of("card", "t", "v", "1h", "4h", "1d", "7d", "30d").apply(events(spark));
    String plan = out.queryExecution().executedPlan().toString();
    assertEquals(0, occurrences(plan, "Exchange"), "the pass reads its shuffled input directly: " + plan);
    assertEquals(0, occurrences(plan, "Window ["), plan);
    assertEquals(1, occurrences(plan, "Scan ExistingRDD"), "one forward pass computes every window: " + plan);
    String input = RollingFrames.shuffled(events(spark), List.of("card"), col("t").cast("long"), xxhash64(col("card")))
        .queryExecution().executedPlan().toString();
    assertEquals(1, occurrences(input, "Exchange hashpartitioning"), input);
    assertEquals(0, occurrences(input, "Sort ["), "the pass groups the rows by hash itself (HashRuns): " + input);
  }

  /**
   * A partition larger than the memory the grouping may hold goes through Spark's external sorter (here made to
   * spill to disk every 50 rows): the same values as Spark's window frames.
   */
  @Test
  void aPartitionTooLargeForMemoryGoesThroughSparksSorterWithTheSameValues(SparkSession spark) {
    Dataset<Row> in = spark.sql("SELECT CONCAT('e', id) AS id, CONCAT('c', id % 37) AS card,"
        + " TIMESTAMP_SECONDS(1700000000 + (id * 7919) % 200000) AS t, IF(id % 10 = 0, NULL, id % 101) AS v"
        + " FROM range(3000)");
    RollingAggregates step = RollingAggregates.of("card", "t", "v", "1h", "1d");
    Dataset<Row> spilled = RollingFrames.apply(in, step.entity(), Times.micros("t", in.schema().apply("t").dataType()),
        "v", step.windows().stream().map(w -> Durations.micros(RollingAggregates.NAME, w)).toList(), step.aggregates(),
        step.outputSchema(in.schema()), xxhash64(col("card")), new HashRuns.Limits(16 * 1024, 50));
    TestData.assertSameRows(
        step.withWindowFrames(in).orderBy("id").collectAsList(), spilled.orderBy("id").collectAsList(), spilled.columns());
  }

  /** Building the step's result runs no Spark job: the shuffle runs when the result is used, once. */
  @Test
  void applyingTheStepRunsNothingUntilTheResultIsUsed(SparkSession spark) {
    Dataset<Row> in = events(spark);
    var tracker = spark.sparkContext().statusTracker();
    String group = "rolling-lazy-" + System.nanoTime();
    spark.sparkContext().setJobGroup(group, "lazy apply", false);
    try {
      Dataset<Row> out = RollingAggregates.of("card", "t", "v", "1h", "1d").apply(in);
      assertEquals(0, tracker.getJobIdsForGroup(group).length, "apply() started a job");
      assertEquals(9, out.count());
      assertTrue(tracker.getJobIdsForGroup(group).length > 0);
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  /**
   * A floating-point key is one entity per value, as Spark's GROUP BY and window partitions take it: -0.0 and 0.0 are
   * one key (and so are NaNs), though their bits differ. With a second key column, on many partitions, and with
   * every entity on one hash.
   */
  @Test
  void floatingPointKeysEqualInValueAreOneEntity(SparkSession spark) {
    for (String type : List.of("double", "float")) {
      Dataset<Row> in = spark.sql("SELECT CAST(id AS BIGINT) AS id, CAST(k AS " + type + ") AS k, b, TIMESTAMP_SECONDS(t) AS t, CAST(v AS BIGINT) AS v FROM VALUES"
          + " (1, 0.0D, 'x', 0, 1), (2, -0.0D, 'x', 60, 2), (3, 0.0D, 'x', 120, 4), (4, -0.0D, 'y', 60, 8),"
          + " (5, CAST('NaN' AS DOUBLE), 'x', 0, 16), (6, -CAST('NaN' AS DOUBLE), 'x', 60, 32), (7, 1.0D, 'x', 60, 64)"
          + " AS r(id, k, b, t, v)").repartition(7);
      RollingAggregates step = RollingAggregates.of("k", "t", "v", "1h").withEntity("k", "b")
          .withAggregates(Aggregate.EVENTS, Aggregate.SUM);
      // 0.0 and -0.0 with b = x: one entity of three events (1, 2, 4 → sums 1, 3, 7)
      Map<Long, Long> sums = new java.util.TreeMap<>();
      step.apply(in).collectAsList().forEach(r -> sums.put(r.getLong(0), r.getLong(r.fieldIndex("v_sum_1h"))));
      assertEquals(Map.of(1L, 1L, 2L, 3L, 3L, 7L, 4L, 8L, 5L, 16L, 6L, 48L, 7L, 64L), sums, type);
      TestData.assertSameRows(step.withWindowFrames(in).orderBy("id").collectAsList(),
          step.apply(in).orderBy("id").collectAsList(), step.outputSchema(in.schema()).fieldNames());
      Dataset<Row> collided = RollingFrames.apply(in, step.entity(), Times.micros("t", in.schema().apply("t").dataType()),
          "v", List.of(Durations.micros(RollingAggregates.NAME, "1h")), step.aggregates(), step.outputSchema(in.schema()),
          lit(7L));
      TestData.assertSameRows(step.withWindowFrames(in).orderBy("id").collectAsList(),
          collided.orderBy("id").collectAsList(), collided.columns());
    }
  }

  /** Entities whose hashes collide are still told apart by their keys: here every entity has the same hash. */
  @Test
  void entitiesSharingAHashKeepTheirOwnWindows(SparkSession spark) {
    RollingAggregates step = RollingAggregates.of("card", "t", "v", "1h", "1d", "7d");
    Dataset<Row> in = events(spark);
    Dataset<Row> collided = RollingFrames.apply(in, List.of("card"), Times.micros("t", in.schema().apply("t").dataType()),
        "v", step.windows().stream().map(w -> Durations.micros(RollingAggregates.NAME, w)).toList(), step.aggregates(),
        step.outputSchema(in.schema()), lit(7L));
    TestData.assertSameRows(
        step.apply(in).orderBy("id").collectAsList(), collided.orderBy("id").collectAsList(), collided.columns());
  }

  /**
   * The pass writes its output rows as bytes (see RollingOutput): columns of every layout come through unchanged
   * (nested, variable-length, binary, decimals too wide for a long, nulls), wide-decimal minima and maxima are
   * written as Spark writes them, and keys of several columns (variable-length ones among them) are told apart by
   * their bytes when every entity shares one hash.
   */
  @Test
  void everyColumnLayoutPassesThroughAndCompositeKeysAreToldApart(SparkSession spark) {
    Dataset<Row> in = spark.sql("SELECT id, CAST(id % 3 AS INT) AS k1, IF(id % 11 = 0, 'x', CAST(id % 2 AS STRING)) AS k2,"
        + " CAST(id % 2 AS DECIMAL(25, 0)) AS k3, TIMESTAMP_SECONDS(1700000000 + (id * 7919) % 86400) AS t,"
        + " IF(id % 13 = 0, NULL, CAST((id % 17) - 8 AS DECIMAL(30, 4)) / 3) AS v,"
        + " IF(id % 5 = 0, NULL, CONCAT('text-', id)) AS s, ARRAY(id, id + 1) AS arr,"
        + " NAMED_STRUCT('a', id, 'b', CONCAT('x', REPEAT('y', CAST(id % 9 AS INT)))) AS st, MAP('k', id) AS m,"
        + " CAST(CONCAT('bin', id) AS BINARY) AS bin, IF(id % 4 = 0, NULL, CAST(id * 1000003 AS DECIMAL(38, 6))) AS wide,"
        + " CAST(id AS FLOAT) AS f FROM range(120)");
    RollingAggregates step = new RollingAggregates(List.of("k1", "k2", "k3"), "t", "v", List.of("1h", "6h", "1d"),
        Aggregate.DEFAULT, "v");
    StructType out = step.outputSchema(in.schema());
    assertEquals("decimal(32,6)", out.apply("v_min_1h").dataType().simpleString(), "a min over 18 digits");
    Dataset<Row> collided = RollingFrames.apply(in, step.entity(), Times.micros("t", in.schema().apply("t").dataType()),
        "v", step.windows().stream().map(w -> Durations.micros(RollingAggregates.NAME, w)).toList(), step.aggregates(),
        out, lit(7L));
    TestData.assertSameRows(
        step.withWindowFrames(in).orderBy("id").collectAsList(), collided.orderBy("id").collectAsList(), collided.columns());
  }

  /** Times spanning millennia (too wide to pack with the row index into one long) are still ordered right. */
  @Test
  void eventsSpanningMillenniaAreOrderedByTime(SparkSession spark) {
    List<Object[]> rows = new java.util.ArrayList<>();
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 200; i++) {
      int year = i < 2 ? (i == 0 ? 1 : 9999) : 1 + random.nextInt(9999);
      rows.add(row("e" + i, "a", java.sql.Timestamp.valueOf(String.format("%04d-06-01 00:00:00", year)), i % 50));
    }
    Dataset<Row> in = frame(spark, schema("id string", "card string", "t timestamp", "v int"), rows.toArray(Object[][]::new));
    RollingAggregates step = RollingAggregates.of("card", "t", "v", "3650d", "36500d");
    Dataset<Row> out = step.apply(in);
    TestData.assertSameRows(
        step.withWindowFrames(in).orderBy("id").collectAsList(), out.orderBy("id").collectAsList(), out.columns());
  }

  /** An output name that replaces an input column takes Spark's window frames instead: the same values. */
  @Test
  void replacingAnInputColumnGivesTheSameValuesThroughSparksWindowFrames(SparkSession spark) {
    RollingAggregates step = RollingAggregates.of("card", "t", "v", "1h", "1d");
    Dataset<Row> plain = step.apply(events(spark));
    Dataset<Row> replacing = step.apply(events(spark).withColumn("v_sum_1d", org.apache.spark.sql.functions.lit(0L)));
    assertTrue(replacing.queryExecution().executedPlan().toString().contains("Window ["));
    assertEquals(
        plain.select("id", "v_count_1h", "v_sum_1h", "v_min_1h", "v_max_1h", "v_sum_1d", "v_stddev_1d").orderBy("id").collectAsList(),
        replacing.select("id", "v_count_1h", "v_sum_1h", "v_min_1h", "v_max_1h", "v_sum_1d", "v_stddev_1d").orderBy("id").collectAsList());
  }

  @Test
  void aWindowLongerThanTheDataCoversEverythingEarlier(SparkSession spark) {
    Dataset<Row> out = RollingAggregates.of("card", "t", "v", "3650d").withAggregates(Aggregate.EVENTS).apply(events(spark));
    Map<String, Long> events = TestData.byId(out, "id", "v_events_3650d", o -> (Long) o);
    assertEquals(6L, events.get("e6"));
    assertEquals(4L, events.get("e3"));
  }

  @Test
  void subSecondTimesDatesAndCompositeKeys(SparkSession spark) {
    Dataset<Row> df = frame(spark, schema("id string", "k1 string", "k2 int", "d date", "v double"),
        row("r1", "x", 1, TestData.date("2024-03-01"), 1.0),
        row("r2", "x", 1, TestData.date("2024-03-02"), 2.0),
        row("r3", "x", 2, TestData.date("2024-03-02"), 4.0),
        row("r4", "x", 1, TestData.date("2024-03-03"), 8.0));
    Dataset<Row> out = new RollingAggregates(List.of("k1", "k2"), "d", "v", List.of("2d"), List.of(Aggregate.SUM), "v")
        .apply(df);
    Map<String, Double> sum = TestData.byId(out, "id", "v_sum_2d", o -> (Double) o);
    // A date is midnight UTC: 2 days back from 03-03 is 03-01 itself, which is out.
    assertEquals(Map.of("r1", 1.0, "r2", 3.0, "r3", 4.0, "r4", 10.0), sum);
  }

  @Test
  void windowsAreParsedAndChecked() {
    assertEquals(30_000_000L, Durations.micros("s", "30s"));
    assertEquals(15 * 60_000_000L, Durations.micros("s", "15m"));
    assertEquals(3_600_000_000L, Durations.micros("s", "1h"));
    assertEquals(7 * 86_400_000_000L, Durations.micros("s", "7d"));
    assertEquals(14 * 86_400_000_000L, Durations.micros("s", "2w"));
    for (String bad : List.of("0h", "-1h", "1.5h", "1 h", "h", "1y", "", "99999999999999999999d")) {
      var e = assertThrows(LakelineException.ConfigError.class, () -> RollingAggregates.of("c", "t", "v", bad), bad);
      assertTrue(e.getMessage().contains("rolling_aggregates") && e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
    assertTrue(assertThrows(LakelineException.ConfigError.class, () -> RollingAggregates.of("c", "t", "v", "-1h"))
        .getMessage().contains("cannot be negative"));
    assertTrue(assertThrows(LakelineException.ConfigError.class, () -> RollingAggregates.of("c", "t", "v", "1h", "60m"))
        .getMessage().contains("same length"));
  }

  @Test
  void contractErrorsNameTheStepAndTheColumn(SparkSession spark) {
    Dataset<Row> df = events(spark);
    var missing = assertThrows(LakelineException.ConfigError.class,
        () -> RollingAggregates.of("cardd", "t", "v", "1h").apply(df));
    assertTrue(missing.getMessage().contains("'rolling_aggregates'") && missing.getMessage().contains("'cardd'")
        && missing.getMessage().contains("Did you mean 'card'"), missing.getMessage());
    var value = assertThrows(LakelineException.ConfigError.class,
        () -> RollingAggregates.of("card", "t", "id", "1h").apply(df));
    assertTrue(value.getMessage().contains("numeric") && value.getMessage().contains("'id'"), value.getMessage());
    var time = assertThrows(LakelineException.ConfigError.class,
        () -> RollingAggregates.of("card", "v", "v", "1h").apply(df));
    assertTrue(time.getMessage().contains("timestamp") && time.getMessage().contains("'v'"), time.getMessage());
  }

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
