package dev.lakeline.validation.internal.deequ;

import java.io.Serializable;
import scala.runtime.AbstractFunction1;

/** Deequ assertions as named, serializable Scala functions (Deequ may ship them to executors). */
final class Assertions {
  private Assertions() {}

  /** Always true: the constraint only records its metric; Lakeline decides afterwards. */
  static final AbstractFunction1<Object, Object> OBSERVE = new Observe();

  private static final class Observe extends AbstractFunction1<Object, Object> implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object value) {
      return Boolean.TRUE;
    }

    @Override
    public String toString() {
      return "observed (decided by Lakeline)";
    }
  }
}
