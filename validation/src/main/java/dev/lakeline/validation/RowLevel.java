package dev.lakeline.validation;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import dev.lakeline.core.Errors;
import dev.lakeline.core.spark.SqlColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Which error-severity row-level expectations each row breaks, from the same expressions the metrics counted:
 * a null value never breaks an expectation other than the null checks, every row of a duplicated key breaks
 * uniqueness, and an expectation whose metric could not be computed is broken by every row (Deequ 2.0.7's own
 * row-level results silently drop such a constraint, so its rows would pass).
 */
final class RowLevel {
  private RowLevel() {}

  static Dataset<Row> label(Plan plan, ValidationResult result, String helperColumn) {
    Dataset<Row> batch = plan.batch();
    if (Arrays.asList(batch.columns()).contains(helperColumn)) {
      throw Errors.config(
          "The batch already has a column named '%s', which Lakeline adds for row-level results. Rename or drop it.",
          helperColumn);
    }
    List<Column> flags = new ArrayList<>();
    for (Compiled c : plan.items()) {
      if (!c.rowLevel() || c.expectation().severity() != Severity.ERROR) {
        continue;
      }
      ExpectationResult r = result.results().get(c.index());
      Column breaks = r.raisedException() ? lit(true) : breaks(c);
      flags.add(when(breaks, lit(c.label())));
    }
    Column labels = flags.isEmpty() ? array().cast("array<string>") : array_compact(array(flags.toArray(Column[]::new)));
    return batch.withColumn(helperColumn, labels);
  }

  private static Column breaks(Compiled c) {
    Column applies = c.applies() == null ? lit(true) : c.applies();
    if (c.uniqueness()) {
      Column[] keys = c.columns().stream().map(SqlColumns::col).toArray(Column[]::new);
      Column occurrences = count(when(applies, lit(1))).over(Window.partitionBy(keys));
      return applies.and(occurrences.gt(1));
    }
    return applies.and(not(c.ok()));
  }
}
