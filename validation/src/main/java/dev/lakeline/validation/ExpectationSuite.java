package dev.lakeline.validation;

import java.util.ArrayList;
import java.util.List;

/** A named list of expectations that gates every write to a table. Immutable. */
public record ExpectationSuite(String name, List<Expectation> expectations) {
  public ExpectationSuite {
    expectations = List.copyOf(expectations);
  }

  public static ExpectationSuite empty(String name) {
    return new ExpectationSuite(name, List.of());
  }

  /** A copy with one more expectation. */
  public ExpectationSuite with(Expectation e) {
    List<Expectation> list = new ArrayList<>(expectations);
    list.add(e);
    return new ExpectationSuite(name, list);
  }
}
