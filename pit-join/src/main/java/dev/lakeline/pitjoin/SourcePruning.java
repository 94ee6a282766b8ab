package dev.lakeline.pitjoin;

import dev.lakeline.pitjoin.internal.TieOrder;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;

/**
 * The map side of a {@link SortMergeJoin} pass with a {@link SpineIndex}: of the source rows of one input partition
 * (in {@link MergeRows} layout, bucket set), keeps per (source, interval, key, bucket) only the one that wins there
 * (latest time, then the {@link TieOrder}), and drops the rows no spine row can take. The forward pass would have
 * carried only that row through the interval, so the join's result is the same; the shuffle and the pass see a
 * fraction of the rows (about one per spine row and source when a partition's rows cover a time range, as appended
 * feature data does). Spine rows pass through.
 *
 * <p>Per source, an array indexed by interval points at the row kept there, which a later winner overwrites in place
 * (no allocation). A row of another key with the same hash, or of another bucket in the same interval (a hot key's
 * carry-ins), is kept beside, in a map by (source, interval, bucket). The kept rows are emitted when the partition is
 * read to its end, or whenever {@link #MAX_KEPT} rows or {@link #maxKeptBytes()} bytes are kept (then the next
 * winners are kept afresh: more rows shuffled, the same result). The bytes bound the task's heap, which Spark's memory
 * manager does not see: wide feature rows reach it long before the row count does.
 */
final class SourcePruning implements FlatMapFunction<Iterator<InternalRow>, InternalRow>, Serializable {
  static final int MAX_KEPT = 1 << 20;
  /** What a kept row costs beside its bytes: the row object and its buffer's header. */
  private static final long ROW_OVERHEAD = 48;

  private final Broadcast<SpineIndex> index;
  private final MergeRows layout;
  private final List<TieOrder> orders;
  private final boolean[] strict;
  private final long[] maxAgeMicros;
  private final int maxKept;
  private final long maxKeptBytes;

  SourcePruning(Broadcast<SpineIndex> index, MergeRows layout, List<TieOrder> orders, boolean[] strict, long[] maxAgeMicros) {
    this(index, layout, orders, strict, maxAgeMicros, MAX_KEPT, -1);
  }

  /**
   * {@code maxKept}, {@code maxKeptBytes}: where the kept rows are emitted early (tests set small numbers); bytes -1
   * for {@link #maxKeptBytes()} of the executor that runs the task.
   */
  SourcePruning(Broadcast<SpineIndex> index, MergeRows layout, List<TieOrder> orders, boolean[] strict, long[] maxAgeMicros,
      int maxKept, long maxKeptBytes) {
    this.maxKept = maxKept;
    this.maxKeptBytes = maxKeptBytes;
    this.index = index;
    this.layout = layout;
    this.orders = orders;
    this.strict = strict;
    this.maxAgeMicros = maxAgeMicros;
  }

