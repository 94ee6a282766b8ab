package dev.lakeline.jobs.pipelines;

import static org.apache.spark.sql.functions.lit;

import dev.lakeline.core.Errors;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.Names;
import dev.lakeline.core.delta.CommitRequest;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.storage.StorageLayout;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The rows of a source that could not be read: the message that rejects a run ({@code bad_rows: reject}), or the
 * Delta table {@code <root>/_lakeline/bad_rows/<pipeline>} that keeps them with their reason ({@code bad_rows:
 * report}), one slice per logical date that a rerun replaces.
 */
final class BadRowsTable {
  static final int EXAMPLES = 5;

  private BadRowsTable() {}

  static String path(StorageLayout layout, String pipeline) {
    return layout.system("bad_rows") + "/" + Names.check("feature pipeline", pipeline);
  }

  /** The rejection of a run with bad rows: the count, examples with their reasons, and the two ways out. */
  static LakelineException.DataRejected rejection(
      FeaturePipeline p, StorageLayout layout, Dataset<Row> bad, long count, LocalDate date) {
    return Errors.rejected(
        "Pipeline '%s': %,d row%s of %s cannot be read for %s (bad_rows: reject). Nothing was written.%n%s%n"
            + "Fix the source and rerun, or set 'bad_rows: report' in the source of %s to load the readable rows and keep "
            + "the others with their reason in %s.",
        p.name(), count, count == 1 ? "" : "s", p.source().label(), date, examples(bad, count), p.location(), path(layout, p.name()));
  }

  static String examples(Dataset<Row> bad, long count) {
    List<Row> rows = bad.limit(EXAMPLES).collectAsList();
    StringBuilder b = new StringBuilder();
    for (Row r : rows) {
      b.append(String.format(Locale.ROOT, "  - %s%n      record: %s%n      file:   %s%n", r.getString(0), r.getString(1), r.getString(2)));
    }
    if (count > rows.size()) {
      b.append(String.format(Locale.ROOT, "  … and %,d more.", count - rows.size()));
    }
    return b.toString().stripTrailing();
  }

  /**
   * Keeps the date's bad rows (replacing what an earlier run of that date kept), the commit recording {@code metadata}
   * (the run id); returns the table's path.
   */
  static String write(SparkSession spark, StorageLayout layout, FeaturePipeline p, Dataset<Row> bad, long count, LocalDate date,
      java.util.Map<String, String> metadata) {
    String path = path(layout, p.name());
    if (count == 0 && !DeltaCommits.exists(spark, path)) {
      return null;
    }
    String batch = "features:" + p.name() + ":" + date;
    Dataset<Row> rows = bad.select(
        lit(p.name()).as("pipeline"),
        lit(date).as("logical_date"),
        lit(batch).as("batch_id"),
        lit(p.source().label()).as("source"),
        bad.col(SourceReader.REASON),
        bad.col(SourceReader.RECORD),
        bad.col(SourceReader.FILE));
    DeltaCommits.commit(spark, CommitRequest.replaceWhere(path, rows, "batch_id = '" + batch + "'", "bad_rows:" + p.name() + ":" + date)
        .withMetadata(metadata));
    return path;
  }
}
