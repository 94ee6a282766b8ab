package dev.lakeline.validation;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The split's counts in one pass, checked against the validation: accepted + quarantined must equal the rows
 * Deequ counted, and the rows marked with each expectation must equal its unexpected count. A mismatch means
 * the row-level results and the metrics disagree; nothing may then be committed.
 */
record SplitCounts(long accepted, long quarantined) {
  static SplitCounts of(Dataset<Row> labeled, ValidationResult result) {
    Column failed = col(Validator.FAILED_EXPECTATIONS_COLUMN);
    List<Column> aggs = new ArrayList<>();
    aggs.add(sum(when(size(failed).equalTo(0), 1).otherwise(0)));
    aggs.add(sum(when(size(failed).gt(0), 1).otherwise(0)));
    List<ExpectationResult> checked = result.results().stream()
        .filter(r -> r.rowLevel() && r.expectation().severity() == Severity.ERROR && !r.raisedException()).toList();
    for (ExpectationResult r : checked) {
      aggs.add(sum(when(array_contains(failed, r.label()), 1).otherwise(0)));
    }
    Row row = labeled.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).head();
    long accepted = row.isNullAt(0) ? 0 : row.getLong(0);
    long quarantined = row.isNullAt(1) ? 0 : row.getLong(1);
    if (accepted + quarantined != result.rowCount()) {
      throw new IllegalStateException(String.format(Locale.ROOT,
          "Gate invariant broken: %d accepted + %d quarantined rows != %d rows validated. Nothing may be committed; "
              + "the batch changed between reads (persist it and avoid nondeterministic columns), or this is a Lakeline bug.",
          accepted, quarantined, result.rowCount()));
    }
    for (int i = 0; i < checked.size(); i++) {
      long marked = row.isNullAt(i + 2) ? 0 : row.getLong(i + 2);
      ExpectationResult r = checked.get(i);
      if (marked != r.unexpectedCount()) {
        throw new IllegalStateException(String.format(Locale.ROOT,
            "Gate invariant broken: %d rows marked as breaking %s, but the validation counted %d unexpected. "
                + "Nothing may be committed; this is a Lakeline bug (is the batch deterministic and persisted?).",
            marked, r.label(), r.unexpectedCount()));
      }
    }
    return new SplitCounts(accepted, quarantined);
  }
}
