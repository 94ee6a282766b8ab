package dev.lakeline.validation;

import dev.lakeline.core.Errors;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Runs an expectation suite on a batch with Great Expectations' semantics: column-map expectations look at
 * non-null values only ({@code mostly} is the share of those that must pass; no non-null values passes), the
 * null checks look at every row, aggregate expectations fail when there is nothing to measure.
 *
 * <p>The whole suite is one Deequ verification run: all scan-shareable measures share one pass over the batch,
 * each distinct uniqueness key adds Deequ's two grouping passes, and each failed column-map expectation one
 * bounded query for its unexpected values. Persist the batch first if it is expensive to compute.
 */
public final class Validator {
  /** The column {@link #rowLevel} adds: array&lt;string&gt; of the labels of the expectations a row breaks. */
  public static final String FAILED_EXPECTATIONS_COLUMN = "_lakeline_failed_expectations";

  private Validator() {}

  /**
   * Checks, without reading any data, that {@code suite} fits a batch of {@code schema}: every expectation is
   * known, its kwargs are complete and typed, and every column it names exists with a type it can check. A
   * misfit is a config error naming the suite, the expectation and the fix.
   */
  public static void check(SparkSession spark, StructType schema, ExpectationSuite suite) {
    Compiler.compile(spark.createDataFrame(List.of(), schema), suite);
  }

  /** Validates {@code batch}. A suite that does not fit the batch (a missing column, …) is a config error. */
  public static ValidationResult validate(Dataset<Row> batch, ExpectationSuite suite) {
    return Validation.run(batch, suite).result();
  }

  /**
   * The batch plus {@link #FAILED_EXPECTATIONS_COLUMN}: the labels ({@link ExpectationSuite#labels()}) of the
   * error-severity column-map and row expectations each row breaks, an empty array for a row that breaks none.
   * A null never breaks an expectation other than the null checks; every row of a duplicated key breaks
   * uniqueness; an expectation that could not be evaluated is broken by every row. Table, aggregate and schema
   * expectations judge the whole batch, never a row: they are not in the column (the gate rejects a batch that
   * fails one). Warnings are not in the column either. Validates first (one Deequ run).
   */
  public static Dataset<Row> rowLevel(Dataset<Row> batch, ExpectationSuite suite) {
    Validation.Outcome outcome = Validation.run(batch, suite);
    return RowLevel.label(outcome.plan(), outcome.result(), FAILED_EXPECTATIONS_COLUMN);
  }

  /** As {@link #rowLevel(Dataset, ExpectationSuite)}, reusing the result of {@link #validate} on the same batch. */
  public static Dataset<Row> rowLevel(Dataset<Row> batch, ExpectationSuite suite, ValidationResult result) {
    List<String> labels = suite.labels();
    boolean same = result.suite().equals(suite.name()) && result.results().size() == labels.size();
    for (int i = 0; same && i < labels.size(); i++) {
      same = result.results().get(i).label().equals(labels.get(i));
    }
    if (!same) {
      throw Errors.config(
          "The validation result is of suite '%s' with %d expectations, not of suite '%s' with %d. Pass the result of "
              + "validating this batch with this suite.",
          result.suite(), result.results().size(), suite.name(), labels.size());
    }
    return RowLevel.label(Compiler.compile(batch, suite), result, FAILED_EXPECTATIONS_COLUMN);
  }
}
