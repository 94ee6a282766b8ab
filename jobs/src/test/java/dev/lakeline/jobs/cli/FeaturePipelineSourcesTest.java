package dev.lakeline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.testkit.BrokenFiles;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The other source formats: JSON lines (with bad records) and a Delta table (with a schema contract). */
@SparkTest
class FeaturePipelineSourcesTest {
  private static final String GROUP = """
      feature_groups:
        - name: txns
          primary_key: [txn_id]
          event_time: txn_ts
          columns: [txn_id, card_id, txn_ts, amount]
      """;

  @Test
  void jsonLinesAreReadWithTheirDeclaredTypesAndBadRecordsAreKept(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path json = fx.write("txns.json", """
        {"txn_id": "j1", "card_id": "c1", "txn_ts": "2024-06-01T10:00:00Z", "amount": 1.5}
        {"txn_id": "j2", "card_id": "c1", "txn_ts": "2024-06-01T11:00:00Z", "amount": "lots"}
        {"txn_id": "j3", "card_id":
        {"txn_id": "j4", "card_id": "c2", "txn_ts": "2024-06-01T12:00:00+02:00", "amount": 2}
        {"txn_id": "j5", "card_id": "c2", "txn_ts": "2024-06-02T09:00:00Z", "amount": 3}
        """);
    Path file = fx.write("txns.yaml", """
        name: txns
        source:
          path: %s
          format: json
          schema: {txn_id: string, card_id: string, txn_ts: timestamp, amount: double}
          date_column: txn_ts
          rows: on_date
          bad_rows: report
        """.formatted(json) + GROUP);
    Cli r = fx.features(file, "--date", "2024-06-01");
    assertEquals(0, r.exitCode(), r.err() + r.out());
    assertTrue(r.out().contains("txns 2024-06-01: 2 rows could not be read"), r.out());
    List<Row> rows = spark.read().format("delta").load(fx.group("txns")).orderBy("txn_id").collectAsList();
    assertEquals(List.of(
            RowFactory.create("j1", "c1", Timestamp.from(Instant.parse("2024-06-01T10:00:00Z")), 1.5),
            RowFactory.create("j4", "c2", Timestamp.from(Instant.parse("2024-06-01T10:00:00Z")), 2.0)),
        rows, "j5 belongs to 2024-06-02");
    List<String> reasons = spark.read().format("delta").load(lh.layout().system("bad_rows") + "/txns")
        .orderBy("reason").select("reason").as(Encoders.STRING()).collectAsList();
    assertEquals(List.of("column 'amount': 'lots' is not a double", "malformed JSON record"), reasons);
  }

  @Test
  void aJsonSourceWhoseRecordsLackADeclaredFieldIsRejectedRatherThanReadAsNulls(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    // 'amount' renamed upstream to 'amt': read with the declared schema, every amount would be a silent NULL
    Path json = fx.write("txns.json", """
        {"txn_id": "j1", "card_id": "c1", "txn_ts": "2024-06-01T10:00:00Z", "amt": 1.5}
        {"txn_id": "j2", "card_id": "c2", "txn_ts": "2024-06-01T11:00:00Z", "amt": 2}
        {"txn_id": "j3", "card_id": null, "txn_ts": "2024-06-01T12:00:00Z", "amt": 3}
        """);
    String source = """
        name: txns
        source:
          path: %s
          format: json
          schema: {txn_id: string, card_id: string, txn_ts: timestamp, amount: double}
          date_column: txn_ts
          rows: on_date
        """.formatted(json);
    Cli r = fx.features(fx.write("txns.yaml", source + GROUP), "--date", "2024-06-01");
    assertEquals(ExitCode.DATA_REJECTED.code(), r.exitCode(), r.err() + r.out());
    assertTrue(r.err().contains("Pipeline 'txns': no JSON record of source " + json + " for this run has the declared field "
        + "'amount' (its records have [amt, card_id, txn_id, txn_ts]), so it would be NULL in every row. Nothing was written."),
        r.err());
    assertFalse(r.hasStackTrace(), r.err());
    assertFalse(DeltaCommits.exists(spark, fx.group("txns")), "nothing was written");

    // a field that is there with explicit nulls in every record is a value: the run goes on
    fx.write("txns.json", """
        {"txn_id": "j1", "card_id": "c1", "txn_ts": "2024-06-01T10:00:00Z", "amount": null}
        """);
    Cli nulls = fx.features(fx.write("txns.yaml", source + GROUP), "--date", "2024-06-01");
    assertEquals(0, nulls.exitCode(), nulls.err() + nulls.out());
  }

