package dev.lakeline.pitjoin;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.StageMetrics;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * The spine index: intervals (inclusive, strict, maximum age), what is indexed, the size limit, hot keys from the
 * spine, and that a join with it shuffles only the source rows that can be an answer.
 */
@SparkTest
class SpineIndexTest {
  /** Key 1 at times 10, 20, 20 and 30; key 2 at 15; a row without key and one without time (micros). */
  private static Dataset<Row> spine(SparkSession spark) {
    return spark.sql("SELECT * FROM VALUES (1L, 10L), (1L, 20L), (1L, 20L), (1L, 30L), (2L, 15L), (NULL, 12L), (1L, NULL)"
        + " AS s(k, t)").withColumn("ts", expr("timestamp_micros(t)"));
  }

  private static long hash(SparkSession spark, long key) {
    return spark.sql("SELECT xxhash64(" + key + "L)").head().getLong(0);
  }

  private static SpineIndex index(SparkSession spark, long maxRows) {
    List<SpineIndex> built = SpineIndex.build(spine(spark), Times.micros("ts", DataTypes.TimestampType),
        List.of(List.of("k")), maxRows);
    return built == null ? null : built.get(0);
  }

  @Test
  void aSourceRowsIntervalIsTheFirstSpineTimeOfItsHashThatCanTakeIt(SparkSession spark) {
    SpineIndex index = index(spark, 100);
    long one = hash(spark, 1);
    long never = Long.MAX_VALUE;

    assertEquals(5, index.rows(), "the rows without key or time are not indexed");
    int g = index.group(one);
    assertEquals(4, index.size(g));
    int at10 = index.interval(one, 10, false, never);
    assertEquals(10, time(index, at10));
    assertEquals(at10, index.interval(one, 3, false, never), "before the first spine time: the first");
    assertEquals(20, time(index, index.interval(one, 10, true, never)), "strict: the first spine time after it");
    assertEquals(20, time(index, index.interval(one, 11, false, never)));
    assertEquals(index.interval(one, 11, false, never), index.interval(one, 20, false, never),
        "duplicate spine times share the first position");
    assertEquals(30, time(index, index.interval(one, 25, false, never)));
    assertEquals(-1, index.interval(one, 31, false, never), "after the key's last spine time: no one's answer");
    assertEquals(-1, index.interval(one, 30, true, never));
    assertEquals(-1, index.interval(hash(spark, 3), 1, false, never), "a key the spine does not have");
    assertEquals(-1, index.interval(one, 12, false, 7), "20 - 12 > 7: too old for its first spine row, so for all");
    assertEquals(20, time(index, index.interval(one, 12, false, 8)));
    assertTrue(index.contains(one, 20));
    assertFalse(index.contains(one, 25));
    assertTrue(index.contains(hash(spark, 2), 15));
  }

