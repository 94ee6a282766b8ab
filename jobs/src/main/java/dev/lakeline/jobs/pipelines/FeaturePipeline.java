package dev.lakeline.jobs.pipelines;

import dev.lakeline.core.Errors;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.Spelling;
import dev.lakeline.core.delta.WriteMode;
import dev.lakeline.core.spark.SqlColumns;
import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.featurestore.FeatureGroup;
import dev.lakeline.featurestore.FeatureStore;
import dev.lakeline.featurestore.InsertOptions;
import dev.lakeline.featurestore.InsertResult;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.pipelines.GroupTarget.OutputColumn;
import dev.lakeline.jobs.pipelines.SourceSpec.BadRows;
import dev.lakeline.jobs.pipelines.SourceSpec.Rows;
import dev.lakeline.transformations.Pipeline;
import dev.lakeline.validation.Validator;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.storage.StorageLevel;

/**
 * A feature pipeline, as a pipeline file declares it (docs/feature-pipelines.md): a raw source, the shared
 * transformation steps, and the feature groups it writes through their gates. {@link #run} processes one logical
 * date; its batches are identified by {@code features:<pipeline>:<group>:<date>}, so a rerun is a no-op.
 *
 * <pre>
 * FeaturePipeline p = FeaturePipeline.load("conf/pipelines/loans.yaml");
 * PipelineRun r = p.run(ctx, LocalDate.parse("2024-06-30"));
 * </pre>
 *
 * @param name the pipeline's name
 * @param description free text
 * @param location the file it was loaded from, named in messages
 * @param source where and how the raw rows are read, and which belong to a date
 * @param steps the transformation steps (the {@code transformations} module's), applied in order
 * @param featureGroups the groups written, each with the columns it takes
 */
