package dev.lakeline.pitjoin;

import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lakeline.pitjoin.internal.TieOrder;
import dev.lakeline.testkit.SparkTest;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver's side of the join without a shuffle, on hand-made pruned rows from two tasks: per spine position the
 * latest row across tasks (then the tie order), carried to the later positions of the key; strict sources; nothing for
 * a key without rows; and the two ways it gives up for the shuffle (two keys with one hash, more bytes than allowed).
 */
@SparkTest
class CollectedAnswersTest {
  private static final MergeRows LAYOUT = HandMadeRows.LAYOUT;
  private static final TieOrder ORDER = new TieOrder(new DataType[] {DataTypes.IntegerType}, false);

  private final List<InternalRow> rows = new ArrayList<>();
  private SpineIndex index;
  private long hashOfOne;
  private long hashOfThree;

  @BeforeEach
  void spine(SparkSession spark) {
    // key 1 at 100, 200 and 300; key 3 at 150 (micros)
    hashOfOne = spark.sql("SELECT xxhash64(1L)").head().getLong(0);
    hashOfThree = spark.sql("SELECT xxhash64(3L)").head().getLong(0);
    index = SpineIndex.build(
        spark.sql("SELECT * FROM VALUES (1L, 100L), (1L, 200L), (1L, 300L), (3L, 150L) AS s(k, t)")
            .withColumn("ts", expr("timestamp_micros(t)")),
        Times.micros("ts", DataTypes.TimestampType), List.of(List.of("k"))).get(0);
  }

  private void source(int source, long key, long hash, long time, int value) {
    rows.add(HandMadeRows.source(source, key, hash, 0, time, value));
  }

  /** The rows so far as two tasks (the first half and the second), collected with {@code budget} bytes. */
  private CollectedAnswers collect(SparkSession spark, long budget) {
    return CollectedAnswers.collect(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 2),
        index, LAYOUT, List.of(ORDER, ORDER), new boolean[] {false, true}, new long[] {Long.MAX_VALUE, Long.MAX_VALUE},
        HandMadeRows.SCHEMA, budget);
  }

  /** "time:value" of source {@code s}'s answer for key 1's spine row at {@code time}, or null. */
  private String answer(CollectedAnswers table, int s, long hash, long time) {
    int position = index.position(hash, time);
    UnsafeRow r = table.answer(s, position);
    return r == null ? null : r.getLong(MergeRows.TIME) + ":" + r.getStruct(LAYOUT.sourceColumn(s), 1).getInt(0);
  }

  @Test
  void eachSpinePositionGetsTheLatestRowOfAnyTaskOrCarriesTheLastOne(SparkSession spark) {
    source(0, 1, hashOfOne, 90, 1);   // task 1: interval of 100 …
    source(0, 1, hashOfOne, 150, 2);  // … and of 200
    source(1, 1, hashOfOne, 100, 7);  // strict: 100 is not before 100, so the interval of 200
    source(0, 1, hashOfOne, 95, 3);   // task 2: later than task 1's row of 100's interval: wins
    source(0, 1, hashOfOne, 150, 0);  // the same time as task 1's 2: 0 comes first in the tie order and wins
    source(0, 1, hashOfOne, 120, 4);  // earlier than 150 in the same interval: loses

    CollectedAnswers table = collect(spark, 1 << 20);

    assertNotNull(table);
    assertEquals("95:3", answer(table, 0, hashOfOne, 100));
    assertEquals("150:0", answer(table, 0, hashOfOne, 200));
    assertEquals("150:0", answer(table, 0, hashOfOne, 300), "no row in 300's interval: the one before is carried");
    assertNull(answer(table, 1, hashOfOne, 100), "strict: nothing before 100");
    assertEquals("100:7", answer(table, 1, hashOfOne, 200));
    assertEquals("100:7", answer(table, 1, hashOfOne, 300));
    assertNull(answer(table, 0, hashOfThree, 150), "a key without rows");
  }

  @Test
  void twoKeysWithOneHashGoThroughTheShuffleInstead(SparkSession spark) {
    source(0, 1, hashOfOne, 90, 1);
    source(0, 2, hashOfOne, 250, 2); // key 2 with key 1's hash: the carry per hash would hand it to key 1's 300

    assertNull(collect(spark, 1 << 20));
  }

  @Test
  void moreBytesThanAllowedGoThroughTheShuffleInstead(SparkSession spark) {
    for (int i = 0; i < 50; i++) {
      source(0, 1, hashOfOne, 10 + i, i);
    }

    assertNull(collect(spark, 2 * 1024), "about 2 KB of rows per task, 1 KB allowed");
    assertNotNull(collect(spark, 1 << 20));
  }
}
