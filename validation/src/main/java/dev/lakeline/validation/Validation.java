package dev.lakeline.validation;

import dev.lakeline.core.delta.ContentFingerprint;
import dev.lakeline.validation.internal.deequ.DeequRunner;
import dev.lakeline.validation.internal.deequ.Measure;
import dev.lakeline.validation.internal.deequ.Measurement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** One validation run: compile, one Deequ verification run, decide, sample the failures. */
final class Validation {
  private Validation() {}

  /**
   * @param fingerprint the batch's content fingerprint, measured in the same scan, or null when not asked for
   *     (or when the batch is too large for exact sums)
   */
  record Outcome(Plan plan, ValidationResult result, ContentFingerprint fingerprint) {}

  static final String FINGERPRINT_PART = "_fp";

  static Outcome run(Dataset<Row> batch, ExpectationSuite suite) {
    return run(batch, suite, false);
  }

  /** As {@link #run(Dataset, ExpectationSuite)}; with {@code fingerprint}, the scan also sums the batch's fingerprint parts. */
  static Outcome run(Dataset<Row> batch, ExpectationSuite suite, boolean fingerprint) {
    Prepared p = prepare(batch, suite, fingerprint);
    return p.finish(DeequRunner.run(p.view(), p.items()));
  }

  /**
   * A compiled suite ready to run: the Deequ items (one per measured expectation, then the fingerprint's parts)
   * and the view they run on. {@link #finish} turns Deequ's measurements into the outcome, however the scan ran.
   */
  record Prepared(Plan plan, Dataset<Row> batch, List<DeequRunner.Item> items, Map<Integer, Integer> itemOf,
      Dataset<Row> view, int firstPart, boolean fingerprint) {

    Outcome finish(DeequRunner.Result run) {
      // The shared scan also counts the rows; if it failed (a runtime error in a SQL condition), count directly.
      long rows = run.rows() != null ? run.rows() : batch.count();
      List<ExpectationResult> results = new ArrayList<>();
      for (Compiled c : plan.items()) {
        Integer at = itemOf.get(c.index());
        Measurement m = at == null ? null : run.measurements().get(at);
        ExpectationResult r = Interpreter.decide(c, m, rows, plan);
        results.add(UnexpectedSamples.fill(c, r, batch));
      }
      ContentFingerprint fp = fingerprint ? Validation.fingerprint(run.measurements().subList(firstPart, items.size()), rows, batch) : null;
      return new Outcome(plan, new ValidationResult(plan.suite().name(), rows, results), fp);
    }
  }

  static Prepared prepare(Dataset<Row> batch, ExpectationSuite suite, boolean fingerprint) {
    Plan plan = Compiler.compile(batch, suite);
    List<DeequRunner.Item> items = new ArrayList<>();
    Map<Integer, Integer> itemOf = new HashMap<>();
    for (Compiled c : plan.items()) {
      if (c.measure() != null) {
        itemOf.put(c.index(), items.size());
        items.add(new DeequRunner.Item("e" + c.index(), c.expectation().severity() == Severity.ERROR, c.measure()));
      }
    }
    Dataset<Row> view = plan.view();
    int firstPart = items.size();
    if (fingerprint) {
      List<String> positional = new ArrayList<>();
      for (int j = 0; j < batch.columns().length; j++) {
        positional.add(Plan.positional(j));
      }
      List<Column> parts = ContentFingerprint.parts(view, positional);
      for (int p = 0; p < parts.size(); p++) {
        view = view.withColumn(FINGERPRINT_PART + p, parts.get(p));
        items.add(new DeequRunner.Item("fp" + p, false, new Measure.Statistic(Measure.Stat.SUM, FINGERPRINT_PART + p)));
      }
    }
    return new Prepared(plan, batch, items, itemOf, view, firstPart, fingerprint);
  }

  /** The fingerprint from Deequ's sums of its parts (doubles, exact below 2^31 rows), or null when they failed. */
  private static ContentFingerprint fingerprint(List<Measurement> sums, long rows, Dataset<Row> batch) {
    if (rows == 0) {
      return ContentFingerprint.of(0, 0, 0, 0, batch.schema());
    }
    if (rows > ContentFingerprint.MAX_EXACT_ROWS || sums.stream().anyMatch(m -> m.failed() || m.value() == null)) {
      return null;
    }
    return ContentFingerprint.of(
        rows, sums.get(0).value().longValue(), sums.get(1).value().longValue(), sums.get(2).value().longValue(), batch.schema());
  }
}
