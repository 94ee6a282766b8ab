package dev.lakeline.pitjoin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/**
 * The order {@link MergePass} gives the rows of one key hash: split by key (colliding keys), then (bucket, time,
 * kind), by packed longs or, when the ranges do not fit in 63 bits, by a comparator; both must equal a plain sort.
 */
class RunOrderTest {
  private static final MergeRows LAYOUT = new MergeRows(new DataType[] {DataTypes.StringType}, 1);

  private static InternalRow row(String key, int bucket, Long time, int kind, int id) {
    Object[] v = new Object[LAYOUT.key(0) + 1];
    v[MergeRows.HASH] = 42L; // every key collides
    v[MergeRows.BUCKET] = bucket;
    v[MergeRows.TIME] = time;
    v[MergeRows.KIND] = kind;
    v[MergeRows.SOURCE] = id; // stands in for the row's identity here
    v[LAYOUT.key(0)] = key == null ? null : UTF8String.fromString(key);
    return new GenericInternalRow(v);
  }

  private static List<InternalRow> randomRun(Random random, int n, long timeSpan) {
    List<InternalRow> rows = new ArrayList<>();
    String[] keys = {"a", "b", null};
    for (int i = 0; i < n; i++) {
      long t = random.nextLong(timeSpan);
      rows.add(row(keys[random.nextInt(3)], random.nextInt(3) - 1, random.nextInt(20) == 0 ? null : t,
          random.nextInt(3), i));
    }
    return rows;
  }

  /** (bucket, time with nulls first, kind, position in the input): what any correct order must agree with. */
  private static List<Integer> expected(List<InternalRow> sameKey) {
    List<InternalRow> copy = new ArrayList<>(sameKey);
    copy.sort(java.util.Comparator.<InternalRow>comparingInt(r -> r.getInt(MergeRows.BUCKET))
        .thenComparingLong(r -> r.isNullAt(MergeRows.TIME) ? Long.MIN_VALUE : r.getLong(MergeRows.TIME))
        .thenComparingInt(r -> r.getInt(MergeRows.KIND))
        .thenComparingInt(r -> r.getInt(MergeRows.SOURCE)));
    return copy.stream().map(r -> r.getInt(MergeRows.SOURCE)).toList();
  }

  private static void assertOrdered(List<InternalRow> run) {
    List<List<InternalRow>> keys = RunOrder.byKey(run, new KeyEquality(LAYOUT));
    int total = 0;
    for (List<InternalRow> k : keys) {
      total += k.size();
      for (InternalRow r : k) {
        assertEquals(String.valueOf(k.get(0).isNullAt(LAYOUT.key(0)) ? null : k.get(0).getUTF8String(LAYOUT.key(0))),
            String.valueOf(r.isNullAt(LAYOUT.key(0)) ? null : r.getUTF8String(LAYOUT.key(0))), "one key per group");
      }
      List<Integer> got = RunOrder.sorted(k).stream().map(r -> r.getInt(MergeRows.SOURCE)).toList();
      List<Integer> want = expected(k);
      // rows equal in (bucket, time, kind) may come in any order; compare those fields position by position
      assertEquals(fields(k, want), fields(k, got));
    }
    assertEquals(run.size(), total);
  }

  private static List<String> fields(List<InternalRow> rows, List<Integer> ids) {
    java.util.Map<Integer, InternalRow> byId = new java.util.HashMap<>();
    rows.forEach(r -> byId.put(r.getInt(MergeRows.SOURCE), r));
    return ids.stream().map(byId::get).map(r -> r.getInt(MergeRows.BUCKET) + "/"
        + (r.isNullAt(MergeRows.TIME) ? "null" : r.getLong(MergeRows.TIME)) + "/" + r.getInt(MergeRows.KIND)).toList();
  }

  @Test
  void collidingKeysAreSeparatedAndEachKeysRowsOrderedByBucketTimeAndKind() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      assertOrdered(randomRun(random, 1 + random.nextInt(300), 1_000_000L));
    }
  }

  @Test
  void timesSpanningMillenniaFallBackToTheComparatorWithTheSameOrder() {
    Random random = new Random(11);
    for (int round = 0; round < 50; round++) {
      List<InternalRow> run = randomRun(random, 2 + random.nextInt(3000), Long.MAX_VALUE / 4);
      run.add(row("a", 0, -Long.MAX_VALUE / 4, 0, run.size())); // the range alone needs 63 bits
      assertOrdered(run);
    }
  }
}
