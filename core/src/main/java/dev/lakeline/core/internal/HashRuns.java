package dev.lakeline.core.internal;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.memory.MemoryConsumer;
import org.apache.spark.memory.MemoryMode;
import org.apache.spark.memory.TaskMemoryManager;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.util.collection.unsafe.sort.PrefixComparators;
import org.apache.spark.util.collection.unsafe.sort.RecordComparator;
import org.apache.spark.util.collection.unsafe.sort.UnsafeExternalSorter;
import org.apache.spark.util.collection.unsafe.sort.UnsafeSorterIterator;

/**
 * One partition's rows reordered so that rows with the same 64-bit hash (a {@code long} column, typically a hash of
 * an entity key) are adjacent, in place of Spark's sort within partitions by that column. A forward pass that only
 * needs each hash's rows together (and orders them itself) gets them for less:
 *
 * <ul>
 *   <li>Spark's sorter keeps records in arrival order and sorts pointers to them, so reading them back in hash order
 *       touches memory at random, one cache miss per record (a third of a rolling pass's time at 10M rows);
 *   <li>here each arriving row is copied into one of 1,024 buckets by the top 10 bits of its hash, and each bucket
 *       (a small, contiguous piece of memory) is sorted on its own when the pass reaches it: the reads stay within
 *       a cache-sized region.
 * </ul>
 *
 * <p>The rows taken in are {@link UnsafeRow}s (what a shuffle or a projection gives). The rows returned are stable
 * (each its own {@link UnsafeRow}, never overwritten), so the caller can keep them without copying. The order of buckets and of hashes within a bucket is unspecified; only adjacency is promised.
 *
 * <p>Memory: the partition is held on the heap, and the memory is reserved from Spark's execution memory for the task
 * as it grows. When Spark cannot grant more (a partition larger than the task's share), the rows buffered so far and
 * the rest go to Spark's own external sorter on the hash, which spills to disk as Spark's sort would have: the same
 * adjacency, at Spark's cost.
 */
public final class HashRuns implements Iterator<InternalRow> {
  private static final int BUCKET_BITS = 10;
  private static final int FIRST_CHUNK = 1 << 10;
  private static final int LARGEST_CHUNK = 1 << 16;
  private static final int PAGE = 1 << 20;
  private static final int HEADER = 8;

  /**
   * Test settings: at most {@code bufferBytes} held before falling back to Spark's sorter, and that sorter made to
   * spill every {@code sorterSpillRows} rows. {@link #DEFAULT} leaves both to Spark's memory manager.
   */
  public record Limits(long bufferBytes, int sorterSpillRows) implements Serializable {
    public static final Limits DEFAULT = new Limits(Long.MAX_VALUE, Integer.MAX_VALUE);
  }

  private final Iterator<InternalRow> in;
  private final int fields;
  private final int hashOrdinal;
  private final long hashSlot; // the hash's 8-byte slot, from the start of a row
  private final Limits limits;
  private Iterator<InternalRow> out;
  private boolean spilled;

  public HashRuns(Iterator<InternalRow> in, int fields, int hashOrdinal) {
    this(in, fields, hashOrdinal, Limits.DEFAULT);
  }

  public HashRuns(Iterator<InternalRow> in, int fields, int hashOrdinal, Limits limits) {
    this.in = in;
    this.fields = fields;
    this.hashOrdinal = hashOrdinal;
    this.hashSlot = UnsafeRow.calculateBitSetWidthInBytes(fields) + 8L * hashOrdinal;
    this.limits = limits;
  }

  /** Whether the rows went through Spark's external sorter because the partition did not fit in memory. */
  public boolean spilled() {
    return spilled;
  }

  @Override
  public boolean hasNext() {
    if (out == null) {
      out = group();
    }
    return out.hasNext();
  }

