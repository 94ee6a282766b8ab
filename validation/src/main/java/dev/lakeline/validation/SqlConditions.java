package dev.lakeline.validation;

import dev.lakeline.core.Errors;
import dev.lakeline.core.Messages;
import dev.lakeline.validation.internal.spark.Plans;
import java.util.Arrays;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** The Spark SQL conditions of {@code expect_row_values_to_satisfy_sql}: syntax at load time, meaning per batch. */
final class SqlConditions {
  private SqlConditions() {}

  /** Parses {@code condition} (no table needed); a syntax error is a config error naming {@code where}. */
  static void checkSyntax(String where, String name, String condition) {
    try {
      functions.expr(condition);
    } catch (Exception e) {
      if (!(e instanceof AnalysisException)) {
        throw e;
      }
      throw Errors.config(
          "%s: '%s' is not valid Spark SQL: %s Write a boolean expression over the batch's columns, e.g. \"amount >= fee\" "
              + "(quote odd column names with backticks).",
          where, name, Messages.firstLine(e.getMessage()));
    }
  }

  /**
   * The condition as a column of {@code batch}: it must resolve against the batch's columns and be boolean, or
   * it is a config error naming {@code where}.
   */
  static Column resolve(Dataset<Row> batch, String where, String condition) {
    Column c = functions.expr(condition);
    Dataset<Row> selected;
    DataType type;
    try {
      selected = batch.select(c); // analysed here (a Dataset is analysed as it is made)
      type = selected.schema().fields()[0].dataType();
    } catch (Exception e) {
      if (!(e instanceof AnalysisException)) {
        throw e;
      }
      throw Errors.config(
          "%s: the condition \"%s\" does not fit the batch: %s The batch has columns %s.",
          where, condition, Messages.firstLine(e.getMessage()), Arrays.toString(batch.columns()));
    }
    String notPerRow = Plans.notPerRow(batch, selected); // the analysis above, not a second one
    if (notPerRow != null) {
      throw Errors.config(
          "%s: the condition \"%s\" is %s, but it is evaluated on each row alone (the rows it fails are counted and "
              + "quarantined one by one). Write it over the row's own columns; for a statistic of the whole batch use a column "
              + "aggregate expectation (expect_column_sum_to_be_between, …), and compute windowed values in the pipeline.",
          where, condition, notPerRow);
    }
    if (!type.equals(DataTypes.BooleanType)) {
      throw Errors.config(
          "%s: the condition \"%s\" is %s, not a boolean. Write a comparison or test, e.g. \"amount >= 0\".",
          where, condition, type.simpleString());
    }
    return c;
  }
}
