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
}
