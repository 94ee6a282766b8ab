package dev.lakeline.validation;

import dev.lakeline.validation.internal.deequ.DeequRunner;
import dev.lakeline.validation.internal.deequ.Measurement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** One validation run: compile, one Deequ verification run, decide, sample the failures. */
final class Validation {
  private Validation() {}

  record Outcome(Plan plan, ValidationResult result) {}

  static Outcome run(Dataset<Row> batch, ExpectationSuite suite) {
    Plan plan = Compiler.compile(batch, suite);
    List<DeequRunner.Item> items = new ArrayList<>();
    Map<Integer, Integer> itemOf = new HashMap<>();
    for (Compiled c : plan.items()) {
      if (c.measure() != null) {
        itemOf.put(c.index(), items.size());
        items.add(new DeequRunner.Item("e" + c.index(), c.expectation().severity() == Severity.ERROR, c.measure()));
      }
    }
    DeequRunner.Result run = DeequRunner.run(plan.view(), items);
    // The shared scan also counts the rows; if it failed (a runtime error in a SQL condition), count directly.
    long rows = run.rows() != null ? run.rows() : batch.count();
    List<ExpectationResult> results = new ArrayList<>();
    for (Compiled c : plan.items()) {
      Integer at = itemOf.get(c.index());
      Measurement m = at == null ? null : run.measurements().get(at);
      ExpectationResult r = Interpreter.decide(c, m, rows, plan);
      results.add(UnexpectedSamples.fill(c, r, batch));
    }
    return new Outcome(plan, new ValidationResult(suite.name(), rows, results));
  }
}
