package dev.lakeline.validation.internal.spark;

import java.util.Arrays;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.AccumulatorV2;

/**
 * The 64-bit hashes of a key, one per row, gathered while another job (the Delta write) passes over the rows.
 * A column expression ({@link #feed}) that the job evaluates once per row adds each hash to a buffer of its
 * task; when the task ends, the buffer is sorted (in the task, so the tasks sort in parallel) and handed to this
 * accumulator as one run, and the driver merges the runs. Two equal hashes are the only candidates for a
 * duplicate key, so when none repeats every key is unique, exactly (no sampling, no sketch). When hashes
 * repeat, or more came than the accumulator may hold ({@link #overflowed}), the caller must count the key's
 * duplicates by grouping.
 *
 * <p>The accumulator stays empty while its tasks run, so executors' heartbeats never carry the buffers.
 */
public final class KeyHashes extends AccumulatorV2<long[], long[]> {
  private final long limit;
  private java.util.List<long[]> runs = new java.util.ArrayList<>();
  private long size;
  private boolean overflow;

  private KeyHashes(long limit) {
    this.limit = limit;
  }

  /**
   * A registered accumulator that holds at most {@code limit} hashes in all (8 bytes each on the driver; past
   * the limit it stops collecting and reports {@link #overflowed}).
   */
  public static KeyHashes register(SparkSession spark, long limit) {
    KeyHashes hashes = new KeyHashes(Math.max(0, Math.min(limit, Integer.MAX_VALUE - 16)));
    spark.sparkContext().register(hashes);
    return hashes;
  }

  /**
   * A column whose aggregate ({@code sum}) is always 0 and whose evaluation collects {@code hash} (a non-null
   * long column): aggregate it in an observation of the job that must feed this accumulator.
   */
  public Column feed(Column hash) {
    UserDefinedFunction udf = functions.udf(new Feed(this, limit), DataTypes.LongType).asNonNullable();
    return functions.sum(udf.apply(hash));
  }

  /** Whether more hashes came than the limit allows (the collected ones are then incomplete). */
  public boolean overflowed() {
    return overflow;
  }

  /** How many hashes were collected. */
  public long count() {
    return size;
  }

  /**
   * Whether two of the collected hashes are equal. The value range is cut into as many slices as the driver has
   * cores; each slice's part of every sorted run (found by binary search) is merged k ways through a heap on its
   * own core, comparing each value with the one before: no merged copy is made, and at 10M hashes the check takes
   * a fraction of the pairwise merging it replaced (which copied every hash once per level).
   */
  public boolean anyRepeated() {
    long[][] all = runs.toArray(new long[0][]);
    int slices = (int) Math.max(1, Math.min(8, Math.min(Runtime.getRuntime().availableProcessors(), size / 65_536)));
    long step = Long.divideUnsigned(-1L, slices);
    return java.util.stream.IntStream.range(0, slices).parallel().anyMatch(i -> {
      long from = Long.MIN_VALUE + step * i;
      boolean last = i == slices - 1;
      return repeatedWithin(all, from, last ? Long.MAX_VALUE : Long.MIN_VALUE + step * (i + 1), last);
    });
  }

  /** Whether a value in [from, to) (to included when {@code toIncluded}) occurs twice in the sorted runs. */
  static boolean repeatedWithin(long[][] runs, long from, long to, boolean toIncluded) {
    int k = runs.length;
    int[] at = new int[k];
    int[] end = new int[k];
    int[] heap = new int[k]; // run indexes, ordered by their current value (held beside them in head[])
    long[] head = new long[k];
    int n = 0;
    for (int r = 0; r < k; r++) {
      at[r] = firstAtLeast(runs[r], from);
      end[r] = toIncluded ? runs[r].length : firstAtLeast(runs[r], to);
      if (at[r] < end[r]) {
        heap[n] = r;
        head[n++] = runs[r][at[r]];
      }
    }
    for (int i = n / 2 - 1; i >= 0; i--) {
      siftDown(heap, head, n, i);
    }
    boolean first = true;
    long previous = 0;
    while (n > 0) {
      int r = heap[0];
      long[] run = runs[r];
      int i = at[r];
      int stop = end[r];
      // take this run's values while they stay below the next smallest head: no heap work for them
      long bound = n > 1 ? Math.min(head[1], n > 2 ? head[2] : Long.MAX_VALUE) : Long.MAX_VALUE;
      boolean boundIncluded = n == 1;
      do {
        long v = run[i];
        if (!first && v == previous) {
          return true;
        }
        first = false;
        previous = v;
        i++;
      } while (i < stop && (run[i] < bound || boundIncluded && run[i] == bound));
      at[r] = i;
      if (i == stop) {
        heap[0] = heap[--n];
        head[0] = head[n];
      } else {
        head[0] = run[i];
      }
      siftDown(heap, head, n, 0);
    }
    return false;
  }