  /**
   * Parquet written by pandas from naive datetimes holds wall-clock times without a zone, which Spark 3.5 reads as
   * TIMESTAMP_NTZ: they are read as UTC, whatever the session's zone, with or without a declared schema.
   */
  @Test
  void naiveTimestampsAsPandasWritesThemAreReadAsUtc(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    String folder = dir.resolve("naive").toString();
    spark.sql("SELECT * FROM VALUES ('n1', 'c1', TIMESTAMP_NTZ'2024-06-01 23:30:00.123456', 1.5D), "
            + "('n2', 'c1', TIMESTAMP_NTZ'2024-06-02 00:30:00', 2.5D) AS t(txn_id, card_id, txn_ts, amount)")
        .coalesce(1).write().parquet(folder);
    assertEquals("timestamp_ntz", spark.read().parquet(folder).schema().apply("txn_ts").dataType().simpleString());
    String inferred = """
        name: txns
        source:
          path: %s
          format: parquet
          date_column: txn_ts
          rows: on_date
        """.formatted(folder);
    Cli r = dev.lakeline.testkit.TestSpark.inZone(spark, "America/New_York",
        () -> fx.features(fx.write("txns.yaml", inferred + GROUP), "--date", "2024-06-01"));
    assertEquals(0, r.exitCode(), r.err() + r.out());
    List<Row> rows = spark.read().format("delta").load(fx.group("txns")).select("txn_id", "txn_ts").collectAsList();
    assertEquals(List.of(RowFactory.create("n1", Timestamp.from(Instant.parse("2024-06-01T23:30:00.123456Z")))), rows,
        "the wall-clock time in UTC; 00:30 on the next day belongs to 2024-06-02");

    Cli declared = fx.features(fx.write("txns.yaml", inferred.replace("format: parquet",
        "format: parquet\n  schema: {txn_id: string, card_id: string, txn_ts: timestamp, amount: double}") + GROUP),
        "--date", "2024-06-02");
    assertEquals(0, declared.exitCode(), declared.err() + declared.out());
    assertEquals(1, spark.read().format("delta").load(fx.group("txns"))
        .where("txn_id = 'n2' AND txn_ts = TIMESTAMP'2024-06-02 00:30:00Z'").count());
  }

  @Test
  void parquetFilesWithoutADeclaredColumnAreRejectedRatherThanReadAsNulls(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    String folder = dir.resolve("txns_parquet").toString();
    spark.sql("SELECT 'p1' AS txn_id, 'c1' AS card_id, TIMESTAMP'2024-06-01 10:00:00' AS txn_ts, CAST(1.5 AS DOUBLE) AS amount")
        .coalesce(1).write().parquet(folder);
    // from 2024-06-02 the export calls it 'amt': merged with the older files, 'amount' would be NULL in the new rows
    spark.sql("SELECT 'p2' AS txn_id, 'c1' AS card_id, TIMESTAMP'2024-06-02 11:00:00' AS txn_ts, CAST(2.5 AS DOUBLE) AS amt")
        .coalesce(1).write().mode("append").parquet(folder);
    Path file = fx.write("txns.yaml", """
        name: txns
        source:
          path: %s
          format: parquet
          schema: {txn_id: string, card_id: string, txn_ts: timestamp, amount: double}
          date_column: txn_ts
          rows: on_date
        """.formatted(folder) + GROUP);
    Cli old = fx.features(file, "--date", "2024-06-01");
    assertEquals(0, old.exitCode(), old.err() + old.out());
    Cli renamed = fx.features(file, "--date", "2024-06-02");
    assertEquals(ExitCode.DATA_REJECTED.code(), renamed.exitCode(), renamed.err() + renamed.out());
    assertTrue(renamed.err().contains("Pipeline 'txns': no Parquet file of source " + folder + " for this run has the declared "
        + "field 'amount' (its files have [txn_id, card_id, txn_ts, amt]), so it would be NULL in every row. Nothing was written."),
        renamed.err());
    assertEquals(1, spark.read().format("delta").load(fx.group("txns")).count(), "only the first date's row");
  }

