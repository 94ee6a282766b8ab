package dev.lakeline.pitjoin;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.expr;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Keys that hold so many rows that one task would do all their work, and how they are split: each hot key's rows
 * (spine and source) are cut into time ranges of about {@code threshold} rows, the ranges taken from a sample.
 * Each range is its own group in the forward pass, seeded with the last source rows before it ({@link CarryIns}),
 * so the split loses no match.
 *
 * @param keys the hot keys: hash and key values (Spark's internal values)
 * @param bounds per hot key, the ascending times at which its ranges 1, 2, … start
 */
record HotKeys(List<Key> keys, List<long[]> bounds) implements Serializable {
  /** A hot key: the hash the frame partitions by and the key values (empty when found from a {@link SpineIndex}). */
  record Key(long hash, List<Object> values) implements Serializable {}

  static final HotKeys NONE = new HotKeys(List.of(), List.of());
  private static final int SAMPLE_ROWS = 100_000;
  /** Input partitions the sample reads, evenly spaced; the others are never opened. */
  private static final int SAMPLED_PARTITIONS = 8;
  private static final int MAX_HOT_KEYS = 64;
  private static final int MAX_RANGES = 64;
  private static final long MIN_AUTOMATIC_ROWS = 50_000;

  boolean isEmpty() {
    return keys.isEmpty();
  }

  /**
   * Finds the hot keys of {@code narrow} (hash, bucket placeholder, time, … keys: the usable spine and source rows
   * in {@link MergeRows} layout) from a reservoir sample of up to 8 evenly spaced input partitions, which stand for
   * all (a key whose rows sit in partitions that are not read is found late or not at all: that costs balance,
   * never a match).
   *
   * @param threshold the rows from which a key is hot; 0 for automatic (the larger of 50,000 rows and an eighth of
   *     the rows of an average partition… see {@link PitJoinSpec#hotKeyRows()})
   */
  static HotKeys detect(Dataset<Row> narrow, MergeRows layout, long threshold, int partitions) {
    JavaRDD<InternalRow> rdd = narrow.queryExecution().toRdd().toJavaRDD();
    int parts = rdd.getNumPartitions();
    int step = Math.max(1, (parts + SAMPLED_PARTITIONS - 1) / SAMPLED_PARTITIONS);
    int read = (parts + step - 1) / step;
    int perPartition = Math.max(1_000, SAMPLE_ROWS / Math.max(1, read));
    List<Sample> samples = rdd.mapPartitionsWithIndex(
        (index, rows) -> index % step == 0
            ? List.of(Sample.of(index, rows, perPartition, layout)).iterator()
            : java.util.Collections.<Sample>emptyIterator(), false).collect();
    long sampled = samples.stream().mapToLong(Sample::count).sum();
    if (sampled == 0) {
      return NONE;
    }
    long total = sampled * parts / read; // the partitions read stand for all of them
    long limit = threshold > 0 ? threshold : Math.max(MIN_AUTOMATIC_ROWS, total / (2L * partitions));
    Map<List<Object>, Double> estimate = new HashMap<>();
    Map<List<Object>, List<Long>> times = new HashMap<>();
    for (Sample s : samples) {
      double weight = s.keys().isEmpty() ? 0 : (double) s.count() / s.keys().size() * parts / read;
      for (int i = 0; i < s.keys().size(); i++) {
        estimate.merge(s.keys().get(i), weight, Double::sum);
        times.computeIfAbsent(s.keys().get(i), k -> new ArrayList<>()).add(s.times()[i]);
      }
    }
    List<List<Object>> hot = new ArrayList<>();
    java.util.Set<Object> hashes = new java.util.HashSet<>();
    estimate.forEach((k, n) -> {
      if (n >= limit) {
        hot.add(k);
      }
    });
    hot.sort((a, b) -> Double.compare(estimate.get(b), estimate.get(a)));
    List<Key> keys = new ArrayList<>();
    List<long[]> bounds = new ArrayList<>();
    for (List<Object> k : hot.subList(0, Math.min(MAX_HOT_KEYS, hot.size()))) {
      int ranges = (int) Math.min(MAX_RANGES, Math.ceil(estimate.get(k) / limit));
      long[] b = quantiles(times.get(k), ranges);
      if (b.length > 0 && hashes.add(k.get(0))) {
        keys.add(new Key((Long) k.get(0), List.copyOf(k.subList(1, k.size()))));
        bounds.add(b);
      }
    }
    return new HotKeys(keys, bounds);
  }

  /**
   * The hot keys of a pass with a {@link SpineIndex}: a hash's rows are estimated as its spine rows times (1 +
   * sources), since {@link SourcePruning} leaves about one source row per spine row and source, and its ranges are
   * cut at its spine times' quantiles. Exact for the spine, no job; a key hot only on the source side is pruned to
   * its spine's size anyway.
   *
   * @param threshold as in {@link #detect}
   */
  static HotKeys fromSpine(SpineIndex index, int sources, long threshold, int partitions) {
    if (index.rows() == 0) {
      return NONE;
    }
    long total = (long) index.rows() * (1 + sources);
    long limit = threshold > 0 ? threshold : Math.max(MIN_AUTOMATIC_ROWS, total / (2L * partitions));
    List<Integer> hot = new ArrayList<>();
    for (int g = 0; g < index.groups(); g++) {
      if ((long) index.size(g) * (1 + sources) >= limit) {
        hot.add(g);
      }
    }
    hot.sort((a, b) -> Integer.compare(index.size(b), index.size(a)));
    List<Key> keys = new ArrayList<>();
    List<long[]> bounds = new ArrayList<>();
    for (int g : hot.subList(0, Math.min(MAX_HOT_KEYS, hot.size()))) {
      int n = index.size(g);
      int ranges = (int) Math.min(MAX_RANGES, Math.ceil((double) n * (1 + sources) / limit));
      List<Long> times = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        times.add(index.time(g, i));
      }
      long[] b = quantiles(times, ranges);
      if (b.length > 0) {
        keys.add(new Key(index.groupHash(g), List.of()));
        bounds.add(b);
      }
    }
    return new HotKeys(keys, bounds);
  }

  /** The distinct sampled times at which ranges 1 … n-1 start (ranges hold times {@code >=} their start). */
  private static long[] quantiles(List<Long> sample, int ranges) {
    List<Long> sorted = new ArrayList<>(sample);
    Collections.sort(sorted);
    long[] out = new long[ranges - 1];
    int n = 0;
    for (int r = 1; r < ranges; r++) {
      long t = sorted.get((int) ((long) r * sorted.size() / ranges));
      if (t > sorted.get(0) && (n == 0 || t > out[n - 1])) {
        out[n++] = t;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * The bucket of a usable row: for a key whose hash is hot, the number of its range starts at or before the row's
   * time; else 0. Only the hash is looked at: another key with the same hash is split the same way and gets its
   * own carry-ins, so a collision costs balance, never a match.
   */
  Column bucket() {
    if (keys.isEmpty()) {
      return lit(0);
    }
    String ranges = "map(" + rangeStarts() + ")[" + MergeRows.HASH_COLUMN + "]";
    return expr("CASE WHEN " + ranges + " IS NULL THEN 0 ELSE size(filter(" + ranges + ", x -> x <= "
        + MergeRows.TIME_COLUMN + ")) END");
  }

  /** Whether a row's key hash is a hot one. */
  Column isHot() {
    Column[] hashes = keys.stream().map(k -> lit(k.hash())).toArray(Column[]::new);
    return col(MergeRows.HASH_COLUMN).isin((Object[]) hashes);
  }

  /** How many ranges the keys with this hash have (1 when not hot). */
  int ranges(long hash) {
    for (int k = 0; k < keys.size(); k++) {
      if (keys.get(k).hash() == hash) {
        return bounds.get(k).length + 1;
      }
    }
    return 1;
  }

  private String rangeStarts() {
    StringBuilder sql = new StringBuilder();
    for (int k = 0; k < keys.size(); k++) {
      sql.append(k > 0 ? ", " : "").append(keys.get(k).hash()).append("L, array(");
      long[] b = bounds.get(k);
      for (int r = 0; r < b.length; r++) {
        sql.append(r > 0 ? ", " : "").append(b[r]).append('L');
      }
      sql.append(')');
    }
    return sql.toString();
  }

  /** A partition's row count and a uniform sample of (hash, key values) and times from it. */
  record Sample(long count, List<List<Object>> keys, long[] times) implements Serializable {
    static Sample of(int index, Iterator<InternalRow> rows, int size, MergeRows layout) {
      Random random = new Random(31L * index + 7);
      List<List<Object>> keys = new ArrayList<>();
      long[] times = new long[size];
      long seen = 0;
      while (rows.hasNext()) {
        InternalRow r = rows.next();
        int slot = seen < size ? (int) seen : (int) (random.nextDouble() * (seen + 1));
        seen++;
        if (slot >= size) {
          continue;
        }
        List<Object> key = new ArrayList<>();
        key.add(r.getLong(MergeRows.HASH));
        for (int i = 0; i < layout.keyTypes().length; i++) {
          key.add(InternalRow.copyValue(r.get(layout.key(i), layout.keyTypes()[i])));
        }
        if (slot == keys.size()) {
          keys.add(key);
        } else {
          keys.set(slot, key);
        }
        times[slot] = r.getLong(MergeRows.TIME);
      }
      return new Sample(seen, keys, Arrays.copyOf(times, keys.size()));
    }
  }
}
