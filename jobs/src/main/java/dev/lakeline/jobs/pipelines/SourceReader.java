package dev.lakeline.jobs.pipelines;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import dev.lakeline.core.Errors;
import dev.lakeline.core.spark.SqlColumns;
import dev.lakeline.core.storage.LakeFiles;
import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.jobs.pipelines.SourceSpec.Format;
import dev.lakeline.jobs.pipelines.SourceSpec.Rows;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Reads a pipeline's source for one logical date: the rows the steps see, and the rows that cannot be read, each
 * with its reason. Text sources are read as text and converted column by column, so a malformed record or a value
 * that is not of its declared type is found and named rather than turned into a silent null or dropped. A row
 * without a date (when the source has a date column) belongs to no date and is a bad row too.
 */
final class SourceReader {
  static final String REASON = "reason";
  static final String RECORD = "record";
  static final String FILE = "file";
  private static final String CORRUPT = "_lakeline_corrupt_record";
  private static final String BAD_REASON = "_lakeline_reason";
  private static final String BAD_RECORD = "_lakeline_record";
  private static final String BAD_FILE = "_lakeline_file";

  private SourceReader() {}

  /** The rows of one run, and the bad rows of its dates ({@code reason}, {@code record}, {@code file}). */
  record Batch(Dataset<Row> rows, Dataset<Row> bad, long badCount, Dataset<Row> cached) implements AutoCloseable {
    @Override
    public void close() {
      if (cached != null) {
        cached.unpersist();
      }
    }
  }

  /** The columns and types the steps see, without reading rows (at most Parquet footers or the Delta log). */
  static StructType schema(SparkSession spark, StorageLayout layout, SourceSpec s, String pipeline) {
    return s.format().text() ? s.schema() : typed(spark, layout, s, pipeline).schema();
  }

