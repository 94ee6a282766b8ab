package dev.lakeline.core.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a Delta table's commit files ({@code _delta_log/NNNNNNNNNNNNNNNNNNNN.json}) directly: the latest version
 * and one commit's {@code userMetadata}, without the Spark job that {@code DeltaTable.history()} starts. The log
 * is Delta's public protocol; the newest commit file is never removed by log clean-up.
 */
final class DeltaLogFiles {
  private static final Pattern COMMIT = Pattern.compile("\\d{20}\\.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeltaLogFiles() {}

  private static Path log(String table) {
    return new Path(table, "_delta_log");
  }

  private static FileSystem fs(SparkSession spark, Path path) throws IOException {
    return path.getFileSystem(spark.sessionState().newHadoopConf());
  }

  /** The newest committed version, or -1 when the table has no commit. */
  static long latestVersion(SparkSession spark, String table) {
    Path log = log(table);
    try {
      long latest = -1;
      for (FileStatus f : fs(spark, log).listStatus(log)) {
        String name = f.getPath().getName();
        if (COMMIT.matcher(name).matches()) {
          latest = Math.max(latest, Long.parseLong(name.substring(0, 20)));
        }
      }
      return latest;
    } catch (FileNotFoundException e) {
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the Delta log of " + table, e);
    }
  }

  /** The {@code userMetadata} of commit {@code version}, or null when it has none or the file is gone. */
  static String userMetadata(SparkSession spark, String table, long version) {
    Path file = new Path(log(table), String.format("%020d.json", version));
    try (BufferedReader in = new BufferedReader(new InputStreamReader(fs(spark, file).open(file), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("{\"commitInfo\"")) {
          JsonNode meta = JSON.readTree(line).path("commitInfo").path("userMetadata");
          return meta.isTextual() ? meta.asText() : null;
        }
      }
      return null;
    } catch (FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read commit " + version + " of " + table, e);
    }
  }
}
