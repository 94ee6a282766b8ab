package dev.lakeline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged job jars through Spark's own {@code spark-submit} ({@code org.apache.spark.deploy.SparkSubmit})
 * in local mode, each in a fresh JVM whose classpath is Spark's alone: the job jar is the only application jar,
 * so a class or service file missing from the jar fails here, as it would on a cluster.
 */
class SparkSubmitIT {
  private static final String MAIN = "dev.lakeline.jobs.cli.LakelineCli";

  record Run(int exitCode, String out, String err) {}

  private static Run sparkSubmit(Path workDir, List<String> submitOptions, String jar, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.asList(Files.readString(Path.of(System.getProperty("lakeline.jvm.args"))).trim().split("\\s+")));
    cmd.add("-Duser.timezone=UTC");
    cmd.add("-Dlog4j2.configurationFile=" + Path.of("..", "conf", "log4j2-local.properties").toAbsolutePath().normalize());
    cmd.add("-cp");
    cmd.add(Files.readString(Path.of(System.getProperty("lakeline.spark.classpath"))).trim());
    cmd.add("org.apache.spark.deploy.SparkSubmit");
    cmd.addAll(List.of("--master", "local[2]", "--class", MAIN, "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=4"));
    cmd.addAll(submitOptions);
    cmd.add(jar);
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().remove("SPARK_HOME");
    File out = workDir.resolve("stdout.txt").toFile();
    File err = workDir.resolve("stderr.txt").toFile();
    pb.redirectOutput(out).redirectError(err);
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("spark-submit did not finish in 10 minutes");
    }
    return new Run(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8), Files.readString(err.toPath(), StandardCharsets.UTF_8));
  }

  private static void assertTable(Path lakehouse, String relative) {
    assertTrue(Files.isDirectory(lakehouse.resolve(relative).resolve("_delta_log")), relative + " should be a Delta table");
  }

  @Test
  void theBundledJarRunsTheWholeLoopUnderSparkSubmit(@TempDir Path dir) throws Exception {
    Path lakehouse = dir.resolve("lakehouse");
    Run r = sparkSubmit(dir, List.of(), System.getProperty("lakeline.jar.bundled"),
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

    Run missing = sparkSubmit(dir, List.of(), System.getProperty("lakeline.jar.bundled"),
        "infer", "--date", "2024-06-30", "--lakehouse", dir.resolve("empty").toString());
    assertEquals(4, missing.exitCode(), "not found: " + missing.err());
    assertTrue(missing.err().contains("error: "), missing.err());
    assertFalse(missing.err().contains("\tat dev.lakeline"), "a user error prints no stack trace:\n" + missing.err());
  }

  @Test
  void theThinJarRunsWhereThePlatformProvidesDelta(@TempDir Path dir) throws Exception {
    String deltaJars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> p.matches(".*/delta-(spark|storage)[^/]*\\.jar"))
        .collect(Collectors.joining(","));
    assertEquals(2, deltaJars.split(",").length, "delta-spark and delta-storage on the test classpath: " + deltaJars);
    Path lakehouse = dir.resolve("lakehouse");
    Run r = sparkSubmit(dir, List.of("--jars", deltaJars), System.getProperty("lakeline.jar.thin"),
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
