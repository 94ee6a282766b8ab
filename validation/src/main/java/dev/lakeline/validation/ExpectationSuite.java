package dev.lakeline.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A named list of expectations that gates every write to a table, with the ingestion policy the gate applies
 * (default {@link IngestionPolicy#STRICT}). Immutable.
 */
public record ExpectationSuite(String name, List<Expectation> expectations, IngestionPolicy policy) {
  public ExpectationSuite {
    expectations = List.copyOf(expectations);
    policy = policy == null ? IngestionPolicy.STRICT : policy;
  }

  /** A suite with the default policy ({@link IngestionPolicy#STRICT}). */
  public ExpectationSuite(String name, List<Expectation> expectations) {
    this(name, expectations, IngestionPolicy.STRICT);
  }

  public static ExpectationSuite empty(String name) {
    return new ExpectationSuite(name, List.of(), IngestionPolicy.STRICT);
  }

  /** A copy with one more expectation. */
  public ExpectationSuite with(Expectation e) {
    List<Expectation> list = new ArrayList<>(expectations);
    list.add(e);
    return new ExpectationSuite(name, list, policy);
  }

  /** A copy with other expectations (same name and policy). */
  public ExpectationSuite withExpectations(List<Expectation> value) {
    return new ExpectationSuite(name, value, policy);
  }

  public ExpectationSuite withPolicy(IngestionPolicy value) {
    return new ExpectationSuite(name, expectations, value);
  }

  public ExpectationSuite withName(String value) {
    return new ExpectationSuite(value, expectations, policy);
  }

  /**
   * The label of each expectation, in order, unique within the suite: {@link Expectation#label()}, with
   * " #n" (its 1-based position) appended when two expectations would share a label. These are the names in
   * results, reports and the quarantine's {@code failed_expectations}.
   */
  public List<String> labels() {
    Map<String, Integer> counts = new HashMap<>();
    expectations.forEach(e -> counts.merge(e.label(), 1, Integer::sum));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < expectations.size(); i++) {
      String l = expectations.get(i).label();
      out.add(counts.get(l) > 1 ? l + " #" + (i + 1) : l);
    }
    return out;
  }
}
