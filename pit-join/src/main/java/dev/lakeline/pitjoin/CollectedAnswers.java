package dev.lakeline.pitjoin;

import dev.lakeline.pitjoin.internal.TieOrder;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;

/**
 * The answers of one {@link SortMergeJoin} pass worked out without a shuffle, for a spine small enough to index: the
 * map side keeps per spine interval only the latest source row ({@link SourcePruning}), so what is left of the sources
 * is about one row per spine row and source. Those rows are collected to the driver (as bytes, a chunk per task),
 * merged per interval across tasks, and each spine position gets the latest row of its interval or an earlier one of
 * its key hash (the carry of the forward pass). The table is broadcast, and the spine joins it in a map-only pass
 * ({@link AnswerPass}): no shuffle of spine rows or source rows, no sort.
 *
 * <p>Nothing is collected beyond {@link #budgetBytes()}: a task whose kept rows take more than its share gives up, and
 * the pass falls back to the shuffle ({@link #collect} returns null). So does a key hash shared by two keys among the
 * collected rows (a 64-bit collision: the carry is per hash here, the shuffle's pass carries per key).
 */
final class CollectedAnswers implements Serializable {
  /** Per source: its answer rows (whole {@link MergeRows} rows, as bytes) and which one each spine position takes. */
  private final Table[] tables;
  private final int width;

  private CollectedAnswers(Table[] tables, int width) {
    this.tables = tables;
    this.width = width;
  }

  /**
   * The most the collected rows may take on the driver, and so in the broadcast table: 128 MiB, less where the
   * driver's heap is small (1/16 of it: 64 MiB of a 1 GiB driver).
   */
  static long budgetBytes() {
    return Math.min(128L << 20, Runtime.getRuntime().maxMemory() / 16);
  }

  /**
   * Runs one job over {@code pruned} (the sources' rows after {@link SourcePruning}) and builds the table, or gives null
   * when the rows kept exceed {@code budget} bytes or two keys share a hash.
   *
   * @param schema the schema of the {@link MergeRows} rows
   */
  static CollectedAnswers collect(JavaRDD<InternalRow> pruned, SpineIndex index, MergeRows layout,
      List<TieOrder> orders, boolean[] strict, long[] maxAgeMicros, StructType schema, long budget) {
    int width = schema.length();
    long perTask = budget / Math.max(1, pruned.getNumPartitions());
    List<Chunk> chunks = pruned.mapPartitions(new Pack(perTask, schema)).collect();
    for (Chunk c : chunks) {
      if (c.bytes() == null) {
        return null;
      }
    }
    // each source's table on its own (in parallel: the executors are idle meanwhile)
    Table[] tables = IntStream.range(0, orders.size()).parallel()
        .mapToObj(s -> Table.of(s, chunks, index, layout, orders.get(s), strict[s], maxAgeMicros[s], width))
        .toArray(Table[]::new);
    for (Table t : tables) {
      if (t == null) {
        return null;
      }
    }
    return new CollectedAnswers(tables, width);
  }

  /** One source's answer rows and, per spine position of the index, the number of its answer row (-1 for none). */
  private record Table(byte[] bytes, int[] offsets, int[] sizes, int[] answerAt) implements Serializable {
    /** Source {@code s}'s rows of the chunks merged per interval and carried; null when two keys share a hash. */
    static Table of(int s, List<Chunk> chunks, SpineIndex index, MergeRows layout, TieOrder order, boolean strict,
        long maxAgeMicros, int width) {
      UnsafeRow[] held = new UnsafeRow[index.rows()];
      UnsafeRow[] keyOfGroup = new UnsafeRow[index.groups()];
      KeyEquality keys = new KeyEquality(layout);
      int column = layout.sourceColumn(s);
      UnsafeRow row = new UnsafeRow(width);
      for (Chunk c : chunks) {
        int at = 0;
        while (at < c.bytes().length) {
          int size = readInt(c.bytes(), at);
          row.pointTo(c.bytes(), Platform.BYTE_ARRAY_OFFSET + at + 4, size);
          at += 4 + size;
          if (row.getInt(MergeRows.SOURCE) != s) {
            continue;
          }
          long hash = row.getLong(MergeRows.HASH);
          int group = index.group(hash);
          if (keyOfGroup[group] != null && !keys.same(keyOfGroup[group], row)) {
            return null;
          }
          int interval = index.intervalIn(group, row.getLong(MergeRows.TIME), strict, maxAgeMicros);
          UnsafeRow h = held[interval];
          if (h == null || SourcePruning.beats(row, h, order, column)) {
            held[interval] = row;
            if (keyOfGroup[group] == null) {
              keyOfGroup[group] = row;
            }
            row = new UnsafeRow(width);
          }
        }
      }
      int n = 0;
      long total = 0;
      for (UnsafeRow r : held) {
        if (r != null) {
          n++;
          total += r.getSizeInBytes();
        }
      }
      if (total > Integer.MAX_VALUE - 16) {
        return null;
      }
      byte[] bytes = new byte[(int) total];
      int[] offsets = new int[n];
      int[] sizes = new int[n];
      int[] answerAt = new int[index.rows()];
      int number = 0;
      int at = 0;
      for (int g = 0; g < index.groups(); g++) {
        // the carry: a position without a row of its own takes the last one of its key hash before it
        int current = -1;
        for (int p = index.first(g); p < index.first(g) + index.size(g); p++) {
          UnsafeRow r = held[p];
          if (r != null) {
            r.writeToMemory(bytes, Platform.BYTE_ARRAY_OFFSET + at);
            offsets[number] = at;
            sizes[number] = r.getSizeInBytes();
            at += r.getSizeInBytes();
            current = number++;
          }
          answerAt[p] = current;
        }
      }
      return new Table(bytes, offsets, sizes, answerAt);
    }
  }

  /** The answer row of source {@code s} for the spine position {@code position}, or null (a fresh view each call). */
  UnsafeRow answer(int s, int position) {
    Table t = tables[s];
    int row = t.answerAt()[position];
    if (row < 0) {
      return null;
    }
    UnsafeRow r = new UnsafeRow(width);
    r.pointTo(t.bytes(), Platform.BYTE_ARRAY_OFFSET + t.offsets()[row], t.sizes()[row]);
    return r;
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
  }

  /** One task's kept rows, each as its length and its bytes; {@code bytes} null when they took more than allowed. */
  record Chunk(byte[] bytes) implements Serializable {}

  /** Packs a task's rows into one chunk. */
  private static final class Pack implements FlatMapFunction<Iterator<InternalRow>, Chunk> {
    private final long limit;
    private final StructType schema;

    Pack(long limit, StructType schema) {
      this.limit = limit;
      this.schema = schema;
    }

    @Override
    public Iterator<Chunk> call(Iterator<InternalRow> rows) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
      DataOutputStream data = new DataOutputStream(out);
      byte[] scratch = new byte[4096];
      UnsafeProjection toUnsafe = null;
      try {
        while (rows.hasNext()) {
          InternalRow next = rows.next();
          if (!(next instanceof UnsafeRow) && toUnsafe == null) {
            toUnsafe = UnsafeProjection.create(schema);
          }
          UnsafeRow r = next instanceof UnsafeRow u ? u : toUnsafe.apply(next);
          data.writeInt(r.getSizeInBytes());
          r.writeToStream(data, scratch);
          if (out.size() > limit) {
            return List.of(new Chunk(null)).iterator();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return List.of(new Chunk(out.toByteArray())).iterator();
    }
  }
}
