package dev.lakeline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged job jars through Spark's own {@code spark-submit} ({@code org.apache.spark.deploy.SparkSubmit})
 * in local mode, each in a fresh JVM whose classpath is Spark's alone: the job jar is the only application jar,
 * so a class or service file missing from the jar fails here, as it would on a cluster.
 */
class SparkSubmitIT {
  private static SparkSubmitProcess.Run sparkSubmit(Path workDir, List<String> submitOptions, String jar, String... args)
      throws Exception {
    return SparkSubmitProcess.run(workDir, List.of(), null, submitOptions, jar, args);
  }

  private static void assertTable(Path lakehouse, String relative) {
    assertTrue(Files.isDirectory(lakehouse.resolve(relative).resolve("_delta_log")), relative + " should be a Delta table");
  }

  @Test
  void theBundledJarRunsTheWholeLoopUnderSparkSubmit(@TempDir Path dir) throws Exception {
    Path lakehouse = dir.resolve("lakehouse");
    SparkSubmitProcess.Run r = sparkSubmit(dir, List.of(), System.getProperty("lakeline.jar.bundled"),
        "demo", "--scale", "0.05", "--lakehouse", lakehouse.toString());
    assertEquals(0, r.exitCode(), r.err() + r.out());
    assertTrue(r.out().contains("spark-submit (local[2])"), "the job must take spark-submit's session:\n" + r.out());
    assertTrue(r.out().contains("time zone UTC"), "jobs run in UTC:\n" + r.out());
    assertTrue(r.out().contains("demo summary"), r.out());
    assertTable(lakehouse, "feature_groups/loans/v1");
    assertTable(lakehouse, "feature_groups/credit_reports/v1");
    assertTable(lakehouse, "feature_groups/card_spend/v1");
    assertTable(lakehouse, "training_datasets/loan_default/v1/td1/data");
    assertTable(lakehouse, "predictions/loan_default");
    assertTrue(Files.isRegularFile(lakehouse.resolve("models/loan_default/v1/model.json")));

    SparkSubmitProcess.Run missing = sparkSubmit(dir, List.of(), System.getProperty("lakeline.jar.bundled"),
        "infer", "--date", "2024-06-30", "--lakehouse", dir.resolve("empty").toString());
    assertEquals(4, missing.exitCode(), "not found: " + missing.err());
    assertTrue(missing.err().contains("error: "), missing.err());
    assertFalse(missing.err().contains("\tat dev.lakeline"), "a user error prints no stack trace:\n" + missing.err());

    // a value that does not parse fails a Spark task: the executor's and the scheduler's logs of it stay out of the
    // console, and the one line that names the input is all there is
    Path def = dir.resolve("transactions.yaml");
    Files.writeString(def, "name: transactions\nversion: 1\nprimary_key: [txn_id]\nevent_time: txn_ts\n"
        + "schema:\n  txn_id: string\n  txn_ts: timestamp\n  amount: double\n");
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "txn_id,txn_ts,amount\nt1,2024-07-01 10:00:00,1.5\nt2,2024-07-01 11:00:00,not_a_number\n");
    String jar = System.getProperty("lakeline.jar.bundled");
    assertEquals(0, sparkSubmit(dir, List.of(), jar, "fg", "create", "--file", def.toString(), "--lakehouse", lakehouse.toString())
        .exitCode());
    SparkSubmitProcess.Run rejected = sparkSubmit(dir, List.of(), jar, "fg", "insert", "transactions", "--input", bad.toString(),
        "--format", "csv", "--date", "2024-07-01", "--lakehouse", lakehouse.toString());
    assertEquals(3, rejected.exitCode(), rejected.err());
    List<String> lines = rejected.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "one line:\n" + rejected.err());
    assertTrue(lines.get(0).startsWith("error: The input " + bad + " cannot be read as csv"), rejected.err());
  }

  @Test
  void theThinJarRunsWhereThePlatformProvidesDelta(@TempDir Path dir) throws Exception {
    String deltaJars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> p.matches(".*/delta-(spark|storage)[^/]*\\.jar"))
        .collect(Collectors.joining(","));
    assertEquals(2, deltaJars.split(",").length, "delta-spark and delta-storage on the test classpath: " + deltaJars);
    Path lakehouse = dir.resolve("lakehouse");
    SparkSubmitProcess.Run r = sparkSubmit(dir, List.of("--jars", deltaJars), System.getProperty("lakeline.jar.thin"),
        "demo", "--scale", "0.03", "--lakehouse", lakehouse.toString());
    assertEquals(0, r.exitCode(), r.err() + r.out());
    assertTable(lakehouse, "predictions/loan_default");
  }

  @Test
  void theThinJarDoesNotBundleDeltaAndTheBundledOneDoes() throws IOException {
    try (var thin = new java.util.zip.ZipFile(System.getProperty("lakeline.jar.thin"));
        var bundled = new java.util.zip.ZipFile(System.getProperty("lakeline.jar.bundled"))) {
      String deltaClass = "io/delta/tables/DeltaTable.class";
      assertEquals(null, thin.getEntry(deltaClass));
      assertTrue(bundled.getEntry(deltaClass) != null);
      for (var jar : List.of(thin, bundled)) {
        assertEquals(null, jar.getEntry("org/apache/spark/SparkContext.class"), "Spark is provided");
        assertEquals(null, jar.getEntry("scala/Option.class"), "Scala is provided");
        assertTrue(jar.getEntry("com/amazon/deequ/VerificationSuite.class") != null, "Deequ is bundled");
        assertTrue(jar.getEntry("lakeline-conf/lakeline.yaml") != null, "the default configuration is bundled");
      }
    }
  }
}