  private static void siftDown(int[] heap, long[] head, int n, int i) {
    if (i >= n) {
      return;
    }
    int r = heap[i];
    long v = head[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= n) {
        break;
      }
      if (child + 1 < n && head[child + 1] < head[child]) {
        child++;
      }
      if (v <= head[child]) {
        break;
      }
      heap[i] = heap[child];
      head[i] = head[child];
      i = child;
    }
    heap[i] = r;
    head[i] = v;
  }

  /** The index of the first value {@code >= value} in the sorted {@code run} (its length when there is none). */
  private static int firstAtLeast(long[] run, long value) {
    int lo = 0;
    int hi = run.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (run[mid] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public boolean isZero() {
    return size == 0 && !overflow;
  }

  @Override
  public KeyHashes copy() {
    KeyHashes c = new KeyHashes(limit);
    c.runs = new java.util.ArrayList<>(runs);
    c.size = size;
    c.overflow = overflow;
    return c;
  }

  @Override
  public void reset() {
    runs = new java.util.ArrayList<>();
    size = 0;
    overflow = false;
  }

  /** Adds one task's sorted run; null means the task saw more hashes than the limit. */
  @Override
  public void add(long[] run) {
    if (run == null) {
      overflowNow();
    } else {
      append(run);
    }
  }

  @Override
  public void merge(AccumulatorV2<long[], long[]> other) {
    KeyHashes o = (KeyHashes) other;
    if (o.overflow) {
      overflowNow();
    } else {
      o.runs.forEach(this::append);
    }
  }

  private void append(long[] run) {
    if (overflow) {
      return;
    }
    if (size + run.length > limit) {
      overflowNow();
      return;
    }
    if (run.length > 0) {
      runs.add(run);
      size += run.length;
    }
  }

  /** The collected hashes, run after sorted run. */
  @Override
  public long[] value() {
    long[] all = new long[(int) size];
    int at = 0;
    for (long[] run : runs) {
      System.arraycopy(run, 0, all, at, run.length);
      at += run.length;
    }
    return all;
  }

  private void overflowNow() {
    overflow = true;
    runs = new java.util.ArrayList<>();
    size = 0;
  }

  /**
   * The first {@code n} values of {@code values}, sorted: a least-significant-digit radix sort in four passes
   * of 16 bits (the last with the sign bit flipped, for signed order), several times faster than a comparison
   * sort on random 64-bit hashes.
   */
  static long[] sorted(long[] values, int n) {
    long[] a = Arrays.copyOf(values, n);
    if (n < 4096) {
      Arrays.sort(a);
      return a;
    }
    long[] b = new long[n];
    int[] counts = new int[1 << 16];
    for (int shift = 0; shift < 64; shift += 16) {
      Arrays.fill(counts, 0);
      int flip = shift == 48 ? 0x8000 : 0;
      for (int i = 0; i < n; i++) {
        counts[((int) (a[i] >>> shift) & 0xFFFF) ^ flip]++;
      }
      int sum = 0;
      for (int d = 0; d < counts.length; d++) {
        int c = counts[d];
        counts[d] = sum;
        sum += c;
      }
      for (int i = 0; i < n; i++) {
        b[counts[((int) (a[i] >>> shift) & 0xFFFF) ^ flip]++] = a[i];
      }
      long[] t = a;
      a = b;
      b = t;
    }
    return a;
  }

  /** The per-row function: buffers the hash for its task and returns 0; the task's end hands the buffer over. */
  private static final class Feed implements UDF1<Long, Long> {
    private final KeyHashes hashes;
    private final long limit;
    private transient long[] buffer;
    private transient int n;
    private transient boolean full;

    Feed(KeyHashes hashes, long limit) {
      this.hashes = hashes;
      this.limit = limit;
    }

    @Override
    public Long call(Long hash) {
      if (buffer == null) {
        start(TaskContext.get()); // once per task: the task's end hands the buffer over and clears it
      }
      if (full) {
        return 0L;
      }
      if (n == limit) {
        full = true;
        buffer = new long[0];
        return 0L;
      }
      if (n == buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min(limit, 2L * buffer.length));
      }
      buffer[n++] = hash;
      return 0L;
    }

    private void start(TaskContext now) {
      buffer = new long[1024];
      n = 0;
      full = false;
      if (now != null) {
        now.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> {
          if (full) {
            hashes.add((long[]) null);
          } else {
            hashes.add(sorted(buffer, n));
          }
          buffer = null;
        });
      }
    }
  }
}
