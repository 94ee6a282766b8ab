package dev.lakeline.pitjoin;

import dev.lakeline.pitjoin.internal.TieOrder;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;

/**
 * The output rows of a {@link SortMergeJoin} pass, whichever way it runs ({@link MergePass}, {@link AnswerPass}): the
 * spine's columns, then per source its feature values and a matched flag.
 */
final class JoinedRows implements Serializable {
  private final DataType[] spineTypes;
  private final List<TieOrder> orders;
  /** Per source, where its values start in the output row. */
  private final int[] offsets;
  private final int width;

  JoinedRows(DataType[] spineTypes, List<TieOrder> orders) {
    this.spineTypes = spineTypes;
    this.orders = orders;
    this.offsets = new int[orders.size()];
    int at = spineTypes.length;
    for (int s = 0; s < orders.size(); s++) {
      offsets[s] = at;
      at += orders.get(s).values() + 1;
    }
    this.width = at;
  }

  /** A new output row's values, the spine's columns (from {@code row}'s {@link MergeRows#SPINE} struct) filled in. */
  Object[] start(InternalRow row) {
    InternalRow spine = row.getStruct(MergeRows.SPINE, spineTypes.length);
    Object[] out = new Object[width];
    for (int i = 0; i < spineTypes.length; i++) {
      out[i] = spine.isNullAt(i) ? null : spine.get(i, spineTypes[i]);
    }
    return out;
  }

  /**
   * Source {@code s}'s part of an output row: the feature values of {@code values} (its payload struct: tie-break,
   * then the features) and matched, or nulls and not matched when {@code values} is null.
   */
  void put(Object[] out, int s, InternalRow values) {
    TieOrder order = orders.get(s);
    int at = offsets[s];
    for (int v = 0; v < order.values(); v++) {
      int field = order.valueOffset() + v;
      out[at++] = values != null && !values.isNullAt(field) ? values.get(field, order.types()[field]) : null;
    }
    out[at] = values != null;
  }
}