  @Override
  public InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return out.next();
  }

  private Iterator<InternalRow> group() {
    Buckets buckets = new Buckets();
    while (in.hasNext()) {
      UnsafeRow row = (UnsafeRow) in.next();
      if (!buckets.add(row)) {
        spilled = true;
        return sortedBySpark(buckets, row);
      }
    }
    return buckets.rows();
  }

  /** The buffered rows, {@code row} and the rest, through Spark's external sorter with the hash as its prefix. */
  private Iterator<InternalRow> sortedBySpark(Buckets buckets, UnsafeRow row) {
    TaskContext task = TaskContext.get();
    if (task == null) {
      throw new IllegalStateException("HashRuns falls back to Spark's sorter only inside a Spark task");
    }
    SparkEnv env = SparkEnv.get();
    UnsafeExternalSorter sorter = UnsafeExternalSorter.create(task.taskMemoryManager(), env.blockManager(),
        env.serializerManager(), task, SameHash::new, PrefixComparators.LONG, 4096,
        task.taskMemoryManager().pageSizeBytes(), limits.sorterSpillRows(), true);
    try {
      buckets.drainInto(sorter);
      insert(sorter, row);
      while (in.hasNext()) {
        insert(sorter, (UnsafeRow) in.next());
      }
      UnsafeSorterIterator sorted = sorter.getSortedIterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return sorted.hasNext();
        }

        @Override
        public InternalRow next() {
          try {
            sorted.loadNext();
          } catch (IOException e) {
            throw new IllegalStateException("reading spilled rows back", e);
          }
          UnsafeRow r = new UnsafeRow(fields);
          r.pointTo(sorted.getBaseObject(), sorted.getBaseOffset(), sorted.getRecordLength());
          return r.copy(); // the sorter reuses its buffers for spilled records
        }
      };
    } catch (IOException e) {
      throw new IllegalStateException("spilling rows to disk", e);
    }
  }

  private void insert(UnsafeExternalSorter sorter, UnsafeRow r) throws IOException {
    sorter.insertRecord(r.getBaseObject(), r.getBaseOffset(), r.getSizeInBytes(), r.getLong(hashOrdinal), false);
  }

  /** Rows with equal prefixes (hashes) need no further order. */
  private static final class SameHash extends RecordComparator {
    @Override
    public int compare(Object l, long lOffset, int lLength, Object r, long rOffset, int rLength) {
      return 0;
    }
  }

  /**
   * Execution memory reserved for the buffered rows, given back when the last row has been read (or the task
   * ends); it cannot spill them (the fallback is the sorter above).
   */
  private static final class Reservation extends MemoryConsumer {
    Reservation(TaskMemoryManager memory) {
      super(memory, memory.pageSizeBytes(), MemoryMode.ON_HEAP);
    }

    @Override
    public long spill(long size, MemoryConsumer trigger) {
      return 0;
    }
  }

  /**
   * One bucket's rows, each an 8-byte length then the row's bytes, in chunks that double up to 64 KiB; a chunk is a
   * slice {@code [start, end)} of a shared 1 MiB page, so a bucket costs no allocation of its own.
   */
  private static final class Bucket {
    final List<byte[]> chunks = new ArrayList<>(2);
    final List<Integer> starts = new ArrayList<>(2);
    final List<Integer> ends = new ArrayList<>(2);
    byte[] current;
    int fill;
    int limit;
    int length;
    int rows;

    void close() {
      if (current != null) {
        ends.add(fill);
      }
    }
  }

  private final class Buckets {
    private final Bucket[] buckets = new Bucket[1 << BUCKET_BITS];
    private final TaskContext task = TaskContext.get();
    private final Reservation reservation = task == null ? null : new Reservation(task.taskMemoryManager());
    private long reserved; // the pages' bytes, reserved from Spark's execution memory when there is a task
    private byte[] page;
    private int pageFill;
    // 1 MiB, or less under a small test budget, so that some rows are buffered before the fallback
    private final int pageSize = (int) Math.min(PAGE, Math.max(LARGEST_CHUNK, limits.bufferBytes() / 4));

    Buckets() {
      if (reservation != null) {
        task.addTaskCompletionListener((TaskCompletionListener) context -> release());
      }
    }

    /** Copies {@code row} into its bucket; false when no memory is left for it (nothing was copied then). */
    boolean add(UnsafeRow row) {
      int b = (int) (row.getLong(hashOrdinal) >>> (64 - BUCKET_BITS));
      Bucket k = buckets[b];
      if (k == null) {
        k = buckets[b] = new Bucket();
      }
      int size = row.getSizeInBytes();
      int need = HEADER + size;
      if (k.current == null || k.fill + need > k.limit) {
        int next = k.current == null ? FIRST_CHUNK : Math.min(LARGEST_CHUNK, k.length * 2);
        if (!carve(k, Math.max(need, next))) {
          return false;
        }
      }
      Platform.putLong(k.current, Platform.BYTE_ARRAY_OFFSET + k.fill, size);
      row.writeToMemory(k.current, Platform.BYTE_ARRAY_OFFSET + k.fill + HEADER);
      k.fill += need;
      k.rows++;
      return true;
    }

    /** Gives {@code k} a new chunk of {@code length} bytes, cut from the current page or a new one. */
    private boolean carve(Bucket k, int length) {
      if (page == null || pageFill + length > page.length) {
        int size = Math.max(pageSize, length);
        if (!reserve(size)) {
          return false;
        }
        page = new byte[size];
        pageFill = 0;
      }
      k.close();
      k.chunks.add(page);
      k.starts.add(pageFill);
      k.current = page;
      k.fill = pageFill;
      k.limit = pageFill + length;
      k.length = length;
      pageFill += length;
      return true;
    }

    private boolean reserve(long bytes) {
      if (reserved + bytes > limits.bufferBytes()) {
        return false;
      }
      if (reservation != null) {
        long got = reservation.acquireMemory(bytes);
        if (got < bytes) {
          reservation.freeMemory(got);
          return false;
        }
      }
      reserved += bytes;
      return true;
    }

    private void release() {
      if (reservation != null && reserved > 0) {
        reservation.freeMemory(reserved);
        reserved = 0;
      }
    }

    void drainInto(UnsafeExternalSorter sorter) throws IOException {
      for (int b = 0; b < buckets.length; b++) {
        Bucket k = buckets[b];
        if (k == null) {
          continue;
        }
        k.close();
        for (int c = 0; c < k.chunks.size(); c++) {
          byte[] chunk = k.chunks.get(c);
          for (int pos = k.starts.get(c), end = k.ends.get(c); pos < end; ) {
            int size = (int) Platform.getLong(chunk, Platform.BYTE_ARRAY_OFFSET + pos);
            long offset = Platform.BYTE_ARRAY_OFFSET + pos + HEADER;
            sorter.insertRecord(chunk, offset, size, Platform.getLong(chunk, offset + hashSlot), false);
            pos += HEADER + size;
          }
        }
        buckets[b] = null;
      }
      release();
    }

    /** The buckets one after another, each sorted when reached; rows of one hash adjacent. */
    Iterator<InternalRow> rows() {
      for (Bucket k : buckets) {
        if (k != null) {
          k.close();
        }
      }
      return new Iterator<>() {
        private int bucket = -1;
        private int at;
        private int n;
        private byte[][] base = new byte[0][];
        private long[] offset = new long[0];
        private int[] size = new int[0];
        private long[] order = new long[0];
        private long[] hashes = new long[0];
        private int mask;

        @Override
        public boolean hasNext() {
          while (at == n) {
            if (bucket == buckets.length) {
              return false;
            }
            if (bucket >= 0) {
              buckets[bucket] = null;
            }
            do {
              bucket++;
            } while (bucket < buckets.length && buckets[bucket] == null);
            if (bucket == buckets.length) {
              release();
              return false;
            }
            load(buckets[bucket]);
          }
          return true;
        }

        @Override
        public InternalRow next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          int i = (int) (order[at++] & mask);
          UnsafeRow r = new UnsafeRow(fields);
          r.pointTo(base[i], offset[i], size[i]);
          return r;
        }

        /**
         * Sorts one bucket's rows on (hash bits below the bucket's, row index) packed into one long; when the
         * packing dropped low hash bits (buckets of more than 1,024 rows) and a run of equal packed hashes holds
         * different hashes, that run is re-ordered by the full hash, so equal hashes are always adjacent.
         */
        private void load(Bucket k) {
          n = k.rows;
          at = 0;
          if (order.length < n) {
            int capacity = Math.max(n, order.length * 2);
            base = new byte[capacity][];
            offset = new long[capacity];
            size = new int[capacity];
            order = new long[capacity];
            hashes = new long[capacity];
          }
          int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(n - 1));
          mask = (1 << bits) - 1;
          int i = 0;
          for (int c = 0; c < k.chunks.size(); c++) {
            byte[] chunk = k.chunks.get(c);
            for (int pos = k.starts.get(c), end = k.ends.get(c); pos < end; i++) {
              base[i] = chunk;
              offset[i] = Platform.BYTE_ARRAY_OFFSET + pos + HEADER;
              size[i] = (int) Platform.getLong(chunk, Platform.BYTE_ARRAY_OFFSET + pos);
              hashes[i] = Platform.getLong(chunk, offset[i] + hashSlot);
              order[i] = ((hashes[i] << BUCKET_BITS) & ~(long) mask) | i;
              pos += HEADER + size[i];
            }
          }
          Arrays.sort(order, 0, n);
          if (bits > BUCKET_BITS) {
            separateTruncatedHashes();
          }
        }

        private void separateTruncatedHashes() {
          for (int s = 0; s < n; ) {
            long packed = order[s] & ~(long) mask;
            int e = s + 1;
            boolean mixed = false;
            while (e < n && (order[e] & ~(long) mask) == packed) {
              mixed |= hashes[(int) (order[e] & mask)] != hashes[(int) (order[s] & mask)];
              e++;
            }
            if (mixed) {
              Long[] run = new Long[e - s];
              for (int j = s; j < e; j++) {
                run[j - s] = order[j];
              }
              Arrays.sort(run, (x, y) -> Long.compare(hashes[(int) (x & mask)], hashes[(int) (y & mask)]));
              for (int j = s; j < e; j++) {
                order[j] = run[j - s];
              }
            }
            s = e;
          }
        }
      };
    }
  }
}
