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
  private long[] values = new long[0];
  private int size;
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

  /** Whether two of the collected hashes are equal. */
  public boolean anyRepeated() {
    long[] v = Arrays.copyOf(values, size);
    Arrays.sort(v); // the tasks' runs arrive sorted: the JDK's sort finds the runs and merges them
    for (int i = 1; i < v.length; i++) {
      if (v[i] == v[i - 1]) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean isZero() {
    return size == 0 && !overflow;
  }

  @Override
  public KeyHashes copy() {
    KeyHashes c = new KeyHashes(limit);
    c.values = Arrays.copyOf(values, size);
    c.size = size;
    c.overflow = overflow;
    return c;
  }

  @Override
  public void reset() {
    values = new long[0];
    size = 0;
    overflow = false;
  }

  /** Adds one task's sorted run; null means the task saw more hashes than the limit. */
  @Override
  public void add(long[] run) {
    if (run == null) {
      overflowNow();
    } else {
      append(run, run.length);
    }
  }

  @Override
  public void merge(AccumulatorV2<long[], long[]> other) {
    KeyHashes o = (KeyHashes) other;
    if (o.overflow) {
      overflowNow();
    } else {
      append(o.values, o.size);
    }
  }

  private void append(long[] run, int n) {
    if (overflow) {
      return;
    }
    if ((long) size + n > limit) {
      overflowNow();
      return;
    }
    if (size + n > values.length) {
      values = Arrays.copyOf(values, (int) Math.min(limit, Math.max(size + n, 2L * values.length)));
    }
    System.arraycopy(run, 0, values, size, n);
    size += n;
  }

  /** The collected hashes, in runs that are each sorted. */
  @Override
  public long[] value() {
    return Arrays.copyOf(values, size);
  }

  private void overflowNow() {
    overflow = true;
    values = new long[0];
    size = 0;
  }

  /** The per-row function: buffers the hash for its task and returns 0; the task's end hands the buffer over. */
  private static final class Feed implements UDF1<Long, Long> {
    private final KeyHashes hashes;
    private final long limit;
    private transient TaskContext task;
    private transient long[] buffer;
    private transient int n;
    private transient boolean full;

    Feed(KeyHashes hashes, long limit) {
      this.hashes = hashes;
      this.limit = limit;
    }

    @Override
    public Long call(Long hash) {
      TaskContext now = TaskContext.get();
      if (now != task) {
        start(now);
      }
      if (full) {
        return 0L;
      }
      if (n == limit) {
        full = true;
        buffer = null;
        return 0L;
      }
      if (n == buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min(limit, 2L * buffer.length));
      }
      buffer[n++] = hash;
      return 0L;
    }

    private void start(TaskContext now) {
      task = now;
      buffer = new long[1024];
      n = 0;
      full = false;
      if (now != null) {
        now.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> {
          if (full) {
            hashes.add((long[]) null);
          } else {
            long[] run = Arrays.copyOf(buffer, n);
            Arrays.sort(run);
            hashes.add(run);
          }
          buffer = null;
        });
      }
    }
  }
}
