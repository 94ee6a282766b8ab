package dev.lakeline.jobs.pipelines;

import dev.lakeline.core.storage.StorageLayout;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * The raw source of a feature pipeline: where it is, how to read it, and which of its rows belong to a logical
 * date. docs/feature-pipelines.md describes every field.
 *
 * @param name a raw source under the lakehouse ({@code <root>/raw/<name>}), or null when {@code path} is given
 * @param path a path or URI of the source (files, a folder, a glob, a Delta table), or null when {@code name} is
 *     given
 * @param format how it is stored
 * @param schema the declared columns and their types (required for text formats; for Parquet and Delta an
 *     optional contract that the source must meet), or null
 * @param timestampFormats datetime patterns tried in order for the timestamp columns of a text source; empty for
 *     ISO 8601
 * @param badRows what happens to rows that cannot be read
 * @param dateColumn the date or timestamp column that places a row on a date, or null (every row, every run)
 * @param rows which rows a run for date D reads
 * @param lookback with {@link Rows#ON_DATE}: how much history before D the steps also see (for windows), or null
 * @param options Spark reader options for text formats (delimiter, quote, header, ...)
 */
public record SourceSpec(
    String name,
    String path,
    Format format,
    StructType schema,
    List<String> timestampFormats,
    BadRows badRows,
    String dateColumn,
    Rows rows,
    Duration lookback,
    Map<String, String> options) {

  /** How the source is stored. */
  public enum Format {
    PARQUET,
    CSV,
    JSON,
    DELTA;

    boolean text() {
      return this == CSV || this == JSON;
    }
  }

  /** What happens to rows that cannot be read (malformed records, values not of their declared type). */
  public enum BadRows {
    /** The run stops with exit code 3, naming the count and showing examples; nothing is written. */
    REJECT,
    /** The readable rows are loaded; the others are counted in the summary and kept with their reason. */
    REPORT
  }

  /** Which rows a run for logical date D reads. */
  public enum Rows {
    /** Every row, whatever its date (no date column). */
    ALL,
    /** The rows dated D or earlier: each run recomputes the groups from the whole history up to D. */
    UP_TO_DATE,
    /** The rows dated D (plus the lookback for windows): each run writes the day's batch. */
    ON_DATE
  }

  public SourceSpec {
    timestampFormats = List.copyOf(timestampFormats);
    options = Map.copyOf(options);
  }

  /** Where the source is. */
  public String location(StorageLayout layout) {
    return name != null ? layout.raw(name) : path;
  }

  /** "raw source 'loans'" or "source /data/x.csv", for messages. */
  public String label() {
    return name != null ? "raw source '" + name + "'" : "source " + path;
  }
}
