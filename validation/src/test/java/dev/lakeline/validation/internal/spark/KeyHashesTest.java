package dev.lakeline.validation.internal.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.testkit.SparkTest;
import java.util.Arrays;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class KeyHashesTest {
  @Test
  void theRadixSortOrdersSignedLongsAsArraysSortDoes() {
    Random random = new Random(7);
    for (int n : new int[] {0, 1, 100, 5000, 100_000}) {
      long[] values = random.longs(n).toArray();
      if (n > 1) { // the extremes too
        values[0] = Long.MIN_VALUE;
        values[n - 1] = Long.MAX_VALUE;
      }
      long[] expected = values.clone();
      Arrays.sort(expected);
      assertArrayEquals(expected, KeyHashes.sorted(values, n), "n = " + n);
    }
    assertArrayEquals(new long[] {-3, 2}, KeyHashes.sorted(new long[] {2, -3, 99}, 2), "only the first n values");
  }

  @Test
  void aRepeatIsFoundWithinARunAndAcrossRuns(SparkSession spark) {
    Random random = new Random(11);
    long[] a = KeyHashes.sorted(random.longs(20_000).toArray(), 20_000);
    long[] b = KeyHashes.sorted(random.longs(30_000).toArray(), 30_000);
    long[] c = KeyHashes.sorted(random.longs(10_000).toArray(), 10_000);

    KeyHashes distinct = KeyHashes.register(spark, 1_000_000);
    distinct.add(a);
    distinct.add(b);
    distinct.add(c);
    assertFalse(distinct.anyRepeated());
    assertEquals(60_000, distinct.count());

    long[] withB = c.clone();
    withB[5000] = b[17]; // the third run shares one value with the second
    KeyHashes across = KeyHashes.register(spark, 1_000_000);
    across.add(a);
    across.add(b);
    across.add(KeyHashes.sorted(withB, withB.length));
    assertTrue(across.anyRepeated());

    long[] twice = a.clone();
    twice[101] = twice[100];
    KeyHashes within = KeyHashes.register(spark, 1_000_000);
    within.add(twice);
    assertTrue(within.anyRepeated());
  }

  @Test
  void moreHashesThanTheLimitOverflow(SparkSession spark) {
    KeyHashes small = KeyHashes.register(spark, 10);
    small.add(new long[] {1, 2, 3, 4, 5, 6});
    assertFalse(small.overflowed());
    small.add(new long[] {7, 8, 9, 10, 11});
    assertTrue(small.overflowed());
    assertEquals(0, small.count());
  }

  /** Large enough to be checked in slices of the value range: repeats at the slices' edges and at the extremes. */
  @Test
  void repeatsAtTheEdgesOfTheValueSlicesAreFound(SparkSession spark) {
    Random random = new Random(5);
    for (long v : new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MIN_VALUE + Long.divideUnsigned(-1L, 3), Long.MAX_VALUE}) {
      long[] a = random.longs(150_000).toArray();
      long[] b = random.longs(120_000).toArray();
      a[777] = v;
      KeyHashes once = KeyHashes.register(spark, 1_000_000);
      once.add(KeyHashes.sorted(a, a.length));
      once.add(KeyHashes.sorted(b, b.length));
      assertFalse(once.anyRepeated(), "once: " + v);
      b[4242] = v;
      KeyHashes twice = KeyHashes.register(spark, 1_000_000);
      twice.add(KeyHashes.sorted(a, a.length));
      twice.add(KeyHashes.sorted(b, b.length));
      assertTrue(twice.anyRepeated(), "across runs: " + v);
      long[][] runs = {KeyHashes.sorted(a, a.length), KeyHashes.sorted(b, b.length)};
      // any cut of the range finds it in the slice that holds it, and only there
      for (int slices : new int[] {1, 2, 3, 7}) {
        long step = Long.divideUnsigned(-1L, slices);
        int found = 0;
        for (int i = 0; i < slices; i++) {
          boolean last = i == slices - 1;
          if (KeyHashes.repeatedWithin(runs, Long.MIN_VALUE + step * i, last ? Long.MAX_VALUE : Long.MIN_VALUE + step * (i + 1), last)) {
            found++;
          }
        }
        assertEquals(1, found, v + " in " + slices + " slices");
      }
    }
  }

  /** Runs drawn from a small range (repeats likely, not certain): the k-way check agrees with counting distinct values. */
  @Test
  void theSlicedKWayCheckAgreesWithCountingDistinctValues() {
    Random random = new Random(3);
    int[] outcomes = new int[2];
    for (int trial = 0; trial < 300; trial++) {
      int k = 1 + random.nextInt(12);
      long[][] runs = new long[k][];
      java.util.Set<Long> distinct = new java.util.HashSet<>();
      long total = 0;
      long range = 1 + random.nextInt(200_000);
      for (int r = 0; r < k; r++) {
        long[] values = random.longs(random.nextInt(300), -range, range).map(v -> v * (Long.MAX_VALUE / range)).toArray();
        runs[r] = KeyHashes.sorted(values, values.length);
        for (long v : values) {
          distinct.add(v);
        }
        total += values.length;
      }
      boolean expected = distinct.size() < total;
      outcomes[expected ? 1 : 0]++;
      for (int slices : new int[] {1, 3}) {
        long step = Long.divideUnsigned(-1L, slices);
        boolean found = false;
        for (int i = 0; i < slices; i++) {
          boolean last = i == slices - 1;
          found |= KeyHashes.repeatedWithin(runs, Long.MIN_VALUE + step * i, last ? Long.MAX_VALUE : Long.MIN_VALUE + step * (i + 1), last);
        }
        assertEquals(expected, found, "trial " + trial + ", " + slices + " slices");
      }
    }
    assertTrue(outcomes[0] > 30 && outcomes[1] > 30, "both outcomes drawn: " + Arrays.toString(outcomes));
  }
}