  /**
   * The kept rows' bytes per task: 64 MiB, less where the heap is small (1/32 of it: 32 MiB of a 1 GiB driver).
   * Worked out where the task runs, from that JVM's heap.
   */
  static long maxKeptBytes() {
    return Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 32);
  }

  @Override
  public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
    return new Pruned(rows, index.value(), maxKeptBytes < 0 ? maxKeptBytes() : maxKeptBytes);
  }

  private final class Pruned extends RowLookahead {
    private final Iterator<InternalRow> in;
    private final SpineIndex spine;
    private final KeyEquality keys = new KeyEquality(layout);
    private final SpineIndex.Cursor lookup;
    /**
     * Per source (made on its first row), per interval: the row kept there (a copy, overwritten in place by a later
     * winner). A row of another key with the same hash, or of another bucket, goes to {@link #beside}.
     */
    private final InternalRow[][] first = new InternalRow[orders.size()][];
    /** Per source, the intervals that hold a row, in the order they were first kept (what is emitted). */
    private final int[][] heldIntervals = new int[orders.size()][];
    private final int[] heldCount = new int[orders.size()];
    private int firstKept;
    /** The bytes of the rows kept, with {@link #ROW_OVERHEAD} each. */
    private long keptBytes;
    private final long byteBudget;
    /** The rows kept beside their interval's first (rare: hash collisions, carry-ins), and where each slot's are. */
    private final List<InternalRow> beside = new ArrayList<>();
    private final Map<Slot, List<Integer>> besideAt = new HashMap<>();
    /** While emitting: the position in the source's array, then in {@link #beside}; -1 while the input is read. */
    private int emitting = -1;
    private int emitSource;

    Pruned(Iterator<InternalRow> in, SpineIndex spine, long byteBudget) {
      this.in = in;
      this.byteBudget = byteBudget;
      this.spine = spine;
      this.lookup = spine.new Cursor();
    }

    @Override
    protected InternalRow advance() {
      while (true) {
        if (emitting >= 0) {
          InternalRow out = nextKept();
          if (out != null) {
            return out;
          }
          clear();
        } else if (!in.hasNext()) {
          if (firstKept == 0 && beside.isEmpty()) {
            return null;
          }
          startEmitting();
        } else {
          InternalRow row = in.next();
          if (row.getInt(MergeRows.KIND) == MergeRows.SPINE_KIND) {
            return row;
          }
          take(row);
          if (firstKept + beside.size() >= maxKept || keptBytes >= byteBudget) {
            startEmitting();
          }
        }
      }
    }

    private void startEmitting() {
      emitting = 0;
      emitSource = 0;
    }

    private void take(InternalRow row) {
      int s = row.getInt(MergeRows.SOURCE);
      int interval = lookup.interval(row.getLong(MergeRows.HASH), row.getLong(MergeRows.TIME), strict[s], maxAgeMicros[s]);
      if (interval < 0) {
        return;
      }
      InternalRow[] held = first[s];
      if (held == null) {
        held = first[s] = new InternalRow[spine.rows()];
        heldIntervals[s] = new int[64];
      }
      InternalRow h = held[interval];
      if (h == null) {
        held[interval] = copy(row);
        remember(s, interval);
        return;
      }
      if (h.getInt(MergeRows.BUCKET) == row.getInt(MergeRows.BUCKET) && keys.same(h, row)) {
        if (beats(row, h, s)) {
          held[interval] = copyInto(h, row);
        }
      } else {
        takeOther(row, interval, s);
      }
    }

    private void remember(int s, int interval) {
      int[] list = heldIntervals[s];
      if (heldCount[s] == list.length) {
        list = heldIntervals[s] = Arrays.copyOf(list, list.length * 2);
      }
      list[heldCount[s]++] = interval;
      firstKept++;
    }

    /** A row whose interval's first kept row is of another key or bucket: the winner per key in its slot. */
    private void takeOther(InternalRow row, int interval, int s) {
      List<Integer> at = besideAt.computeIfAbsent(new Slot(s, interval, row.getInt(MergeRows.BUCKET)), k -> new ArrayList<>(1));
      for (int position : at) {
        InternalRow held = beside.get(position);
        if (keys.same(held, row)) {
          if (beats(row, held, s)) {
            beside.set(position, copyInto(held, row));
          }
          return;
        }
      }
      at.add(beside.size());
      beside.add(copy(row));
    }

    /** Whether {@code row} comes after {@code held} in the pass: a later time, or the same time and the tie won. */
    private boolean beats(InternalRow row, InternalRow held, int s) {
      return SourcePruning.beats(row, held, orders.get(s), layout.sourceColumn(s));
    }

    /** The next kept row: each source's, in the order first kept, then the rows beside. */
    private InternalRow nextKept() {
      while (emitSource < first.length) {
        if (emitting < heldCount[emitSource]) {
          return first[emitSource][heldIntervals[emitSource][emitting++]];
        }
        emitSource++;
        emitting = 0;
      }
      return emitting < beside.size() ? beside.get(emitting++) : null;
    }

    /** A copy of a row to keep, counted in {@link #keptBytes}. */
    private InternalRow copy(InternalRow row) {
      keptBytes += ROW_OVERHEAD + (row instanceof UnsafeRow u ? u.getSizeInBytes() : 8L * row.numFields());
      return row.copy();
    }

    /**
     * {@code row}'s bytes in {@code held}'s buffer when both are unsafe rows (no allocation unless it is larger), else a
     * copy; a buffer that grows counts the difference.
     */
    private InternalRow copyInto(InternalRow held, InternalRow row) {
      if (held instanceof UnsafeRow h && row instanceof UnsafeRow r) {
        keptBytes += Math.max(0, r.getSizeInBytes() - h.getSizeInBytes());
        h.copyFrom(r);
        return h;
      }
      return copy(row);
    }

    /** Forgets the kept rows (once emitted) and reads on. */
    private void clear() {
      emitting = -1;
      firstKept = 0;
      keptBytes = 0;
      beside.clear();
      besideAt.clear();
      Arrays.fill(first, null);
      Arrays.fill(heldIntervals, null);
      Arrays.fill(heldCount, 0);
    }
  }


  /**
   * Whether source row {@code row} comes after {@code held} (same source, {@link MergeRows} layout, payload in
   * {@code column}) in the pass: a later time, or the same time and the tie won.
   */
  static boolean beats(InternalRow row, InternalRow held, TieOrder order, int column) {
    long t = row.getLong(MergeRows.TIME);
    long h = held.getLong(MergeRows.TIME);
    if (t != h) {
      return t > h;
    }
    return order.wins(row.getStruct(column, order.width()), held.getStruct(column, order.width()));
  }

  /** Where rows kept beside go: one source's interval and bucket. */
  private record Slot(int source, int interval, int bucket) {}
}
