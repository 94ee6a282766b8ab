package dev.lakeline.pitjoin;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;

/** An iterator that computes its next row when asked whether there is one: {@link #advance} gives it, or null at the end. */
abstract class RowLookahead implements Iterator<InternalRow> {
  private InternalRow next;
  private boolean done;

  /** The next row, or null when there is none (then never called again). */
  protected abstract InternalRow advance();

  @Override
  public final boolean hasNext() {
    if (next == null && !done) {
      next = advance();
      done = next == null;
    }
    return next != null;
  }

  @Override
  public final InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    InternalRow out = next;
    next = null;
    return out;
  }
}
