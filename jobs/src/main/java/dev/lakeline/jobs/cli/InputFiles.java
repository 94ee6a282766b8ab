package dev.lakeline.jobs.cli;

import dev.lakeline.core.Errors;
import dev.lakeline.core.storage.LakeFiles;
import dev.lakeline.jobs.pipelines.NaiveTimes;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The files a command is given with {@code --input} and {@code --format} ({@code fg insert}, {@code suggest}), read
 * after the checks both need: the input exists, and a Delta table is read only as one ({@link InputErrors}). A
 * malformed JSON line fails the read in both (never a row of nulls that would only lower a completeness). Naive
 * times of Parquet and Delta ({@code timestamp_ntz}) are read as UTC ({@link NaiveTimes}).
 */
final class InputFiles {
  private InputFiles() {}

  /**
   * Reads {@code input} as {@code format}. With {@code types}, the text formats' columns are those the file names,
   * each with the type {@code types} gives it (else as found, or string): never {@code types} by position, which
   * would put one column's values in another. Without, their types are inferred.
   */
  static Dataset<Row> read(SparkSession spark, String input, String format, StructType types) {
    if (!LakeFiles.of(spark).exists(input)) {
      throw Errors.notFound("The input %s does not exist.", input);
    }
    InputErrors.requireDeltaTableOnlyAsDelta(spark, input, format);
    DataFrameReader reader = spark.read();
    return switch (format.toLowerCase(Locale.ROOT)) {
      case "parquet" -> NaiveTimes.asUtc(reader.parquet(input), types);
      case "delta" -> NaiveTimes.asUtc(reader.format("delta").load(input), types);
      case "csv" -> {
        if (types == null) {
          yield reader.option("header", "true").option("inferSchema", "true").csv(input);
        }
        String[] header = spark.read().option("header", "true").csv(input).columns();
        yield reader.schema(typed(types, header, new StructType())).option("header", "true")
            .option("enforceSchema", "false").option("mode", "FAILFAST").csv(input);
      }
      case "json" -> {
        StructType found = spark.read().option("mode", "FAILFAST").json(input).schema();
        yield reader.schema(types == null ? found : typed(types, found.fieldNames(), found))
            .option("mode", "FAILFAST").json(input);
      }
      default -> throw Errors.config("Unknown --format '%s': use parquet, delta, csv or json.", format);
    };
  }

  /** The named columns with {@code types}' type where it has the column, else as {@code found} (or string). */
  private static StructType typed(StructType types, String[] names, StructType found) {
    List<String> known = Arrays.asList(types.fieldNames());
    List<String> inFile = Arrays.asList(found.fieldNames());
    StructType out = new StructType();
    for (String n : names) {
      out = out.add(n, known.contains(n) ? types.apply(n).dataType()
          : inFile.contains(n) ? found.apply(n).dataType() : DataTypes.StringType);
    }
    return out;
  }
}
