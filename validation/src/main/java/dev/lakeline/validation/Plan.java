package dev.lakeline.validation;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A suite compiled against a batch: the compiled expectations and the view Deequ runs on. The view renames the
 * batch's columns to their positions ({@code _c0}, {@code _c1}, …), because Deequ parses some column names as
 * attribute paths (a dot, a backtick or a space breaks it), and adds each column-map expectation's two boolean
 * columns ({@code _a<i>}: evaluated, {@code _o<i>}: as expected). Deequ therefore never sees a user column name
 * or a user value, and the row-level results use exactly the same expressions as the metrics.
 */
record Plan(Dataset<Row> batch, ExpectationSuite suite, List<Compiled> items, Dataset<Row> view) {

  static String positional(int columnIndex) {
    return "_c" + columnIndex;
  }

  static String appliesColumn(int expectationIndex) {
    return "_a" + expectationIndex;
  }

  static String okColumn(int expectationIndex) {
    return "_o" + expectationIndex;
  }

  /** A constant true column of the view, for uniqueness that counts all-null keys ({@code ignore_row_if: never}). */
  static final String PRESENT = "_present";
}