  @Test
  void parquetFilesThatDisagreeOnAColumnsTypeAreRejectedNamingTheColumnTheTypesAndTheFiles(
      SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    String folder = dir.resolve("txns_parquet").toString();
    spark.sql("SELECT 'p1' AS txn_id, 'c1' AS card_id, TIMESTAMP'2024-06-01 10:00:00' AS txn_ts, CAST(1.5 AS DOUBLE) AS amount")
        .coalesce(1).write().parquet(folder);
    spark.sql("SELECT 'p2' AS txn_id, 'c1' AS card_id, TIMESTAMP'2024-06-01 11:00:00' AS txn_ts, CAST(2 AS INT) AS amount")
        .coalesce(1).write().mode("append").parquet(folder);
    String source = """
        name: txns
        source:
          path: %s
          format: parquet
          date_column: txn_ts
        """.formatted(folder);
    for (String declared : List.of("", "\n  schema: {txn_id: string, card_id: string, txn_ts: timestamp, amount: double}")) {
      Cli r = fx.features(fx.write("txns.yaml", source.replace("format: parquet", "format: parquet" + declared) + GROUP),
          "--date", "2024-06-01");
      assertEquals(ExitCode.DATA_REJECTED.code(), r.exitCode(), r.err() + r.out());
      assertTrue(r.err().contains("Pipeline 'txns': the Parquet files of source " + folder + " do not agree on the type of column "
          + "'amount': "), r.err());
      assertTrue(r.err().matches("(?s).*part-\\S+\\.parquet has (double|int), \\S+part-\\S+\\.parquet has (double|int).*"), r.err());
      assertTrue(r.err().contains("has double") && r.err().contains("has int"), r.err());
      assertTrue(declared.isEmpty() || r.err().contains("(source.schema declares double)"), r.err());
      assertTrue(r.err().contains("Nothing was written. Rewrite the odd files with the column's type"), r.err());
      assertFalse(r.err().contains("key contract") || r.hasStackTrace(), r.err());
      assertFalse(DeltaCommits.exists(spark, fx.group("txns")), "nothing was written");
    }
  }

