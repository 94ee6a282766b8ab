package dev.lakeline.validation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import dev.lakeline.core.spark.SqlColumns;
import dev.lakeline.validation.internal.spark.SparkValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * GE's {@code partial_unexpected_list}: up to 20 unexpected values of a failed expectation, each from one
 * bounded query ({@code LIMIT 20}) over the batch, run only for expectations that failed.
 */
final class UnexpectedSamples {
  static final int LIMIT = 20;
  private static final String N = "_lakeline_n";

  private UnexpectedSamples() {}

  static ExpectationResult fill(Compiled c, ExpectationResult r, Dataset<Row> batch) {
    if (r.success() || r.raisedException()) {
      return r;
    }
    String type = c.expectation().type();
    if (type.equals("expect_column_values_to_not_be_null")) {
      return r.withPartialUnexpectedList(Collections.nCopies((int) Math.min(LIMIT, r.unexpectedCount()), null));
    }
    if (c.uniqueness()) {
      Column[] keys = c.columns().stream().map(SqlColumns::col).toArray(Column[]::new);
      List<Row> dups =
          batch.filter(c.applies()).groupBy(keys).agg(count(lit(1)).as(N)).filter(col(N).gt(1)).drop(N).limit(LIMIT).collectAsList();
      return r.withPartialUnexpectedList(values(dups, c.columns().size() > 1));
    }
    if (c.ok() == null) {
      return r; // aggregate and schema expectations: observed_value says it all
    }
    Column unexpected = (c.applies() == null ? lit(true) : c.applies()).and(not(c.ok()));
    if (type.equals("expect_row_values_to_satisfy_sql")) {
      return r.withPartialUnexpectedList(values(batch.filter(unexpected).limit(LIMIT).collectAsList(), true));
    }
    Column value = SqlColumns.col(c.columns().get(0));
    if (type.equals("expect_column_distinct_values_to_be_in_set")) {
      List<Object> outside = sorted(values(batch.filter(unexpected).select(value).distinct().limit(LIMIT).collectAsList(), false));
      List<Object> found = sorted(values(batch.filter(c.applies()).select(value).distinct().limit(LIMIT).collectAsList(), false));
      return r.withPartialUnexpectedList(outside).withObservedValue(found);
    }
    return r.withPartialUnexpectedList(values(batch.filter(unexpected).select(value).limit(LIMIT).collectAsList(), false));
  }

  private static List<Object> values(List<Row> rows, boolean asMaps) {
    List<Object> out = new ArrayList<>();
    for (Row row : rows) {
      out.add(asMaps ? SparkValues.rowToMap(row) : SparkValues.toJava(row.get(0)));
    }
    return out;
  }

  private static List<Object> sorted(List<Object> values) {
    List<Object> out = new ArrayList<>(values);
    out.sort(Comparator.comparing(String::valueOf));
    return out;
  }
}
