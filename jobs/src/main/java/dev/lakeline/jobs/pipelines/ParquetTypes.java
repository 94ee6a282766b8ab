package dev.lakeline.jobs.pipelines;

import dev.lakeline.core.Errors;
import dev.lakeline.core.Messages;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;

/**
 * The files of a Parquet source with different types for one column. Spark reads a source with one type per column
 * and, without a merge, takes it from one file: a file whose column has another type fails the read deep inside the
 * run (or inside the gate's metrics). The source is read with its files' schemas merged, which reads every footer and
 * fails at once on such a file; this turns that failure into a rejection naming the column, the types and the files.
 * A column that only some files have is not a conflict: it is null in the rows of the others.
 */
final class ParquetTypes {
  /** How many footers are read, one by one, to find the files that disagree. */
  private static final int MAX_FILES = 1_000;

  private ParquetTypes() {}

  /** The source at {@code location}, its files' schemas merged, or the rejection of files whose types differ. */
  static Dataset<Row> read(SparkSession spark, String location, SourceSpec s, String pipeline) {
    try {
      return spark.read().option("mergeSchema", "true").parquet(location);
    } catch (Exception e) { // Spark's SparkException is checked in Java's eyes but not declared
      if (!incompatible(e)) {
        throw e;
      }
      throw rejection(spark, location, s, pipeline, e);
    }
  }

  private static boolean incompatible(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage();
      if (m.contains("CANNOT_MERGE_INCOMPATIBLE_DATA_TYPE") || m.contains("CANNOT_MERGE_SCHEMAS") || m.contains("Failed to merge")) {
        return true;
      }
    }
    return false;
  }

  private static RuntimeException rejection(SparkSession spark, String location, SourceSpec s, String pipeline, Throwable e) {
    String fix = "Nothing was written. Rewrite the odd files with the column's type (cast it when writing them), or read "
        + "them as another source.";
    Map<String, StructField> first = new LinkedHashMap<>();
    Map<String, String> firstFile = new LinkedHashMap<>();
    List<String> files = SourceData.files(spark, location, MAX_FILES);
    for (String file : files) {
      for (StructField f : spark.read().parquet(file).schema().fields()) {
        StructField earlier = first.putIfAbsent(f.name(), f);
        if (earlier == null) {
          firstFile.put(f.name(), file);
        } else if (!earlier.dataType().sameType(f.dataType())) {
          return Errors.rejected(
              "Pipeline '%s': the Parquet files of %s do not agree on the type of column '%s': %s has %s, %s has %s%s. "
                  + "A source is read with one type per column, so its rows cannot be read together. %s",
              pipeline, s.label(), f.name(), firstFile.get(f.name()), earlier.dataType().simpleString(), file,
              f.dataType().simpleString(), declared(s, f.name()), fix);
        }
      }
    }
    return Errors.rejected(
        "Pipeline '%s': the Parquet files of %s at %s do not agree on the types of their columns (Spark: %s). A source "
            + "is read with one type per column, so its rows cannot be read together. %s",
        pipeline, s.label(), location, Messages.innermost(e), fix);
  }

  private static String declared(SourceSpec s, String column) {
    if (s.schema() == null || !List.of(s.schema().fieldNames()).contains(column)) {
      return "";
    }
    DataType t = s.schema().apply(column).dataType();
    return " (source.schema declares " + t.simpleString() + ")";
  }
}