  @Test
  void parquetFilesThatCannotBeReadAreRejectedNamingTheFileAndNothingIsWritten(
      SparkSession spark, TestLakehouse lh, @TempDir Path dir) throws Exception {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path folder = dir.resolve("txns_parquet");
    spark.sql("SELECT 'p1' AS txn_id, 'c1' AS card_id, TIMESTAMP'2024-06-01 10:00:00' AS txn_ts, CAST(1.5 AS DOUBLE) AS amount")
        .coalesce(1).write().parquet(folder.toString());
    String source = """
        name: txns
        source:
          path: %s
          format: parquet
          date_column: txn_ts
        """.formatted(folder);
    Path pipeline = fx.write("txns.yaml", source + GROUP);

    // an empty file, as a writer that stopped before its first byte leaves; Spark finds it reading the footers
    Path empty = java.nio.file.Files.createFile(folder.resolve("part-00001-empty.parquet"));
    Cli r = fx.features(pipeline, "--date", "2024-06-01");
    assertEquals(ExitCode.DATA_REJECTED.code(), r.exitCode(), r.err() + r.out());
    assertTrue(r.err().contains("The file ") && r.err().contains("part-00001-empty.parquet cannot be read: ")
        && r.err().contains("is not a Parquet file"), r.err());
    assertTrue(r.err().contains("Nothing was written. If the file is empty, truncated or corrupt"), r.err());
    assertFalse(r.hasStackTrace() || r.err().contains("internal error"), r.err());
    assertFalse(DeltaCommits.exists(spark, fx.group("txns")), "nothing was written");
    java.nio.file.Files.delete(empty);

    // a file whose data pages are garbage (footer intact): found by the task that reads it, in the gate's own pass
    Path good = BrokenFiles.corruptParquetDataPages(folder);
    Cli corrupt = fx.features(pipeline, "--date", "2024-06-01");
    assertEquals(ExitCode.DATA_REJECTED.code(), corrupt.exitCode(), corrupt.err() + corrupt.out());
    assertTrue(corrupt.err().contains(good.getFileName() + " cannot be read: "), corrupt.err());
    assertFalse(corrupt.hasStackTrace() || corrupt.err().contains("key contract"), corrupt.err());
    assertFalse(DeltaCommits.exists(spark, fx.group("txns")), "nothing was written");
  }

  @Test
  void aDeltaSourceIsReadAsItIsAndHeldToItsDeclaredSchema(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    String table = dir.resolve("txns_delta").toString();
    spark.createDataFrame(
            List.of(
                RowFactory.create("d1", "c1", Timestamp.from(Instant.parse("2024-06-01T10:00:00Z")), 1.0),
                RowFactory.create("d2", "c1", Timestamp.from(Instant.parse("2024-06-03T10:00:00Z")), 2.0)),
            StructType.fromDDL("txn_id string, card_id string, txn_ts timestamp, amount double"))
        .write().format("delta").save(table);
    String source = """
        name: txns
        source:
          path: %s
          format: delta
          date_column: txn_ts
        """.formatted(table);
    Cli r = fx.features(fx.write("txns.yaml", source + GROUP), "--date", "2024-06-02");
    assertEquals(0, r.exitCode(), r.err() + r.out());
    assertEquals(1, spark.read().format("delta").load(fx.group("txns")).count(), "rows up to the date only");

    Path contract = fx.write("contract.yaml", source.replace("format: delta", "format: delta\n  schema: {txn_id: string, card_id: string, txn_ts: timestamp, amount: int}") + GROUP);
    Cli mismatch = fx.features(contract, "--date", "2024-06-02");
    assertEquals(ExitCode.DATA_REJECTED.code(), mismatch.exitCode(), mismatch.err() + mismatch.out());
    // one line with only what differs, no empty lists ("missing columns []"), and what to change
    assertTrue(mismatch.err().contains("source " + table + " does not have the declared schema: column 'amount' is double, "
        + "declared int (it has struct<"), mismatch.err());
    assertTrue(mismatch.err().contains("Fix the source, or make source.schema of the pipeline file match it."), mismatch.err());
    assertFalse(mismatch.err().contains("[]") || mismatch.err().contains("lacks") || mismatch.hasStackTrace(), mismatch.err());

    Path lacking = fx.write("lacking.yaml", source.replace("format: delta", "format: delta\n  schema: {txn_id: string, card_id: string, txn_ts: timestamp, amount: double, fee: double}") + GROUP);
    Cli missing = fx.features(lacking, "--date", "2024-06-02");
    assertEquals(ExitCode.DATA_REJECTED.code(), missing.exitCode(), missing.err() + missing.out());
    assertTrue(missing.err().contains("does not have the declared schema: it lacks the column 'fee' (it has struct<"), missing.err());
    assertFalse(missing.err().contains("[]") || missing.err().contains("declared double"), missing.err());
  }
}
