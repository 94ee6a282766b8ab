package dev.lakeline.pitjoin;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.lakeline.core.Errors;
import dev.lakeline.core.spark.SqlColumns;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * The times of the usable spine rows (key and time set) of one {@link SortMergeJoin} pass, grouped by key hash and
 * sorted: what lets the map side of the pass drop most source rows before the shuffle ({@link SourcePruning}), find
 * the hot keys exactly ({@link HotKeys#fromSpine}) and, in {@link MergePass}, check that the spine it joins is the
 * spine that was indexed.
 *
 * <p>For a source row with key hash {@code h} and time {@code t}, its <em>interval</em> is the position of the first
 * spine time of {@code h} at or after {@code t} ({@code > t} for a strict join): the spine rows it can be the answer
 * for are that one and the later ones, and of the source rows in one interval only the latest can be anyone's
 * answer. A source row after the hash's last spine time, or of a hash no spine row has, is no one's answer.
 */
final class SpineIndex implements Serializable {
  /** Usable spine rows, over all passes, beyond which no index is built (16 bytes each collected on the driver). */
  static final long MAX_ROWS = 4_000_000;
  /** The most an index may take (it is broadcast to every executor): 8 bytes per row, about 40 more per key hash. */
  static final long MAX_BYTES = 128L << 20;
  /** A partition's own limit (a spine in few partitions can still use the whole budget). */
  private static final long MIN_PARTITION_ROWS = 10_000;

  /** Distinct hashes in an open-addressing table: {@code slotHash} and, per slot, its group (-1 when empty). */
  private final long[] slotHash;
  private final int[] slotGroup;
  /** Per group (a distinct hash), its times: {@code times[start[g]] … times[start[g + 1] - 1]}, ascending. */
  private final int[] start;
  private final long[] groupHash;
  private final long[] times;

  private SpineIndex(long[] hashes, long[] pairTimes, int n) {
    // distinct hashes first, in a table sized for the rows; then the kept (broadcast) table sized for the hashes
    long[] tempHash = new long[tableSize(n)];
    int[] tempGroup = new int[tempHash.length];
    Arrays.fill(tempGroup, -1);
    int[] group = new int[n];
    long[] distinct = new long[16];
    int groups = 0;
    int[] counts = new int[Math.max(1, n)];
    for (int i = 0; i < n; i++) {
      int slot = slotOf(tempHash, tempGroup, hashes[i]);
      if (tempGroup[slot] < 0) {
        tempHash[slot] = hashes[i];
        tempGroup[slot] = groups;
        if (groups == distinct.length) {
          distinct = Arrays.copyOf(distinct, groups * 2);
        }
        distinct[groups++] = hashes[i];
      }
      group[i] = tempGroup[slot];
      counts[group[i]]++;
    }
    slotHash = new long[tableSize(groups)];
    slotGroup = new int[slotHash.length];
    Arrays.fill(slotGroup, -1);
    start = new int[groups + 1];
    groupHash = Arrays.copyOf(distinct, groups);
    for (int g = 0; g < groups; g++) {
      start[g + 1] = start[g] + counts[g];
      int slot = slotOf(slotHash, slotGroup, groupHash[g]);
      slotHash[slot] = groupHash[g];
      slotGroup[slot] = g;
    }
    times = new long[n];
    int[] fill = Arrays.copyOf(start, groups);
    for (int i = 0; i < n; i++) {
      times[fill[group[i]]++] = pairTimes[i];
    }
    for (int g = 0; g < groups; g++) {
      Arrays.sort(times, start[g], start[g + 1]);
    }
  }

  /** A power of two at least twice {@code entries} (and at least 8). */
  private static int tableSize(int entries) {
    return Integer.highestOneBit(Math.max(4, entries * 2 - 1)) << 1;
  }

  /** The slot of {@code hash} in an open-addressing table: where it is, or the empty slot where it would go. */
  private static int slotOf(long[] slotHash, int[] slotGroup, long hash) {
    int mask = slotHash.length - 1;
    int slot = (int) (hash ^ (hash >>> 32)) & mask;
    while (slotGroup[slot] >= 0 && slotHash[slot] != hash) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /** An index of the given (hash, time) pairs, in any order. */
  static SpineIndex of(long[] hashes, long[] times) {
    return new SpineIndex(hashes, times, hashes.length);
  }

  /**
   * One index per pass, from one job over the spine; null when the spine has more than {@link #MAX_ROWS} usable rows
   * or an index would take more than {@link #MAX_BYTES} (the passes then shuffle every source row, as without an
   * index).
   *
   * @param passKeys per pass, the spine's key columns
   */
  static List<SpineIndex> build(Dataset<Row> spine, Column micros, List<List<String>> passKeys) {
    return build(spine, micros, passKeys, MAX_ROWS);
  }

  /** {@code maxRows}: the limit of usable spine rows (tests set a small one). */
  static List<SpineIndex> build(Dataset<Row> spine, Column micros, List<List<String>> passKeys, long maxRows) {
    List<Column> cols = new ArrayList<>();
    cols.add(micros);
    for (List<String> keys : passKeys) {
      Column usable = lit(true);
      Column[] k = keys.stream().map(SqlColumns::col).toArray(Column[]::new);
      for (Column c : k) {
        usable = usable.and(c.isNotNull());
      }
      cols.add(when(usable, xxhash64(k)));
    }
    JavaRDD<InternalRow> rows =
        spine.where(micros.isNotNull()).select(cols.toArray(Column[]::new)).queryExecution().toRdd().toJavaRDD();
    int passes = passKeys.size();
    long perPartition = Math.min(maxRows + 1, Math.max(MIN_PARTITION_ROWS, 4 * maxRows / Math.max(1, rows.getNumPartitions())));
    List<Part> parts = rows.mapPartitions(it -> List.of(Part.of(it, passes, perPartition)).iterator()).collect();
    long total = 0;
    for (Part p : parts) {
      if (p.rows() < 0) {
        return null;
      }
      total += p.rows();
    }
    if (total > maxRows) {
      return null;
    }
    List<SpineIndex> out = new ArrayList<>();
    for (int pass = 0; pass < passes; pass++) {
      int n = 0;
      for (Part p : parts) {
        n += p.count()[pass];
      }
      long[] hashes = new long[n];
      long[] t = new long[n];
      int at = 0;
      for (Part p : parts) {
        System.arraycopy(p.hashes()[pass], 0, hashes, at, p.count()[pass]);
        System.arraycopy(p.times()[pass], 0, t, at, p.count()[pass]);
        at += p.count()[pass];
      }
      SpineIndex index = new SpineIndex(hashes, t, n);
      if (index.bytes() > MAX_BYTES) {
        return null;
      }
      out.add(index);
    }
    return out;
  }

  /** One spine partition's usable (hash, time) pairs per pass; {@code rows} -1 when it had too many. */
  record Part(long rows, int[] count, long[][] hashes, long[][] times) implements Serializable {
    static Part of(Iterator<InternalRow> it, int passes, long limit) {
      int[] count = new int[passes];
      long[][] hashes = new long[passes][1024];
      long[][] times = new long[passes][1024];
      long rows = 0;
      while (it.hasNext()) {
        InternalRow r = it.next();
        long t = r.getLong(0);
        for (int p = 0; p < passes; p++) {
          if (r.isNullAt(p + 1)) {
            continue;
          }
          if (++rows > limit) {
            return new Part(-1, new int[passes], new long[passes][], new long[passes][]);
          }
          int c = count[p];
          if (c == hashes[p].length) {
            hashes[p] = Arrays.copyOf(hashes[p], c * 2);
            times[p] = Arrays.copyOf(times[p], c * 2);
          }
          hashes[p][c] = r.getLong(p + 1);
          times[p][c] = t;
          count[p] = c + 1;
        }
      }
      for (int p = 0; p < passes; p++) {
        hashes[p] = Arrays.copyOf(hashes[p], count[p]);
        times[p] = Arrays.copyOf(times[p], count[p]);
      }
      return new Part(rows, count, hashes, times);
    }
  }

  /** The group of {@code hash}, -1 when no usable spine row has it. */
  int group(long hash) {
    return slotGroup[slotOf(slotHash, slotGroup, hash)];
  }

  int groups() {
    return groupHash.length;
  }

  long groupHash(int g) {
    return groupHash[g];
  }

  /** The position of group {@code g}'s first (smallest) spine time. */
  int first(int g) {
    return start[g];
  }

  /** The spine rows of group {@code g}. */
  int size(int g) {
    return start[g + 1] - start[g];
  }

  /** The {@code i}-th smallest spine time of group {@code g}. */
  long time(int g, int i) {
    return times[start[g] + i];
  }

  /** The memory the index's arrays take. */
  long bytes() {
    return 8L * times.length + 12L * slotHash.length + 12L * groupHash.length;
  }

  /** The usable spine rows indexed. */
  int rows() {
    return times.length;
  }

  /**
   * The interval of a source row (a global position into the spine times), or -1 when no spine row can take it: no
   * spine row of its hash is at or after {@code time} ({@code > time} when {@code strict}), or the first one that is
   * lies more than {@code maxAgeMicros} after it.
   */
  int interval(long hash, long time, boolean strict, long maxAgeMicros) {
    int g = group(hash);
    return g < 0 ? -1 : intervalIn(g, time, strict, maxAgeMicros);
  }

  /** {@link #interval} within group {@code g} (a hash already looked up). */
  int intervalIn(int g, long time, boolean strict, long maxAgeMicros) {
    return checkAge(g, search(g, start[g], start[g + 1], time, strict), time, maxAgeMicros);
  }

  /** The first position in [lo, hi) whose time is {@code >= time} ({@code > time} when strict); hi when none. */
  private int search(int g, int lo, int hi, long time, boolean strict) {
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (strict ? times[mid] <= time : times[mid] < time) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private int checkAge(int g, int at, long time, long maxAgeMicros) {
    return at == start[g + 1] || times[at] - time > maxAgeMicros ? -1 : at;
  }

  /** A task's lookups: remembers each hash's last interval and tries it and the next first (time-ordered input). */
  final class Cursor {
    private final int[] last = new int[groupHash.length];

    int interval(long hash, long time, boolean strict, long maxAgeMicros) {
      int g = group(hash);
      if (g < 0) {
        return -1;
      }
      int lo = start[g];
      int hi = start[g + 1];
      int at = -1;
      int guess = last[g];
      for (int c = guess; c <= guess + 1 && c <= hi; c++) {
        if (c >= lo && (c == hi || takes(c, time, strict)) && (c == lo || !takes(c - 1, time, strict))) {
          at = c;
          break;
        }
      }
      if (at < 0) {
        at = search(g, lo, hi, time, strict);
      }
      last[g] = at;
      return checkAge(g, at, time, maxAgeMicros);
    }

    private boolean takes(int position, long time, boolean strict) {
      return strict ? times[position] > time : times[position] >= time;
    }
  }

  /** The first position of a usable spine row with this hash and time, or -1 when none was indexed. */
  int position(long hash, long time) {
    int g = group(hash);
    if (g < 0) {
      return -1;
    }
    int at = search(g, start[g], start[g + 1], time, false);
    return at < start[g + 1] && times[at] == time ? at : -1;
  }

  /**
   * The error when a spine row at {@code micros} was not indexed: the spine gave other rows on its second read, and the
   * source rows were pruned for the rows of the first.
   */
  static RuntimeException changedSpine(long micros) {
    return Errors.config("The spine of the point-in-time join gave other rows when it was read a second time (a"
        + " spine row at %s was not there the first time). The join reads its spine twice; a spine computed with"
        + " rand(), uuid() or from a table written to during the join differs between the reads. Persist the"
        + " spine first (Dataset.localCheckpoint(), or write it to a table), then join.",
        java.time.Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS));
  }

  /** Whether a usable spine row with this hash and time was indexed. */
  boolean contains(long hash, long time) {
    return position(hash, time) >= 0;
  }
}
