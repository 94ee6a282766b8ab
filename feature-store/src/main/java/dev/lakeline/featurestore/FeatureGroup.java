package dev.lakeline.featurestore;

import dev.lakeline.core.Errors;
import dev.lakeline.core.delta.CommitRequest;
import dev.lakeline.core.delta.CommitResult;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.delta.WriteMode;
import dev.lakeline.validation.Expectation;
import dev.lakeline.validation.ExpectationSuite;
import dev.lakeline.validation.ValidationResult;
import dev.lakeline.validation.Validator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * A feature group: a Delta table with a definition. Every batch passes the gate before it is committed: the
 * schema must match, the primary key must be present and unique (with the event time), and the group's suite
 * must pass; a failing batch is rejected and the table is not touched.
 */
public final class FeatureGroup {
  private final SparkSession spark;
  private final FeatureGroupSpec spec;
  private final String path;
  private final StructType schema;

  FeatureGroup(SparkSession spark, FeatureGroupSpec spec, String path, StructType schema) {
    this.spark = spark;
    this.spec = spec;
    this.path = path;
    this.schema = schema;
  }

  public FeatureGroupSpec spec() {
    return spec;
  }

  public String path() {
    return path;
  }

  public StructType schema() {
    return schema;
  }

  /** The table's latest Delta version. */
  public long deltaVersion() {
    return DeltaCommits.currentVersion(spark, path);
  }

  /** The latest rows. */
  public Dataset<Row> read() {
    return spark.read().format("delta").load(path);
  }

  /** The rows as of a Delta version (time travel). */
  public Dataset<Row> readVersion(long deltaVersion) {
    return spark.read().format("delta").option("versionAsOf", deltaVersion).load(path);
  }

  /** Replaces the group's rows with {@code batch}, through the gate. A rerun of the same batch is a no-op. */
  public InsertResult overwrite(Dataset<Row> batch, String batchId) {
    return insert(batch, WriteMode.OVERWRITE, null, batchId);
  }

  /**
   * Commits {@code batch} through the gate.
   *
   * @param mode how the batch lands
   * @param replaceWhere the slice it replaces, for {@link WriteMode#REPLACE_WHERE}
   * @param batchId the batch's id across retries and reruns ({@code job:group:date})
   */
  public InsertResult insert(Dataset<Row> batch, WriteMode mode, String replaceWhere, String batchId) {
    Dataset<Row> aligned = align(batch);
    Dataset<Row> staged = aligned.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      ValidationResult validation = Validator.validate(staged, gateSuite());
      if (!validation.errors().isEmpty()) {
        throw Errors.rejected(
            "Batch %s for feature group %s was rejected by suite '%s': %d of %d expectations failed. "
                + "Nothing was written.%n%sFix the data (or the suite) and rerun the job.",
            batchId,
            spec.label(),
            spec.suite().name(),
            validation.evaluated() - validation.successful(),
            validation.evaluated(),
            validation.failureSummary());
      }
      CommitResult commit =
          DeltaCommits.commit(
              spark,
              new CommitRequest(path, staged, mode, replaceWhere, batchId).withPartitionColumns(spec.partitionColumns()));
      return new InsertResult(spec.label(), commit.version(), commit.rows(), commit.skipped(), validation);
    } finally {
      staged.unpersist();
    }
  }

  /** The group's suite plus the key contract: key columns never null, key (+ event time) unique. */
  ExpectationSuite gateSuite() {
    List<Expectation> all = new ArrayList<>();
    for (String k : spec.primaryKey()) {
      all.add(Expectation.of("expect_column_values_to_not_be_null", Map.of("column", k)));
    }
    List<String> unique = new ArrayList<>(spec.primaryKey());
    if (spec.eventTime() != null) {
      all.add(Expectation.of("expect_column_values_to_not_be_null", Map.of("column", spec.eventTime())));
      unique.add(spec.eventTime());
    }
    all.add(Expectation.of("expect_compound_columns_to_be_unique", Map.of("column_list", unique)));
    all.addAll(spec.suite().expectations());
    return new ExpectationSuite(spec.suite().name(), all);
  }

  /** The batch with the group's columns in the group's order; a different schema is rejected. */
  private Dataset<Row> align(Dataset<Row> batch) {
    List<String> have = Arrays.asList(batch.columns());
    List<String> missing = new ArrayList<>();
    List<String> wrongType = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (!have.contains(f.name())) {
        missing.add(f.name());
      } else if (!batch.schema().apply(f.name()).dataType().sameType(f.dataType())) {
        wrongType.add(
            f.name() + " is " + batch.schema().apply(f.name()).dataType().simpleString() + ", expected "
                + f.dataType().simpleString());
      }
    }
    List<String> extra = new ArrayList<>(have);
    extra.removeAll(Arrays.asList(schema.fieldNames()));
    if (!missing.isEmpty() || !wrongType.isEmpty() || !extra.isEmpty()) {
      throw Errors.rejected(
          "The batch does not match the schema of feature group %s: missing columns %s, unexpected columns %s, "
              + "wrong types %s. Nothing was written. Change the pipeline's output, or create a new version of the group.",
          spec.label(), missing, extra, wrongType);
    }
    return batch.selectExpr(
        Arrays.stream(schema.fieldNames()).map(n -> "`" + n.replace("`", "``") + "`").toArray(String[]::new));
  }
}
