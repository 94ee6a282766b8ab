package dev.lakeline.pitjoin.internal;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.InterpretedOrdering;
import org.apache.spark.sql.catalyst.expressions.NullsFirst$;
import org.apache.spark.sql.catalyst.expressions.NullsLast$;
import org.apache.spark.sql.catalyst.expressions.RowOrdering;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.expressions.Ascending$;
import org.apache.spark.sql.catalyst.expressions.Descending$;
import org.apache.spark.sql.types.DataType;
import scala.collection.JavaConverters;

/**
 * The order among one source's rows with the same key and time, on the carried struct (an optional tie-break
 * field, then the feature values): the tie-break descending with nulls last, then every orderable value ascending
 * with nulls first, exactly as the rank-window strategy sorts. Spark's own ordering compares the values; building it takes a
 * Scala sequence, which is why this class lives in an internal package (not part of Lakeline's API).
 */
public final class TieOrder implements Serializable {
  private final DataType[] types;
  private final boolean tieBreak;
  private transient InterpretedOrdering ordering;

  /** {@code types}: the struct's field types; its first field is the tie-break when {@code tieBreak}. */
  public TieOrder(DataType[] types, boolean tieBreak) {
    this.types = types;
    this.tieBreak = tieBreak;
  }

  public DataType[] types() {
    return types;
  }

  public int width() {
    return types.length;
  }

  /** Where the feature values start in the struct. */
  public int valueOffset() {
    return tieBreak ? 1 : 0;
  }

  public int values() {
    return types.length - valueOffset();
  }

  /** Whether {@code candidate} comes before {@code current} in the tie order, and so replaces it. */
  public boolean wins(InternalRow candidate, InternalRow current) {
    if (ordering == null) {
      ordering = build();
    }
    return ordering.compare(candidate, current) < 0;
  }

  private InterpretedOrdering build() {
    List<SortOrder> orders = new ArrayList<>();
    scala.collection.immutable.Seq<org.apache.spark.sql.catalyst.expressions.Expression> none =
        scala.collection.immutable.List$.MODULE$.empty();
    for (int i = 0; i < types.length; i++) {
      BoundReference ref = new BoundReference(i, types[i], true);
      if (tieBreak && i == 0) {
        orders.add(new SortOrder(ref, Descending$.MODULE$, NullsLast$.MODULE$, none));
      } else if (RowOrdering.isOrderable(types[i])) {
        orders.add(new SortOrder(ref, Ascending$.MODULE$, NullsFirst$.MODULE$, none));
      }
    }
    return new InterpretedOrdering(JavaConverters.asScalaBuffer(orders).toSeq());
  }
}