  static Batch read(SparkSession spark, StorageLayout layout, SourceSpec s, String pipeline, LocalDate date) {
    if (!s.format().text()) {
      Dataset<Row> df = typed(spark, layout, s, pipeline);
      if (s.format() == Format.PARQUET && s.schema() != null) {
        Column d = s.dateColumn() == null ? lit(true) : inRead(s, SqlColumns.col(s.dateColumn()), df.schema(), date);
        requireFields(s, pipeline, "Parquet file", df.where(d).withColumn(BAD_FILE, input_file_name()),
            files -> Arrays.asList(spark.read().option("mergeSchema", "true").parquet(files).schema().fieldNames()));
      }
      if (s.dateColumn() == null) {
        return new Batch(df, null, 0, null);
      }
      Column d = SqlColumns.col(s.dateColumn());
      Dataset<Row> bad = df.where(d.isNull()).select(
          lit("date column '" + s.dateColumn() + "' is empty").as(REASON),
          to_json(struct(Arrays.stream(df.columns()).map(SqlColumns::col).toArray(Column[]::new))).as(RECORD),
          input_file_name().as(FILE));
      // Parquet's null counts answer this from the footers when there are none
      long badCount = bad.count();
      return new Batch(df.where(inRead(s, d, df.schema(), date)), bad, badCount, null);
    }
    Dataset<Row> parsed = parse(spark, layout, s, pipeline).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Column reason = col(BAD_REASON);
      Column keep = lit(true);
      if (s.dateColumn() != null) {
        Column d = SqlColumns.col(s.dateColumn());
        keep = inRead(s, d, s.schema(), date);
        // a bad row counts in the runs of its date; one whose date cannot be read, in every run
        reason = when(reason.isNotNull().and(d.isNull().or(inBatch(s, d, s.schema(), date))), reason);
      }
      Dataset<Row> bad = parsed.where(reason.isNotNull())
          .select(col(BAD_REASON).as(REASON), col(BAD_RECORD).as(RECORD), col(BAD_FILE).as(FILE));
      long badCount = CsvHeaders.translated(() -> bad.count(), pipeline, s);
      Column[] declared = Arrays.stream(s.schema().fieldNames()).map(SqlColumns::col).toArray(Column[]::new);
      Dataset<Row> rows = parsed.where(col(BAD_REASON).isNull().and(keep)).select(declared);
      if (s.format() == Format.JSON) {
        requireFields(s, pipeline, "JSON record", parsed.where(col(BAD_REASON).isNull().and(keep)),
            files -> Arrays.stream(reader(spark, s).json(files).schema().fieldNames()).filter(f -> !f.equals(CORRUPT)).toList());
      }
      return new Batch(rows, bad, badCount, parsed);
    } catch (Exception e) { // Spark's SparkException is checked in Java's eyes but not declared
      parsed.unpersist();
      throw e;
    }
  }

  /** Parquet or Delta, checked against the declared schema when there is one. */
  private static Dataset<Row> typed(SparkSession spark, StorageLayout layout, SourceSpec s, String pipeline) {
    String location = requireExists(spark, layout, s, pipeline);
    Dataset<Row> df = NaiveTimes.asUtc(s.format() == Format.DELTA
        ? spark.read().format("delta").load(location)
        : ParquetTypes.read(spark, location, s, pipeline), s.schema());
    if (s.schema() == null) {
      return df;
    }
    List<String> have = Arrays.asList(df.columns());
    List<String> missing = new ArrayList<>();
    List<String> wrongType = new ArrayList<>();
    for (StructField f : s.schema().fields()) {
      if (!have.contains(f.name())) {
        missing.add(f.name());
      } else if (!df.schema().apply(f.name()).dataType().sameType(f.dataType())) {
        wrongType.add("'" + f.name() + "' is " + df.schema().apply(f.name()).dataType().simpleString()
            + ", declared " + f.dataType().simpleString());
      }
    }
    if (!missing.isEmpty() || !wrongType.isEmpty()) {
      throw Errors.rejected(
          "Pipeline '%s': %s does not have the declared schema: %s (it has %s). Nothing was written. Fix the "
              + "source, or make source.schema of the pipeline file match it.",
          pipeline, s.name() != null ? s.label() + " at " + location : s.label(), mismatch(missing, wrongType),
          df.schema().simpleString());
    }
    return df.select(Arrays.stream(s.schema().fieldNames()).map(SqlColumns::col).toArray(Column[]::new));
  }

  /**
   * A declared field that none of the run's records has reads as NULL in every row, silently (a field renamed
   * upstream in the newer JSON records or Parquet files): when a declared column is null in every record of the run,
   * the files that hold them are asked for their fields, and a declared field none of them has rejects the run, as a
   * CSV header without a declared column does. Explicit nulls are values, and only cost the look at the files.
   */
  private static void requireFields(
      SourceSpec s, String pipeline, String what, Dataset<Row> records, Function<String[], List<String>> fieldsOf) {
    String[] names = s.schema().fieldNames();
    Column[] counts = new Column[names.length + 1];
    for (int i = 0; i < names.length; i++) {
      counts[i] = functions.count(SqlColumns.col(names[i]));
    }
    counts[names.length] = functions.count(lit(1));
    Row n = records.agg(counts[0], Arrays.copyOfRange(counts, 1, counts.length)).first();
    List<String> allNull = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      if (n.getLong(i) == 0) {
        allNull.add(names[i]);
      }
    }
    if (n.getLong(names.length) == 0 || allNull.isEmpty()) {
      return;
    }
    String[] files = records.select(col(BAD_FILE)).distinct().limit(10_000).as(Encoders.STRING())
        .collectAsList().toArray(String[]::new);
    List<String> fields = fieldsOf.apply(files);
    List<String> absent = allNull.stream().filter(c -> !fields.contains(c)).toList();
    if (!absent.isEmpty()) {
      throw Errors.rejected(
          "Pipeline '%s': no %s of %s for this run has the declared %s %s (%s have %s), so %s be NULL in every row. "
              + "Nothing was written. Fix the source, or make source.schema of the pipeline file match it.",
          pipeline, what, s.label(), absent.size() == 1 ? "field" : "fields", String.join(", ", quoted(absent)),
          what.equals("JSON record") ? "its records" : "its files", fields, absent.size() == 1 ? "it would" : "they would");
    }
  }

  /** "it lacks the columns [a, b]; column 'c' is int, declared double": only the parts that have something to say. */
  static String mismatch(List<String> missing, List<String> wrongType) {
    List<String> parts = new ArrayList<>();
    if (!missing.isEmpty()) {
      parts.add((missing.size() == 1 ? "it lacks the column " : "it lacks the columns ") + String.join(", ", quoted(missing)));
    }
    if (!wrongType.isEmpty()) {
      parts.add((wrongType.size() == 1 ? "column " : "columns ") + String.join("; ", wrongType));
    }
    return String.join("; ", parts);
  }

  private static List<String> quoted(List<String> names) {
    return names.stream().map(n -> "'" + n + "'").toList();
  }

  /** A text source as typed columns plus the reason a row cannot be read (null when it can), its text and file. */
  private static Dataset<Row> parse(SparkSession spark, StorageLayout layout, SourceSpec s, String pipeline) {
    String location = requireExists(spark, layout, s, pipeline);
    Dataset<Row> raw = text(spark, s, location, pipeline);
    TimestampParser parser = new TimestampParser(s.timestampFormats());
    UserDefinedFunction timestamps = functions.udf(parser, DataTypes.TimestampType);
    List<Column> out = new ArrayList<>();
    List<Column> problems = new ArrayList<>();
    List<Column> text = new ArrayList<>();
    for (StructField f : s.schema().fields()) {
      Column typed = TextColumns.typed(f.name(), f.dataType(), timestamps);
      out.add(typed.as(f.name()));
      problems.add(TextColumns.problem(f.name(), f.dataType(), typed, parser.describe()));
      text.add(SqlColumns.col(f.name()));
    }
    if (s.dateColumn() != null) {
      problems.add(when(SqlColumns.col(s.dateColumn()).isNull(), lit("date column '" + s.dateColumn() + "' is empty")));
    }
    Column joined = concat_ws("; ", problems.toArray(Column[]::new));
    Column corrupt = col(CORRUPT).isNotNull();
    String malformed = s.format() == Format.CSV
        ? "malformed CSV record (a missing or extra field, or an unclosed quote)"
        : "malformed JSON record";
    out.add(when(corrupt, lit(malformed)).when(joined.notEqual(""), joined).as(BAD_REASON));
    out.add(when(corrupt, col(CORRUPT)).otherwise(to_json(struct(text.toArray(Column[]::new)))).as(BAD_RECORD));
    out.add(input_file_name().as(BAD_FILE));
    return raw.select(out.toArray(Column[]::new));
  }

  /** The text source with every declared column as a string, plus Spark's corrupt-record column. */
  private static Dataset<Row> text(SparkSession spark, SourceSpec s, String location, String pipeline) {
    StructType declared = s.schema();
    if (s.format() == Format.JSON) {
      return reader(spark, s).schema(strings(declared)).json(location);
    }
    boolean header = s.options().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase("header"))
        .noneMatch(e -> e.getValue().equalsIgnoreCase("false"));
    if (!header) {
      return reader(spark, s).schema(strings(declared)).csv(location);
    }
    StructType fileColumns;
    try {
      fileColumns = reader(spark, s).option("header", "true").csv(location).schema();
    } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes but not declared
      if (!(e instanceof AnalysisException)) {
        throw e;
      }
      throw Errors.rejected("Pipeline '%s': cannot read the header of %s at %s: %s", pipeline, s.label(), location, e.getMessage());
    }
    List<String> names = Arrays.asList(fileColumns.fieldNames());
    List<String> missing = Arrays.stream(declared.fieldNames()).filter(c -> !names.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw Errors.rejected(
          "Pipeline '%s': %s at %s lacks the declared columns %s; its header has %s. Nothing was written. Fix the source or "
              + "the pipeline's source.schema.",
          pipeline, s.label(), location, missing, names);
    }
    // the file's own columns in the file's order, so that every field lands in its column; Spark checks that every
    // other file has the same header (enforceSchema false), and CsvHeaders turns its error into a rejection
    return reader(spark, s).option("header", "true").option("enforceSchema", "false").schema(strings(fileColumns)).csv(location);
  }

  private static StructType strings(StructType schema) {
    StructType out = new StructType();
    for (StructField f : schema.fields()) {
      out = out.add(f.name(), DataTypes.StringType, true);
    }
    return out.add(CORRUPT, DataTypes.StringType, true);
  }

  private static DataFrameReader reader(SparkSession spark, SourceSpec s) {
    DataFrameReader r = spark.read();
    for (var e : s.options().entrySet()) {
      r = r.option(e.getKey(), e.getValue());
    }
    r = r.option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT);
    // without pruning: Spark's CSV parser checks the field count of a line only over the columns it reads
    return s.format() == Format.CSV ? r.option("columnPruning", "false") : r;
  }

  private static String requireExists(SparkSession spark, StorageLayout layout, SourceSpec s, String pipeline) {
    String location = s.location(layout);
    boolean glob = location.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
    if (!glob && !LakeFiles.of(spark).exists(location)) {
      throw Errors.notFound(
          "Pipeline '%s': %s not found at %s. %s", pipeline, s.label(), location,
          s.name() != null
              ? "Write the raw data there first; for the demo's sources, generate them (lakeline generate --date <day>) or run lakeline demo."
              : "Check source.path in the pipeline file.");
    }
    return location;
  }

  /** Rows the steps see: up to the date, the date plus its lookback, or all. */
  static Column inRead(SourceSpec s, Column d, StructType schema, LocalDate date) {
    if (s.rows() == Rows.ON_DATE) {
      Duration lookback = s.lookback() == null ? Duration.ZERO : s.lookback();
      return from(d, type(schema, s), date, lookback).and(to(d, type(schema, s), date));
    }
    return s.rows() == Rows.UP_TO_DATE ? to(d, type(schema, s), date) : lit(true);
  }

  /** Rows that belong to the date's batch: up to the date, or on it. */
  static Column inBatch(SourceSpec s, Column d, StructType schema, LocalDate date) {
    if (s.rows() == Rows.ON_DATE) {
      return from(d, type(schema, s), date, Duration.ZERO).and(to(d, type(schema, s), date));
    }
    return s.rows() == Rows.UP_TO_DATE ? to(d, type(schema, s), date) : lit(true);
  }

  /** Values on {@code date} (a date, or a timestamp within the UTC day). */
  static Column onDate(Column c, DataType type, LocalDate date) {
    return from(c, type, date, Duration.ZERO).and(to(c, type, date));
  }

  private static DataType type(StructType schema, SourceSpec s) {
    return schema.apply(s.dateColumn()).dataType();
  }

  private static Column to(Column d, DataType type, LocalDate date) {
    return type instanceof DateType ? d.leq(lit(date)) : d.lt(lit(startOf(date.plusDays(1))));
  }

  private static Column from(Column d, DataType type, LocalDate date, Duration lookback) {
    if (type instanceof DateType) {
      long days = (lookback.getSeconds() + 86_399) / 86_400;
      return d.geq(lit(date.minusDays(days)));
    }
    return d.geq(lit(startOf(date).minus(lookback)));
  }

  private static Instant startOf(LocalDate date) {
    return date.atStartOfDay().toInstant(ZoneOffset.UTC);
  }
}
