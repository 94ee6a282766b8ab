package dev.lakeline.core;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkThrowable;

/**
 * A Spark failure that is about one input file which cannot be read (empty, truncated or corrupt, a column of another
 * type than the read expects, access denied), told as the data problem it is: the file, Spark's reason and what to
 * do, with the rejected-data exit code instead of an internal error's stack trace. Spark reports such a file from the
 * driver (reading footers to merge schemas) or from a task (wrapped in the failed job's exception); both are found
 * in the cause chain.
 */
public final class UnreadableFiles {
  private static final int MAX_REASON = 400;
  private static final Pattern ENCOUNTERED = Pattern.compile("Encountered error while reading file (\\S+?)\\.? Details:");
  private static final Pattern CHECKSUM = Pattern.compile("Checksum error: (\\S+) at \\d+");
  private static final Pattern NOT_PARQUET = Pattern.compile("^(\\S+) is not a Parquet file");
  private static final Pattern DECODING = Pattern.compile("in block -?\\d+ in file (\\S+)");
  private static final Pattern CONVERTED = Pattern.compile("Parquet column cannot be converted in file (\\S+?)\\.? Column:");

  private UnreadableFiles() {}

  /**
   * The rejection of the file that {@code failure} (or one of its causes) could not read, or null when the failure
   * is not about reading a file.
   */
  public static LakelineException.DataRejected rejection(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String file = file(t);
      if (file != null) {
        return new LakelineException.DataRejected(String.format(java.util.Locale.ROOT,
            "The file %s cannot be read: %s. Nothing was written. If the file is empty, truncated or corrupt (a writer "
                + "that stopped part-way leaves such files), remove or replace it; if it holds a column of another type "
                + "than the other files, rewrite it with their type; if access was denied, check the job's permissions on "
                + "it. Then rerun.",
            file, reason(t)), failure);
      }
    }
    return null;
  }

  /**
   * The file that {@code t}'s own message says is not a Parquet file (of another format, or a damaged Parquet file
   * without the magic number at its end), or null.
   */
  public static String notParquet(Throwable t) {
    Matcher m = t.getMessage() == null ? null : NOT_PARQUET.matcher(t.getMessage());
    return m != null && m.find() ? m.group(1) : null;
  }

  /** The file {@code t} itself says it could not read, or null. */
  private static String file(Throwable t) {
    if (t instanceof SparkThrowable st && st.getErrorClass() != null) {
      Map<String, String> p = st.getMessageParameters();
      String errorClass = st.getErrorClass();
      if (errorClass.equals("CANNOT_READ_FILE_FOOTER") && p.get("file") != null) {
        return p.get("file");
      }
      if (errorClass.startsWith("FAILED_READ_FILE") && p.get("path") != null) { // Spark 4's name for the task's failure
        return p.get("path");
      }
    }
    String m = t.getMessage();
    if (m == null) {
      return null;
    }
    for (Pattern p : new Pattern[] {ENCOUNTERED, CONVERTED, DECODING, NOT_PARQUET}) {
      Matcher matcher = p.matcher(m);
      if (matcher.find()) {
        return matcher.group(1);
      }
    }
    if (t.getClass().getName().equals("org.apache.hadoop.fs.ChecksumException")) {
      Matcher matcher = CHECKSUM.matcher(m);
      return matcher.find() ? matcher.group(1) : null;
    }
    return null;
  }

  /** The most specific message below (or at) {@code t}: its first line, shortened. */
  private static String reason(Throwable t) {
    String reason = Messages.innermost(t).replaceAll("\\.$", "");
    return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "…";
  }
}