  @Test
  void aCursorFindsTheSameIntervalsAsTheSearchWhateverTheOrderOfItsLookups() {
    java.util.Random random = new java.util.Random(5);
    int n = 2_000;
    long[] hashes = new long[n];
    long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      hashes[i] = random.nextInt(7) * 1_000_003L;
      times[i] = random.nextInt(500); // many duplicate times
    }
    SpineIndex index = SpineIndex.of(hashes, times);
    SpineIndex.Cursor cursor = index.new Cursor();
    long[] sorted = new long[3_000];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = random.nextInt(520) - 10;
    }
    java.util.Arrays.sort(sorted, 0, 1_500); // the first half ascending (the cursor's fast case), the rest at random
    for (long t : sorted) {
      long hash = random.nextInt(8) * 1_000_003L; // 7 * 1_000_003 is not in the index
      boolean strict = random.nextBoolean();
      long maxAge = random.nextBoolean() ? Long.MAX_VALUE : random.nextInt(30);
      assertEquals(index.interval(hash, t, strict, maxAge), cursor.interval(hash, t, strict, maxAge),
          "hash " + hash + " time " + t + " strict " + strict + " max age " + maxAge);
    }
  }

  /** The time at a global position: found through the groups, as the tests see only the public view. */
  private static long time(SpineIndex index, int position) {
    int start = 0;
    for (int g = 0; g < index.groups(); g++) {
      if (position < start + index.size(g)) {
        return index.time(g, position - start);
      }
      start += index.size(g);
    }
    throw new AssertionError("no position " + position);
  }

  @Test
  void aSpineWithMoreUsableRowsThanTheLimitIsNotIndexed(SparkSession spark) {
    assertNotNull(index(spark, 5));
    assertNull(index(spark, 4));
  }

  @Test
  void theIndexTakesEightBytesPerRowAndItsHashTableIsSizedByKeys() {
    int n = 100_000;
    long[] hashes = new long[n];
    long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      hashes[i] = (i % 10) * 7_919L;
      times[i] = i;
    }

    SpineIndex index = SpineIndex.of(hashes, times);

    assertEquals(10, index.groups());
    assertTrue(index.bytes() < 8L * n + 1_000, index.bytes() + " bytes");
    assertEquals(99_990, index.time(index.group(0), 9_999));
  }

  @Test
  void hotKeysComeFromTheSpineWithRangesAtItsTimes(SparkSession spark) {
    Dataset<Row> spine = spark.range(0, 1_000).select(
        expr("CASE WHEN id % 2 = 0 THEN 'hot' ELSE concat('k', id % 50) END").as("k"),
        expr("timestamp_micros(id)").as("ts"));
    SpineIndex index = SpineIndex.build(spine, Times.micros("ts", DataTypes.TimestampType), List.of(List.of("k"))).get(0);

    // 500 spine rows of 'hot' stand for 1,000 rows with one source: ranges of 250 rows, cut at its spine times
    HotKeys hot = HotKeys.fromSpine(index, 1, 250, 4);

    assertEquals(1, hot.keys().size(), "the other keys have 10 spine rows each");
    assertEquals(hash(spark, "hot"), hot.keys().get(0).hash());
    assertArrayEquals(new long[] {250, 500, 750}, hot.bounds().get(0));
    assertTrue(HotKeys.fromSpine(index, 1, 0, 4).isEmpty(), "automatic: far below 50,000 rows");
  }

  private static long hash(SparkSession spark, String key) {
    return spark.sql("SELECT xxhash64('" + key + "')").head().getLong(0);
  }

  @Test
  void theJoinShufflesOnlyTheSourceRowsThatCanBeAnAnswer(SparkSession spark) {
    // one key, 1,000 feature rows (times 0 … 999), two spine rows (times 500 and 2,000): two rows can be answers
    Dataset<Row> features = spark.range(0, 1_000, 1, 4).select(col("id").multiply(0).as("k"),
        expr("timestamp_micros(id)").as("ts"), col("id").as("v"));
    Dataset<Row> spine = spark.sql("SELECT 0L AS k, timestamp_micros(500L) AS ts UNION ALL SELECT 0L, timestamp_micros(2000L)");
    PitJoinSpec spec = new PitJoinSpec("ts", List.of(new FeatureJoin("f", List.of("k"), List.of("k"), "ts",
        List.of("v"), "", false)));

    StageMetrics.Counted<List<Row>> joined = StageMetrics.sum(spark, m -> m.shuffleWriteMetrics().recordsWritten(),
        () -> PointInTimeJoin.join(spine, spec, Map.of("f", features), SortMergeJoin.Plan.SHUFFLE).orderBy("ts")
            .collectAsList());

    assertEquals(500L, joined.result().get(0).getLong(2));
    assertEquals(999L, joined.result().get(1).getLong(2));
    // per input partition (4), at most one row per spine row; plus the two spine rows
    assertTrue(joined.total() <= 2 + 4 * 2, "shuffled " + joined.total() + " rows");
    long unpruned = StageMetrics.sum(spark, m -> m.shuffleWriteMetrics().recordsWritten(),
        () -> PointInTimeJoin.join(spine, spec, Map.of("f", features), SortMergeJoin.Plan.UNINDEXED).collectAsList())
        .total();
    assertTrue(unpruned >= 1_002, "without the index every row goes through the shuffle: " + unpruned);
  }

  @Test
  void aSmallSpineIsJoinedWithoutAShuffleAndTheSameRows(SparkSession spark) {
    // the pruned rows (at most 2 per input partition) are collected and broadcast; the spine joins them map-side
    Dataset<Row> features = spark.range(0, 1_000, 1, 4).select(col("id").mod(3).as("k"),
        expr("timestamp_micros(id)").as("ts"), col("id").as("v"));
    Dataset<Row> spine = spark.sql("SELECT k, t, timestamp_micros(t) AS ts FROM VALUES (0L, 500L), (1L, 500L), (2L, 2000L),"
        + " (0L, 2000L), (3L, 700L), (CAST(NULL AS BIGINT), 800L), (1L, CAST(NULL AS BIGINT)) AS s(k, t)");
    PitJoinSpec spec = new PitJoinSpec("ts", List.of(new FeatureJoin("f", List.of("k"), List.of("k"), "ts",
        List.of("v"), "", false)));

    StageMetrics.Counted<List<Row>> joined = StageMetrics.sum(spark, m -> m.shuffleWriteMetrics().recordsWritten(),
        () -> PointInTimeJoin.join(spine, spec, Map.of("f", features)).collectAsList());
    List<Row> shuffled = PointInTimeJoin.join(spine, spec, Map.of("f", features), SortMergeJoin.Plan.SHUFFLE)
        .collectAsList();

    assertEquals(0L, joined.total(), "no row goes through a shuffle");
    assertEquals(java.util.Set.copyOf(shuffled), java.util.Set.copyOf(joined.result()));
    assertEquals(7, joined.result().size());
    Map<String, Object> byKeyAndTime = new java.util.HashMap<>();
    for (Row r : joined.result()) {
      byKeyAndTime.put(r.get(0) + "@" + r.get(1), r.get(3));
    }
    assertEquals(498L, byKeyAndTime.get("0@500"));
    assertEquals(499L, byKeyAndTime.get("1@500"));
    assertEquals(998L, byKeyAndTime.get("2@2000"));
    assertEquals(999L, byKeyAndTime.get("0@2000"));
    assertNull(byKeyAndTime.get("3@700"), "a key without feature rows");
    assertNull(byKeyAndTime.get("null@800"), "a null key");
    assertNull(byKeyAndTime.get("1@null"), "a null time");
  }

  @Test
  void aSpineThatChangesBetweenItsTwoReadsIsAClearErrorNotAWrongJoin(SparkSession spark) {
    // a spine time that is new on every read (as with a table written to while the join runs)
    org.apache.spark.sql.expressions.UserDefinedFunction now = org.apache.spark.sql.functions.udf(
        (org.apache.spark.sql.api.java.UDF0<Long>) () -> System.nanoTime() / 1_000, DataTypes.LongType).asNondeterministic();
    Dataset<Row> spine = spark.range(0, 20).select(col("id").mod(2).as("k"), now.apply().as("t"))
        .withColumn("ts", expr("timestamp_micros(t)"));
    Dataset<Row> features = spark.range(0, 20).select(col("id").mod(2).as("k"), expr("timestamp_micros(id)").as("ts"),
        col("id").as("v"));
    PitJoinSpec spec = new PitJoinSpec("ts", List.of(new FeatureJoin("f", List.of("k"), List.of("k"), "ts",
        List.of("v"), "", false)));

    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> PointInTimeJoin.join(spine, spec, Map.of("f", features)).collectAsList());

    Throwable c = e;
    while (c != null && !(c instanceof dev.lakeline.core.LakelineException.ConfigError)) {
      c = c.getCause();
    }
    assertNotNull(c, "a ConfigError in the causes of " + e);
    assertTrue(c.getMessage().contains("read a second time") && c.getMessage().contains("localCheckpoint"), c.getMessage());
  }
}
