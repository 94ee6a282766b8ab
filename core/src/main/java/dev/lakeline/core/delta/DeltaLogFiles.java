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
 * Reads a Delta table's commit files ({@code _delta_log/NNNNNNNNNNNNNNNNNNNN.json}) directly: the latest version,
 * one commit's {@code userMetadata} and whether a commit changed data, without the Spark job that
 * {@code DeltaTable.history()} starts. The log is Delta's public protocol; the newest commit file is never removed
 * by log clean-up.
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
    Path file = commitFile(table, version);
    try (BufferedReader in = open(spark, file)) {
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

  /**
   * Whether commit {@code version} may have changed the table's rows: true unless its file is there and holds no
   * {@code add} or {@code remove} with {@code dataChange} true, no {@code cdc} file and no {@code metaData} (a
   * schema change can change what a read returns). OPTIMIZE (files rewritten with {@code dataChange} false),
   * VACUUM START/END and the like change no data. A missing commit file (log clean-up) counts as a change: the
   * caller cannot tell.
   */
  static boolean changesData(SparkSession spark, String table, long version) {
    Path file = commitFile(table, version);
    try (BufferedReader in = open(spark, file)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode action = JSON.readTree(line);
        if (action.has("metaData") || action.has("cdc")) {
          return true;
        }
        for (String kind : new String[] {"add", "remove"}) {
          JsonNode entry = action.get(kind);
          if (entry != null && entry.path("dataChange").asBoolean(true)) {
            return true; // a file added or removed as a data change (a missing flag counts as one)
          }
        }
      }
      return false;
    } catch (FileNotFoundException e) {
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read commit " + version + " of " + table, e);
    }
  }

  private static Path commitFile(String table, long version) {
    return new Path(log(table), String.format("%020d.json", version));
  }

  private static BufferedReader open(SparkSession spark, Path file) throws IOException {
    return new BufferedReader(new InputStreamReader(fs(spark, file).open(file), StandardCharsets.UTF_8));
  }
}
