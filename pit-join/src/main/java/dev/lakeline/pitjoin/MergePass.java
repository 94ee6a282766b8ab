package dev.lakeline.pitjoin;

import dev.lakeline.core.internal.HashRuns;
import dev.lakeline.pitjoin.internal.TieOrder;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;

/**
 * The forward pass of {@link SortMergeJoin} over one partition of {@link MergeRows}, whose rows it groups by the
 * key's hash ({@link HashRuns}, in place of Spark's sort). It reads the rows of one hash at a time and orders them
 * itself by (key, bucket, time, kind) with {@link RunOrder}: a primitive sort of packed longs, where Spark's sort on
 * all those fields compared most pairs field by field, since the rows of one key share their hash. For each source
 * it carries the latest whole source row seen in the current (key, bucket); a spine row takes from each source that
 * carried row if it is within the maximum age, and is emitted with its own columns, the values and a matched flag
 * per source. Source rows with the same time as the carried one compete in the tie order ({@link TieOrder}). Works
 * on Spark's internal rows: nothing is converted, and nothing is copied (the rows {@link HashRuns} gives are never
 * reused, so the carried row is a reference to its input row).
 */
final class MergePass implements FlatMapFunction<Iterator<InternalRow>, InternalRow>, Serializable {
  private final MergeRows layout;
  private final List<TieOrder> orders;
  private final long[] maxAgeMicros;
  private final JoinedRows output;
  private final int inputWidth;
  private final Broadcast<SpineIndex> index;

  /**
   * {@code inputWidth}: the number of columns of the shuffled rows (laid out as {@code layout} says); {@code index}:
   * the spine index the source rows were pruned with, or null. Every usable spine row must be in it.
   */
  MergePass(MergeRows layout, DataType[] spineTypes, List<TieOrder> orders, long[] maxAgeMicros, int inputWidth,
      Broadcast<SpineIndex> index) {
    this.layout = layout;
    this.index = index;
    this.inputWidth = inputWidth;
    this.orders = orders;
    this.maxAgeMicros = maxAgeMicros;
    this.output = new JoinedRows(spineTypes, orders);
  }

  @Override
  public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
    // rows of one hash adjacent, stable (no copy needed); in place of Spark's sort by the hash (see HashRuns)
    return new Pass(new HashRuns(rows, inputWidth, MergeRows.HASH), index == null ? null : index.value());
  }

  private final class Pass extends RowLookahead {
    private final Iterator<InternalRow> in;
    private final int sources = orders.size();
    private final InternalRow[] carried = new InternalRow[sources];
    private final long[] carriedTime = new long[sources];
    /** The current group's bucket, and whether its key has no null (a null key matches nothing). */
    private int bucket;
    private boolean keyComplete;
    /** The rows of the current hash in pass order, and the next input row. */
    private final java.util.ArrayList<InternalRow> run = new java.util.ArrayList<>();
    private List<InternalRow> ordered = List.of();
    /** Positions in {@code ordered} where another key's rows begin. */
    private final java.util.BitSet keyStarts = new java.util.BitSet();
    private int orderedAt;
    private InternalRow pending;
    private final SpineIndex spineIndex;
    private final KeyEquality keyEquality = new KeyEquality(layout);

    Pass(Iterator<InternalRow> in, SpineIndex spineIndex) {
      this.in = in;
      this.spineIndex = spineIndex;
    }

    @Override
    protected InternalRow advance() {
      // lazily, one output row at a time
      while (true) {
        if (orderedAt < ordered.size()) {
          InternalRow out = consume(ordered.get(orderedAt), keyStarts.get(orderedAt));
          orderedAt++;
          if (out != null) {
            return out;
          }
        } else if (pending != null || in.hasNext()) {
          nextRun();
        } else {
          return null;
        }
      }
    }

    /** Reads the rows of the next hash and orders them by (key, bucket, time, kind). */
    private void nextRun() {
      run.clear();
      InternalRow first = pending != null ? pending : in.next();
      pending = null;
      run.add(first);
      long h = first.getLong(MergeRows.HASH);
      while (in.hasNext()) {
        InternalRow row = in.next();
        if (row.getLong(MergeRows.HASH) != h) {
          pending = row;
          break;
        }
        run.add(row);
      }
      List<List<InternalRow>> keys = RunOrder.byKey(run, keyEquality);
      keyStarts.clear();
      if (keys.size() == 1) {
        ordered = RunOrder.sorted(keys.get(0));
        keyStarts.set(0);
      } else {
        List<InternalRow> all = new java.util.ArrayList<>(run.size());
        for (List<InternalRow> k : keys) {
          keyStarts.set(all.size());
          all.addAll(RunOrder.sorted(k));
        }
        ordered = all;
      }
      orderedAt = 0;
    }

    /** Takes one input row in; returns the output row of a spine row, null for a source row. */
    private InternalRow consume(InternalRow row, boolean newKey) {
      enterGroup(row, newKey);
      if (row.getInt(MergeRows.KIND) == MergeRows.SPINE_KIND) {
        return emit(row);
      }
      int s = row.getInt(MergeRows.SOURCE);
      long t = row.getLong(MergeRows.TIME);
      if (carried[s] != null && carriedTime[s] == t && !orders.get(s).wins(values(row, s), values(carried[s], s))) {
        return null;
      }
      carried[s] = row;
      carriedTime[s] = t;
      return null;
    }

    /** A source row's tie-break and features (a view into the row, made only when they are read). */
    private InternalRow values(InternalRow row, int s) {
      return row.getStruct(layout.sourceColumn(s), orders.get(s).width());
    }

    /**
     * Forgets the carried rows when the (key, bucket) changes: {@code newKey} where {@link RunOrder} put the first row
     * of another key, so keys are compared once, there.
     */
    private void enterGroup(InternalRow row, boolean newKey) {
      int b = row.getInt(MergeRows.BUCKET);
      if (!newKey && b == bucket) {
        return;
      }
      bucket = b;
      keyComplete = true;
      for (int i = 0; keyComplete && i < layout.keyTypes().length; i++) {
        keyComplete = !row.isNullAt(layout.key(i));
      }
      java.util.Arrays.fill(carried, null);
    }

    private InternalRow emit(InternalRow row) {
      Object[] out = output.start(row);
      boolean usable = keyComplete && !row.isNullAt(MergeRows.TIME);
      long t = usable ? row.getLong(MergeRows.TIME) : 0L;
      if (usable && spineIndex != null && !spineIndex.contains(row.getLong(MergeRows.HASH), t)) {
        // the source rows were pruned for the spine rows indexed: another spine would get wrong matches
        throw SpineIndex.changedSpine(t);
      }
      for (int s = 0; s < sources; s++) {
        boolean matched = usable && carried[s] != null && t - carriedTime[s] <= maxAgeMicros[s];
        output.put(out, s, matched ? values(carried[s], s) : null);
      }
      return new GenericInternalRow(out);
    }
  }
}
