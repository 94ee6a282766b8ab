package dev.lakeline.testkit;

import dev.lakeline.core.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
              "spark.databricks.delta.checkpointInterval", "100"));
      session = SparkSessions.build("local[2]", "lakeline-tests", settings);
      session.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
    }
    return session;
  }
}
