package dev.lakeline.featurestore;

import dev.lakeline.core.Messages;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Whether a Delta table can still be read at a version: the version is in its Delta log and every data file of it
 * is there (a {@code VACUUM} deletes the files later versions removed). What recreating a training dataset needs.
 *
 * @param files the version's data files (0 when it cannot be read)
 * @param missing how many of them were deleted
 * @param unreadable why the version cannot be read at all (it left the log, the table is gone), or null
 */
record VersionFiles(long files, long missing, String unreadable) {

  /**
   * The check of {@code path} at {@code version}.
   *
   * @param present the paths ({@code URI#getPath}) of the files under {@code path}, as {@code LakeFiles#filesUnder}
   *     lists them
   */
  static VersionFiles of(SparkSession spark, String path, long version, Set<String> present) {
    List<String> needed;
    try {
      needed = paths(spark.read().format("delta").option("versionAsOf", version).load(path));
    } catch (Exception e) { // Delta's AnalysisException is checked in Java's eyes but not declared
      // a version before the log's first one, a log that cannot rebuild it, a table gone: anything else is thrown
      if (!(e instanceof org.apache.spark.sql.AnalysisException || e instanceof java.io.IOException
          || e instanceof IllegalStateException)) {
        throw e;
      }
      return new VersionFiles(0, 0, Messages.firstLine(e));
    }
    long missing = needed.stream().filter(f -> !present.contains(f)).count();
    return new VersionFiles(needed.size(), missing, null);
  }

  /** The data files of the table's current version, as {@code LakeFiles} lists them ({@code URI#getPath}). */
  static List<String> current(SparkSession spark, String path) {
    return paths(spark.read().format("delta").load(path));
  }

  private static List<String> paths(Dataset<Row> version) {
    return Arrays.stream(version.inputFiles()).map(f -> new Path(f).toUri().getPath()).toList();
  }

  /** Whether the version can be read. */
  boolean readable() {
    return unreadable == null && missing == 0;
  }
}
