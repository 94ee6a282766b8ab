package dev.lakeline.pitjoin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Orders the rows of one key hash for {@link MergePass}: split by key (different keys can share a hash), then each
 * key's rows by (bucket, time, kind). When the ranges of bucket and time, the kind and the row's index fit in 63
 * bits together (always, unless a key's times span centuries or its run is huge), each row becomes one packed long
 * and a primitive sort orders them; otherwise a comparator on the same fields does. Rows without a time (spine rows
 * that match nothing, in buckets of their own) come first, as in Spark's ascending sort.
 */
final class RunOrder {
  private RunOrder() {}

  /** The run split into its keys, in order of first appearance; usually the run itself. */
  static List<List<InternalRow>> byKey(List<InternalRow> run, KeyEquality keys) {
    InternalRow first = run.get(0);
    boolean oneKey = true;
    for (int r = 1; oneKey && r < run.size(); r++) {
      oneKey = keys.same(first, run.get(r));
    }
    if (oneKey) {
      return List.of(run);
    }
    List<List<InternalRow>> out = new ArrayList<>();
    for (InternalRow row : run) {
      List<InternalRow> found = null;
      for (List<InternalRow> k : out) {
        if (keys.same(k.get(0), row)) {
          found = k;
          break;
        }
      }
      if (found == null) {
        found = new ArrayList<>();
        out.add(found);
      }
      found.add(row);
    }
    return out;
  }

  /** The rows of one key in (bucket, time, kind) order. */
  static List<InternalRow> sorted(List<InternalRow> rows) {
    int n = rows.size();
    if (n == 1) {
      return rows;
    }
    int[] bucket = new int[n];
    long[] time = new long[n];
    int[] kind = new int[n];
    long minB = Long.MAX_VALUE;
    long maxB = Long.MIN_VALUE;
    long minT = Long.MAX_VALUE;
    long maxT = Long.MIN_VALUE;
    boolean[] noTime = new boolean[n];
    for (int i = 0; i < n; i++) {
      InternalRow row = rows.get(i);
      bucket[i] = row.getInt(MergeRows.BUCKET);
      kind[i] = row.getInt(MergeRows.KIND);
      minB = Math.min(minB, bucket[i]);
      maxB = Math.max(maxB, bucket[i]);
      if (row.isNullAt(MergeRows.TIME)) {
        noTime[i] = true;
      } else {
        time[i] = row.getLong(MergeRows.TIME);
        minT = Math.min(minT, time[i]);
        maxT = Math.max(maxT, time[i]);
      }
    }
    if (minT > maxT) {
      minT = maxT = 0;
    }
    for (int i = 0; i < n; i++) {
      if (noTime[i]) {
        // nulls first, as Spark's ascending sort puts them (times are microseconds: minT - 1 cannot overflow)
        time[i] = minT - 1;
      }
    }
    for (int i = 0; i < n; i++) {
      minT = Math.min(minT, time[i]);
    }
    int idxBits = bits(n - 1);
    int kindBits = 2;
    int timeBits = bits(maxT - minT);
    int bucketBits = bits(maxB - minB);
    InternalRow[] out = new InternalRow[n];
    if (idxBits + kindBits + timeBits + bucketBits <= 63) {
      long[] packed = new long[n];
      for (int i = 0; i < n; i++) {
        packed[i] = (bucket[i] - minB) << (timeBits + kindBits + idxBits)
            | (time[i] - minT) << (kindBits + idxBits)
            | (long) kind[i] << idxBits
            | i;
      }
      Arrays.sort(packed);
      long mask = (1L << idxBits) - 1;
      for (int i = 0; i < n; i++) {
        out[i] = rows.get((int) (packed[i] & mask));
      }
    } else {
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.<Integer>comparingInt(i -> bucket[i])
          .thenComparingLong(i -> time[i])
          .thenComparingInt(i -> kind[i]));
      for (int i = 0; i < n; i++) {
        out[i] = rows.get(order[i]);
      }
    }
    return Arrays.asList(out);
  }

  /** The bits needed for the values 0..max. */
  private static int bits(long max) {
    return 64 - Long.numberOfLeadingZeros(max);
  }
}
