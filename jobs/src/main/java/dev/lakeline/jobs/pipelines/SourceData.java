package dev.lakeline.jobs.pipelines;

import dev.lakeline.core.Errors;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.storage.LakeFiles;
import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.jobs.pipelines.SourceSpec.Format;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;

/**
 * Whether a pipeline's source has data to read: its path (or glob) must exist and hold at least one data file (a
 * Delta table, its log), else the run stops with "not found" (exit code 4), naming the source, the path and the
 * field of the pipeline file, instead of Spark's "unable to infer schema" or an empty batch. Data files are the ones
 * Spark reads: names starting with {@code _} or {@code .} (markers, logs, temporary files) are not.
 */
final class SourceData {
  private SourceData() {}

  /** Throws NotFound unless the source has something to read; {@code file} is the pipeline file, for the message. */
  static void require(SparkSession spark, StorageLayout layout, SourceSpec s, String pipeline, String file) {
    String location = s.location(layout);
    String field = s.name() != null ? "source.name" : "source.path";
    String fix = s.name() != null
        ? "Write the raw data there first; for the demo's sources, generate them (lakeline generate --date <day>) or run "
            + "lakeline demo."
        : "Check " + field + " in " + file + ", or write the source's files there first.";
    boolean glob = location.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
    // "source /data/x" already says where; "raw source 'x'" needs its folder
    String source = s.name() != null ? s.label() + " at " + location : s.label();
    if (s.format() == Format.DELTA) {
      if (!glob && !LakeFiles.of(spark).exists(location)) {
        throw Errors.notFound("Pipeline '%s': %s not found (%s of %s). %s", pipeline, source, field, file, fix);
      }
      if (glob || !DeltaCommits.exists(spark, location)) {
        throw Errors.notFound(
            "Pipeline '%s': %s (%s of %s) is not a Delta table: it has no _delta_log. Point %s at the table's "
                + "folder, or set source.format to the format of its files.",
            pipeline, source, field, file, field);
      }
      return;
    }
    if (!glob && !LakeFiles.of(spark).exists(location)) {
      throw Errors.notFound("Pipeline '%s': %s not found (%s of %s). %s", pipeline, source, field, file, fix);
    }
    if (files(spark, location, 1).isEmpty()) {
      throw Errors.notFound(
          "Pipeline '%s': no %s files were found for %s (%s of %s): %s, so there are no rows to read for any date "
              + "(names starting with _ or . are not data files). Nothing was written. %s",
          pipeline, s.format().name().toLowerCase(java.util.Locale.ROOT), source, field, file,
          glob ? "the pattern matches no file" : "the folder holds no data files", fix);
    }
  }

  /** Up to {@code limit} data files at {@code location} (a file, a folder read recursively, or a glob), as URIs. */
  static List<String> files(SparkSession spark, String location, int limit) {
    Path path = new Path(location);
    List<String> out = new ArrayList<>();
    try {
      FileSystem fs = path.getFileSystem(spark.sessionState().newHadoopConf());
      FileStatus[] matched = fs.globStatus(path);
      if (matched == null) {
        return out;
      }
      for (FileStatus m : matched) {
        if (m.isFile()) {
          if (data(m.getPath().getName())) {
            out.add(m.getPath().toString());
          }
        } else {
          collect(fs, m.getPath(), out, limit);
        }
        if (out.size() >= limit) {
          break;
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the source files at " + location, e);
    }
  }

  private static void collect(FileSystem fs, Path dir, List<String> out, int limit) throws IOException {
    int depth = dir.depth();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
    while (it.hasNext() && out.size() < limit) {
      Path p = it.next().getPath();
      boolean hidden = false;
      // every part below the folder: a file under _temporary/ or .hidden/ is not data either
      for (Path q = p; q != null && q.depth() > depth; q = q.getParent()) {
        hidden |= !data(q.getName());
      }
      if (!hidden) {
        out.add(p.toString());
      }
    }
  }

  /** Spark's rule for the files it reads: not {@code _name} (except a partition folder {@code _k=v}) nor {@code .name}. */
  private static boolean data(String name) {
    return !(name.startsWith("_") && !name.contains("=")) && !name.startsWith(".") && !name.endsWith("._COPYING_");
  }
}
