package dev.lakeline.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lakeline.core.Errors;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.UnreadableFiles;
import dev.lakeline.core.storage.LakeFiles;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * An {@code --input} that is not what its {@code --format} says, told as one line naming the input and the option
 * to pass: a file of another format read as Parquet, a line that is not JSON, a folder that is not a Delta table.
 * Used by the commands that read files given on the command line ({@code fg insert}, {@code suggest}).
 */
final class InputErrors {
  private static final Pattern JSON_SOURCE = Pattern.compile("\\(byte\\[\\]\\)\"(.*?)\"; line: \\d+", Pattern.DOTALL);
  private static final int MAX_LINE = 80;

  private InputErrors() {}

  /**
   * Refuses {@code --format delta} for an input that is not a Delta table (Delta's own error is an internal one), and
   * {@code --format parquet} for one that is: its folder holds the Parquet files of every version, including those
   * Delta has removed, so reading them as plain Parquet gives rows the table does not have.
   */
  static void requireDeltaTableOnlyAsDelta(SparkSession spark, String input, String format) {
    String fmt = format.toLowerCase(Locale.ROOT);
    if (!fmt.equals("delta") && !fmt.equals("parquet")) {
      return;
    }
    boolean delta = LakeFiles.of(spark).exists(input.replaceAll("/+$", "") + "/_delta_log");
    if (fmt.equals("delta") && !delta) {
      throw Errors.notFound(
          "The input %s is not a Delta table (it has no _delta_log). Nothing was written. For Parquet, CSV or JSON files "
              + "pass --format parquet|csv|json instead of --format delta.", input);
    }
    if (fmt.equals("parquet") && delta) {
      throw Errors.config(
          "The input %s is a Delta table (it has a _delta_log): read as plain Parquet files it would include the files "
              + "of old versions and removed rows. Nothing was written. Pass --format delta.", input);
    }
  }

  /**
   * The user error for a read of {@code input} as {@code format} that failed because the files are of another
   * format or not well-formed, or empty when the failure is something else.
   */
  static Optional<LakelineException> of(Throwable failure, String input, String format) {
    String fmt = format.toLowerCase(Locale.ROOT);
    for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof LakelineException) {
        return Optional.empty();
      }
      String notParquet = fmt.equals("parquet") ? UnreadableFiles.notParquet(c) : null;
      // a file named .parquet is a damaged one, which UnreadableFiles tells as such, not a file of another format
      if (notParquet != null && !notParquet.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
        return Optional.of(Errors.rejected(
            "The input %s cannot be read as Parquet (--format parquet, the default): %s is not a Parquet file. Nothing "
                + "was written. Is it CSV or JSON? Pass --format csv|json (or --format delta for a Delta table); if it "
                + "is a damaged Parquet file, replace it. Then rerun.", input, notParquet));
      }
      if (fmt.equals("json") && c instanceof JsonProcessingException json) {
        return Optional.of(Errors.rejected(
            "The input %s cannot be read as JSON (one object per line): %s%s. Nothing was written. Fix that line, or if "
                + "the input is CSV or Parquet, pass --format csv|parquet. Then rerun.",
            input, json.getOriginalMessage().strip().replaceAll("\\s*\\R\\s*", " ").replaceAll("\\s*\\(start marker at.*$", ""),
            line(json.getMessage())));
      }
    }
    return Optional.empty();
  }

  /** {@code in the line <start of the line>} as Jackson quotes it, or nothing. */
  private static String line(String message) {
    Matcher m = message == null ? null : JSON_SOURCE.matcher(message);
    if (m == null || !m.find()) {
      return "";
    }
    String text = m.group(1).strip();
    return " in the line " + (text.length() <= MAX_LINE ? text : text.substring(0, MAX_LINE) + "…");
  }
}
