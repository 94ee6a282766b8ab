package dev.lakeline.jobs.pipelines;

import dev.lakeline.core.Errors;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of a CSV source with different headers. A source is read by one header (its first file's), so a file
 * whose columns are in another order would put its fields in the wrong columns: Spark checks each file's header
 * against it ({@code enforceSchema=false}) and fails the job; this turns that failure into a rejection naming the file.
 */
final class CsvHeaders {
  private static final Pattern ORDER = Pattern.compile(
      "CSV header does not conform to the schema\\.\\s*Header: (.*?)\\s*Schema: (.*?)\\s*Expected: .*?CSV file: (\\S+)", Pattern.DOTALL);
  private static final Pattern LENGTH = Pattern.compile(
      "Number of column in CSV header is not equal to number of fields in the schema:\\s*Header length: (\\d+), schema size: (\\d+)\\s*CSV file: (\\S+)",
      Pattern.DOTALL);

  private CsvHeaders() {}

  /** {@code action}'s result, or the rejection of a source whose files' headers differ. */
  static long translated(LongSupplier action, String pipeline, SourceSpec s) {
    try {
      return action.getAsLong();
    } catch (Exception e) { // Spark's SparkException is checked in Java's eyes but not declared
      RuntimeException rejected = rejection(e, pipeline, s);
      if (rejected != null) {
        throw rejected;
      }
      throw e;
    }
  }

  private static RuntimeException rejection(Throwable e, String pipeline, SourceSpec s) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      Matcher order = ORDER.matcher(message);
      Matcher length = LENGTH.matcher(message);
      String differs;
      if (order.find()) {
        differs = "%s has the header [%s], other files of the source [%s]".formatted(order.group(3), order.group(1), order.group(2));
      } else if (length.find()) {
        differs = "%s has a header of %s columns, other files of the source %s".formatted(length.group(3), length.group(1), length.group(2));
      } else {
        continue;
      }
      return Errors.rejected(
          "Pipeline '%s': the CSV files of %s do not all have the same header: %s. Its files are read by one header, so "
              + "fields would land in the wrong columns. Nothing was written. Write every file of the source with the same "
              + "columns in the same order, or make them separate sources.",
          pipeline, s.label(), differs);
    }
    return null;
  }
}
