package dev.lakeline.pitjoin;

import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.pitjoin.internal.TieOrder;
import dev.lakeline.testkit.SparkTest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * The map side's pruning on hand-made rows: per (source, interval, key, bucket) the winner (latest time, then the tie
 * order), rows no spine row can take dropped (after the key's last spine time, unknown key, too old, strict), keys
 * that share a hash and other buckets kept apart, spine rows passed through, and early emission losing nothing.
 */
@SparkTest
class SourcePruningTest {
  private static final MergeRows LAYOUT = HandMadeRows.LAYOUT;

  private final List<InternalRow> input = new ArrayList<>();
  private long hashOfOne;

  /** Spine: key 1 at 100 and 200, key 3 at 150 (micros). */
  private Broadcast<SpineIndex> index(SparkSession spark) {
    hashOfOne = spark.sql("SELECT xxhash64(1L)").head().getLong(0);
    SpineIndex index = SpineIndex.build(
        spark.sql("SELECT * FROM VALUES (1L, 100L), (1L, 200L), (3L, 150L) AS s(k, t)").withColumn("ts", expr("timestamp_micros(t)")),
        Times.micros("ts", DataTypes.TimestampType), List.of(List.of("k"))).get(0);
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(index);
  }

  private void source(int source, long key, long hash, int bucket, long time, int value) {
    input.add(HandMadeRows.source(source, key, hash, bucket, time, value));
  }

  private void spineRow(long time) {
    input.add(HandMadeRows.spine(hashOfOne, time));
  }

  /** The rows given as "source:key:bucket:time:value" ("spine:time" for spine rows), sorted. */
  private Set<String> run(Broadcast<SpineIndex> index, int maxKept) {
    return run(index, maxKept, Long.MAX_VALUE);
  }

  private Set<String> run(Broadcast<SpineIndex> index, int maxKept, long maxKeptBytes) {
    TieOrder order = new TieOrder(new DataType[] {DataTypes.IntegerType}, false);
    SourcePruning pruning = new SourcePruning(index, LAYOUT, List.of(order, order), new boolean[] {false, true},
        new long[] {Long.MAX_VALUE, 60}, maxKept, maxKeptBytes);
    Set<String> out = new TreeSet<>();
    Iterator<InternalRow> rows;
    try {
      rows = pruning.call(input.iterator());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      out.add(r.getInt(MergeRows.KIND) == MergeRows.SPINE_KIND
          ? "spine:" + r.getLong(MergeRows.TIME)
          : r.getInt(MergeRows.SOURCE) + ":" + r.getLong(LAYOUT.key(0)) + ":" + r.getInt(MergeRows.BUCKET) + ":"
              + r.getLong(MergeRows.TIME) + ":" + r.getStruct(LAYOUT.sourceColumn(r.getInt(MergeRows.SOURCE)), 1).getInt(0));
    }
    return out;
  }

  @Test
  void eachIntervalKeepsItsWinnerAndRowsNoSpineRowCanTakeAreDropped(SparkSession spark) {
    Broadcast<SpineIndex> index = index(spark);
    long hashOfNine = spark.sql("SELECT xxhash64(9L)").head().getLong(0);
    source(0, 1, hashOfOne, 0, 50, 1);   // interval of 100 …
    source(0, 1, hashOfOne, 0, 90, 2);   // … replaced by a later row
    spineRow(100);
    source(0, 1, hashOfOne, 0, 90, 0);   // the same time: 0 comes first in the tie order and wins
    source(0, 1, hashOfOne, 0, 80, 5);   // older than the row held: dropped
    source(0, 1, hashOfOne, 0, 150, 4);  // interval of 200
    source(0, 1, hashOfOne, 0, 250, 3);  // after key 1's last spine time: dropped
    source(0, 2, hashOfOne, 0, 95, 6);   // key 2 with key 1's hash (a collision): kept apart
    source(0, 1, hashOfOne, 1, 60, 7);   // another bucket (a carry-in): kept apart
    source(0, 9, hashOfNine, 0, 10, 8);  // a key the spine does not have: dropped
    source(1, 1, hashOfOne, 0, 20, 9);   // strict, interval of 100, 80 older than it (maximum age 60): dropped
    source(1, 1, hashOfOne, 0, 160, 10); // strict, interval of 200, 40 old: kept …
    source(1, 1, hashOfOne, 0, 200, 11); // … strict: 200 is not before 200, and no later spine time: dropped

    Set<String> out = run(index, 1_000);

    assertEquals(new TreeSet<>(List.of("spine:100", "0:1:0:90:0", "0:1:0:150:4", "0:2:0:95:6", "0:1:1:60:7", "1:1:0:160:10")), out);
  }

  @Test
  void emittingEarlyAgainAndAgainKeepsEveryWinnerAmongTheRows(SparkSession spark) {
    Broadcast<SpineIndex> index = index(spark);
    for (int i = 0; i < 10; i++) {
      source(0, 1, hashOfOne, 0, 50 + i, i);       // interval of 100 …
      source(0, 1, hashOfOne, 0, 150 + i, 10 + i); // … then of 200: with room for two rows, each pair is emitted
    }

    Set<String> early = run(index, 2);

    assertTrue(early.containsAll(Set.of("0:1:0:59:9", "0:1:0:159:19")), "the last winners are emitted too: " + early);
    assertEquals(input.size(), early.size(), "each pair emitted as it filled the room");
  }

  @Test
  void emittingEarlyKeepsEveryWinnerAmongTheRows(SparkSession spark) {
    Broadcast<SpineIndex> index = index(spark);
    for (int i = 0; i < 40; i++) {
      source(0, 1, hashOfOne, 0, 60 + i * 3, i); // times 60 … 177: intervals of 100 and 200
    }

    Set<String> few = run(index, 1_000);
    Set<String> early = run(index, 2);

    assertEquals(Set.of("0:1:0:99:13", "0:1:0:177:39"), few);
    assertTrue(early.containsAll(few), "the winners are among the rows emitted early: " + early);
    assertTrue(early.size() > few.size() && early.size() < input.size(), early.size() + " rows");
  }

  @Test
  void theKeptBytesAreBoundedToo(SparkSession spark) {
    Broadcast<SpineIndex> index = index(spark);
    for (int i = 0; i < 40; i++) {
      source(0, 1, hashOfOne, 0, 60 + i * 3, i); // times 60 … 177: intervals of 100 and 200
    }
    long rowBytes = ((UnsafeRow) input.get(0)).getSizeInBytes() + 48;

    Set<String> few = run(index, 1_000, Long.MAX_VALUE);
    Set<String> early = run(index, 1_000, 2 * rowBytes); // room for two rows' bytes, however many rows are allowed

    assertEquals(Set.of("0:1:0:99:13", "0:1:0:177:39"), few);
    assertTrue(early.containsAll(few), "the winners are among the rows emitted early: " + early);
    assertTrue(early.size() > few.size() && early.size() < input.size(), early.size() + " rows");
  }
}