public record FeaturePipeline(
    String name, String description, String location, SourceSpec source, Pipeline steps, List<GroupTarget> featureGroups) {

  public FeaturePipeline {
    featureGroups = List.copyOf(featureGroups);
  }

  /** Loads a pipeline file: a path, or {@code classpath:lakeline-conf/pipelines/<name>.yaml} for a bundled one. */
  public static FeaturePipeline load(String location) {
    return FeaturePipelineFile.load(location);
  }

  /** The schemas a run produces: the source's, the steps' output, and each group's. */
  public record Schemas(StructType source, StructType features, Map<String, StructType> groups) {}

  /**
   * Checks the whole pipeline against the source's schema without reading rows: the date column, every step's
   * inputs (a column no earlier step produces is an error naming the step), each group's columns, keys and suite.
   * A source without data files (a missing or empty folder, a glob that matches nothing) is "not found", naming the
   * source and its path; Parquet files that disagree on a column's type are rejected, naming the column and files.
   */
  public Schemas validate(SparkSession spark, StorageLayout layout) {
    if (source.schema() != null) {
      features(location, steps, source.schema()); // before any file is touched
    }
    SourceData.require(spark, layout, source, name, location);
    StructType src = SourceReader.schema(spark, layout, source, name);
    if (source.dateColumn() != null) {
      requireColumn(location + ": source.date_column", source.dateColumn(), src);
      requireTime(location + ": source.date_column", source.dateColumn(), src);
    }
    StructType features = features(location, steps, src);
    Dataset<Row> empty = spark.createDataFrame(List.of(), features);
    Map<String, StructType> groups = new LinkedHashMap<>();
    for (int i = 0; i < featureGroups.size(); i++) {
      GroupTarget g = featureGroups.get(i);
      String where = location + ": feature_groups[" + (i + 1) + "] '" + g.spec().name() + "'";
      for (OutputColumn c : g.columns()) {
        if (c.expression() == null) {
          requireColumn(where + ": columns", c.name(), features);
        }
      }
      StructType schema = analyse(where, g, empty);
      for (String key : g.spec().primaryKey()) {
        requireColumn(where + ": primary_key", key, schema);
      }
      if (g.spec().eventTime() != null) {
        requireColumn(where + ": event_time", g.spec().eventTime(), schema);
        if (source.lookback() != null) {
          requireTime(where + ": event_time", g.spec().eventTime(), schema);
        }
      }
      for (String p : g.spec().partitionColumns()) {
        requireColumn(where + ": partition_columns", p, schema);
      }
      try {
        Validator.check(spark, schema, g.spec().suite());
      } catch (LakelineException.ConfigError e) {
        throw Errors.config(e, "%s: suite: %s", where, e.getMessage());
      }
      groups.put(g.spec().name(), schema);
    }
    return new Schemas(src, features, groups);
  }

  /**
   * Runs the pipeline for {@code date}: reads the source's rows for the date, handles the bad rows by the source's
   * policy, applies the steps, and inserts each group's columns through the group's gate (creating the group the
   * first time). With several groups, every batch is checked by its gate before any is committed: a batch the gate
   * rejects stops the run with no group written or created.
   */
  public PipelineRun run(JobContext ctx, LocalDate date) {
    validate(ctx.spark(), ctx.layout());
    return runValidated(ctx, date);
  }

  /** {@link #run} for a pipeline that {@link #validate} has checked. */
  PipelineRun runValidated(JobContext ctx, LocalDate date) {
    SparkSession spark = ctx.spark();
    FeatureStore store = ctx.featureStore();
    try (SourceReader.Batch batch = SourceReader.read(spark, ctx.layout(), source, name, date)) {
      if (batch.badCount() > 0 && source.badRows() == BadRows.REJECT) {
        throw BadRowsTable.rejection(this, ctx.layout(), batch.bad(), batch.badCount(), date);
      }
      refuseAnEmptySnapshot(ctx.layout(), batch.rows(), date);
      String badRowsPath = source.badRows() == BadRows.REPORT && batch.bad() != null
          ? BadRowsTable.write(spark, ctx.layout(), this, batch.bad(), batch.badCount(), date, ctx.commitMetadata())
          : null;
      Dataset<Row> features = steps.apply(batch.rows());
      boolean shared = featureGroups.size() > 1;
      if (shared) {
        features = features.persist(StorageLevel.MEMORY_AND_DISK());
      }
      try {
        List<Dataset<Row>> outs = new ArrayList<>();
        for (GroupTarget g : featureGroups) {
          Dataset<Row> out = g.select(features);
          if (source.lookback() != null) {
            String et = g.spec().eventTime();
            out = out.where(SourceReader.onDate(SqlColumns.col(et), out.schema().apply(et).dataType(), date));
          }
          outs.add(out);
        }
        if (shared) {
          checkAll(store, outs, ctx, date);
        }
        List<PipelineRun.GroupRun> results = new ArrayList<>();
        for (int i = 0; i < featureGroups.size(); i++) {
          GroupTarget g = featureGroups.get(i);
          Dataset<Row> out = outs.get(i);
          FeatureGroup group = store.createFeatureGroup(g.spec(), out.schema());
          InsertResult r = group.insert(out, options(g, ctx, date));
          results.add(new PipelineRun.GroupRun(g.spec().label(), group.path(), r));
        }
        return new PipelineRun(name, date, batch.badCount(), badRowsPath, results);
      } finally {
        if (shared) {
          features.unpersist();
        }
      }
    }
  }

  /**
   * A run that rewrites its groups as of the date ({@code up_to_date} or {@code all} into an {@code overwrite} group)
   * from a source with no rows for it would replace the groups with empty tables: a date before the source's first
   * row (a typo'd year) is refused, with nothing written, rather than emptying the groups. {@code on_date} batches
   * are slices, and an empty day changes nothing else.
   */
  private void refuseAnEmptySnapshot(StorageLayout layout, Dataset<Row> rows, LocalDate date) {
    List<String> overwritten = featureGroups.stream()
        .filter(g -> g.mode() == WriteMode.OVERWRITE)
        .map(g -> g.spec().label())
        .toList();
    if (source.rows() == Rows.ON_DATE || overwritten.isEmpty() || !rows.isEmpty()) {
      return;
    }
    String where = source.name() != null ? source.label() + " at " + source.location(layout) : source.label();
    throw Errors.rejected(
        "Pipeline '%s': %s has no rows %s, so the run would replace %s (mode: overwrite) with an empty table. Nothing "
            + "was written. Check the date%s.",
        name, where,
        source.rows() == Rows.ALL ? "at all" : "dated " + date + " or earlier (source.date_column " + source.dateColumn() + ")",
        String.join(", ", overwritten),
        source.rows() == Rows.ALL ? " and the source" : " (--date, or --from of a backfill: the source's rows start later)");
  }

  /**
   * The groups of a date are written all or none: before the first commit, every group's batch goes through its
   * gate without committing ({@link FeatureStore#check}), and the first that would be rejected stops the run with
   * nothing created or written. A single group needs no such pass: its insert validates before it commits.
   */
  private void checkAll(FeatureStore store, List<Dataset<Row>> outs, JobContext ctx, LocalDate date) {
    for (int i = 0; i < featureGroups.size(); i++) {
      GroupTarget g = featureGroups.get(i);
      try {
        store.check(g.spec(), outs.get(i), options(g, ctx, date));
      } catch (LakelineException.DataRejected e) {
        throw Errors.rejected(
            "Pipeline '%s' writes its %d feature groups for %s all or none, and the batch of %s (feature_groups[%d] of %s) "
                + "was rejected: no group was written.%n%s",
            name, featureGroups.size(), date, g.spec().label(), i + 1, location, e.getMessage());
      }
    }
  }

  private InsertOptions options(GroupTarget g, JobContext ctx, LocalDate date) {
    return new InsertOptions(batchId(g, date), ctx.runId(), g.mode(), null, date.toString());
  }

  /** The batch id of a group's batch for a date: {@code features:<pipeline>:<group>:<date>}. */
  public String batchId(GroupTarget group, LocalDate date) {
    return "features:" + name + ":" + group.spec().name() + ":" + date;
  }

  /** Where the rows that could not be read are kept ({@code bad_rows: report}). */
  public String badRowsPath(StorageLayout layout) {
    return BadRowsTable.path(layout, name);
  }

  /** Whether a run for a date selects rows by date (so that a backfill over dates makes sense). */
  public boolean dated() {
    return source.rows() != Rows.ALL;
  }

  /**
   * The schema the steps produce from {@code src}, or a ConfigError naming the pipeline file, the first step that
   * reads a column neither {@code src} nor an earlier step has, and the column.
   */
  static StructType features(String location, Pipeline steps, StructType src) {
    try {
      return steps.validate(src);
    } catch (LakelineException.ConfigError e) {
      throw Errors.config(e, "%s: %s", location, e.getMessage());
    }
  }

  private static StructType analyse(String where, GroupTarget g, Dataset<Row> empty) {
    try {
      return g.select(empty).schema();
    } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes but not declared
      if (!(e instanceof AnalysisException)) {
        throw e;
      }
      String message = e.getMessage();
      int plan = message.indexOf(";\n");
      throw Errors.config(e, "%s: columns %s: %s", where, g.columns(), plan < 0 ? message : message.substring(0, plan));
    }
  }

  static void requireColumn(String where, String column, StructType schema) {
    List<String> names = Arrays.asList(schema.fieldNames());
    if (!names.contains(column)) {
      String close = Spelling.closest(column, names);
      throw Errors.config("%s: '%s' is not a column here.%s Columns available: %s.",
          where, column, close == null ? "" : " Did you mean '" + close + "'?", names);
    }
  }

  private static void requireTime(String where, String column, StructType schema) {
    DataType t = schema.apply(column).dataType();
    if (!(t instanceof DateType) && !(t instanceof TimestampType)) {
      throw Errors.config("%s: '%s' is %s; it must be a date or a timestamp to place rows on dates.", where, column, t.simpleString());
    }
  }
}
