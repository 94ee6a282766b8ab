package dev.lakeline.pitjoin;

import dev.lakeline.pitjoin.internal.TieOrder;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.DataType;

/**
 * The spine's side of a pass joined through {@link CollectedAnswers}: each spine row (in {@link MergeRows} layout)
 * looks up its position in the {@link SpineIndex} and takes, per source, the answer row there if it has the row's key
 * and is within the maximum age. The output rows are those of {@link MergePass}: the spine's columns, then per source
 * its values and a matched flag. Map-only: the spine keeps its partitions and its order.
 */
final class AnswerPass implements FlatMapFunction<Iterator<InternalRow>, InternalRow>, Serializable {
  private final Broadcast<SpineIndex> index;
  private final Broadcast<CollectedAnswers> answers;
  private final MergeRows layout;
  private final List<TieOrder> orders;
  private final long[] maxAgeMicros;
  private final JoinedRows output;

  AnswerPass(Broadcast<SpineIndex> index, Broadcast<CollectedAnswers> answers, MergeRows layout, DataType[] spineTypes,
      List<TieOrder> orders, long[] maxAgeMicros) {
    this.index = index;
    this.answers = answers;
    this.layout = layout;
    this.orders = orders;
    this.maxAgeMicros = maxAgeMicros;
    this.output = new JoinedRows(spineTypes, orders);
  }

  @Override
  public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
    SpineIndex spineIndex = index.value();
    CollectedAnswers table = answers.value();
    KeyEquality keys = new KeyEquality(layout);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public InternalRow next() {
        return join(rows.next(), spineIndex, table, keys);
      }
    };
  }

  private InternalRow join(InternalRow row, SpineIndex spineIndex, CollectedAnswers table, KeyEquality keys) {
    Object[] out = output.start(row);
    boolean usable = !row.isNullAt(MergeRows.TIME);
    for (int i = 0; usable && i < layout.keyTypes().length; i++) {
      usable = !row.isNullAt(layout.key(i));
    }
    long t = usable ? row.getLong(MergeRows.TIME) : 0L;
    int position = usable ? spineIndex.position(row.getLong(MergeRows.HASH), t) : -1;
    if (usable && position < 0) {
      throw SpineIndex.changedSpine(t);
    }
    for (int s = 0; s < orders.size(); s++) {
      UnsafeRow answer = usable ? table.answer(s, position) : null;
      boolean matched = answer != null && t - answer.getLong(MergeRows.TIME) <= maxAgeMicros[s] && keys.same(answer, row);
      output.put(out, s, matched ? answer.getStruct(layout.sourceColumn(s), orders.get(s).width()) : null);
    }
    return new GenericInternalRow(out);
  }
}
