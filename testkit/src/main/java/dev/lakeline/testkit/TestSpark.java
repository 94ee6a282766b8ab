package dev.lakeline.testkit;

import dev.lakeline.core.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of a test JVM: {@code local[2]}, 2 shuffle partitions, UI off, UTC, Delta on. Built on
 * first use through Lakeline's own factory and stopped when the JVM exits.
 */
public final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      Path scratch;
      try {
        scratch = Files.createTempDirectory("lakeline-test-spark");
      } catch (IOException e) {
        throw new IllegalStateException("Cannot create a scratch folder for the test session", e);
      }
      java.util.Map<String, String> settings = new java.util.LinkedHashMap<>(SparkSessions.embeddedDefaults(2));
      settings.putAll(
          Map.of(
              "spark.sql.warehouse.dir", scratch.resolve("warehouse").toString(),
              "spark.driver.extraJavaOptions", "-Dderby.system.home=" + scratch.resolve("derby"),
              "spark.sql.autoBroadcastJoinThreshold", "-1",
              "spark.databricks.delta.checkpointInterval", "100",
              // Tests run tiny queries, each once: compiling Java for each (whole-stage and expression codegen, then
              // the JIT compiling the generated classes) costs more than interpreting a few rows. Measured on 2 cores:
              // a test store of three groups 8.5 -> 6.5 s. The jar's own runs (spark-submit, notebooks, Airflow tests)
              // keep Spark's default, so code generation stays covered.
              "spark.sql.codegen.wholeStage", "false",
              "spark.sql.codegen.factoryMode", "NO_CODEGEN"));
      session = SparkSessions.build("local[2]", "lakeline-tests", settings);
      session.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
    }
    return session;
  }

  /**
   * Runs {@code body} with the session's time zone set to {@code zone} ({@code spark.sql.session.timeZone}), then puts
   * the zone back, also when the body fails: for tests that show a result does not depend on the session's zone.
   */
  public static <T> T inZone(SparkSession spark, String zone, Supplier<T> body) {
    String key = "spark.sql.session.timeZone";
    String before = spark.conf().get(key);
    spark.conf().set(key, zone);
    try {
      return body.get();
    } finally {
      spark.conf().set(key, before);
    }
  }

  /** {@link #inZone(SparkSession, String, Supplier)} for a body that returns nothing. */
  public static void inZone(SparkSession spark, String zone, Runnable body) {
    inZone(spark, zone, () -> {
      body.run();
      return null;
    });
  }
}
