package dev.lakeline.validation;

import dev.lakeline.validation.internal.deequ.Measure;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * One expectation compiled against one batch.
 *
 * @param index its position in the suite
 * @param expectation the expectation
 * @param label its label in the suite
 * @param kind how it is evaluated
 * @param columns the batch columns it is about (the value column, or the key columns), by their real names
 * @param applies the rows it evaluates (a never-null boolean over the batch; null means every row)
 * @param ok whether an evaluated row is as expected (a never-null boolean over the batch); null for uniqueness,
 *     aggregates and schema expectations
 * @param measure what Deequ measures for it, or null (schema and row-count expectations need no measure of
 *     their own)
 */
record Compiled(
    int index,
    Expectation expectation,
    String label,
    ExpectationTypes.Kind kind,
    List<String> columns,
    Column applies,
    Column ok,
    Measure measure) {

  boolean uniqueness() {
    return measure instanceof Measure.Uniqueness;
  }

  boolean nullCheck() {
    return expectation.type().equals("expect_column_values_to_not_be_null")
        || expectation.type().equals("expect_column_values_to_be_null");
  }

  boolean rowLevel() {
    return kind.rowLevel();
  }
}
