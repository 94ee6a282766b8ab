package dev.lakeline.core.spark;

import dev.lakeline.core.config.LakelineConfig;
import dev.lakeline.core.config.LakelineKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession factory.
 *
 * <ul>
 *   <li><b>Existing session</b> (Databricks, a notebook, a test): used as it is, never stopped.
 *   <li><b>Under spark-submit</b> (the {@code spark.master} system property is set) or on Databricks/EMR: {@code
 *       getOrCreate()} with Delta's extension and catalog, and the UTC session time zone, added when the submitter
 *       did not set them; never stopped by Lakeline.
 *   <li><b>Embedded default</b>: a local session ({@code spark.master}, default {@code local[2]}) with Delta, UTC
 *       and few shuffle partitions; it lives until the JVM exits.
 * </ul>
 */
public final class SparkSessions {
  public static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  public static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";

  private SparkSessions() {}

  /**
   * How the session was obtained. Lakeline never stops a session: a platform's belongs to the platform, and the
   * embedded one lives until the JVM exits (Spark's shutdown hook stops it), so that several commands in one JVM
   * (a notebook, a test) share it. Stopping and re-creating a session in one JVM breaks Delta's cached logs.
   */
  public record Handle(SparkSession session, boolean owned, String mode) implements AutoCloseable {
    @Override
    public void close() {
      // nothing to release: see the record's comment
    }
  }

  /** Whether this JVM runs on a Databricks cluster. */
  public static boolean onDatabricks() {
    return System.getenv("DATABRICKS_RUNTIME_VERSION") != null;
  }

  /** Whether a platform (spark-submit, Databricks, a notebook) already provides or configures the session. */
  public static boolean platformProvided() {
    return SparkSession.getActiveSession().isDefined()
        || SparkSession.getDefaultSession().isDefined()
        || System.getProperty("spark.master") != null
        || onDatabricks();
  }

  /** Obtains the session for a job, following the rules in the class comment. */
  public static Handle obtain(LakelineConfig config) {
    if (SparkSession.getActiveSession().isDefined()) {
      return new Handle(SparkSession.getActiveSession().get(), false, "existing session");
    }
    if (SparkSession.getDefaultSession().isDefined()) {
      return new Handle(SparkSession.getDefaultSession().get(), false, "existing session");
    }
    if (System.getProperty("spark.master") != null || onDatabricks()) {
      SparkSession.Builder builder = SparkSession.builder().appName(config.get(LakelineKeys.SPARK_APP_NAME));
      Map<String, String> required = new LinkedHashMap<>(deltaSettings());
      required.put("spark.sql.session.timeZone", "UTC");
      required.forEach(
          (k, v) -> {
            if (System.getProperty(k) == null) {
              builder.config(k, v);
            }
          });
      return new Handle(builder.getOrCreate(), false, "spark-submit (" + System.getProperty("spark.master") + ")");
    }
    Map<String, String> settings = new LinkedHashMap<>(embeddedDefaults(config.get(LakelineKeys.SPARK_SHUFFLE_PARTITIONS)));
    settings.putAll(config.get(LakelineKeys.SPARK_CONF));
    SparkSession session = build(config.get(LakelineKeys.SPARK_MASTER), config.get(LakelineKeys.SPARK_APP_NAME), settings);
    return new Handle(session, true, "embedded " + config.get(LakelineKeys.SPARK_MASTER));
  }

  /** Builds (or returns the existing) local session with the given settings. Used by the embedded mode and tests. */
  public static SparkSession build(String master, String appName, Map<String, String> settings) {
    SparkSession.Builder builder = SparkSession.builder().master(master).appName(appName);
    settings.forEach(builder::config);
    return builder.getOrCreate();
  }

  /** The settings that make Delta work in a session that Lakeline creates. */
  public static Map<String, String> deltaSettings() {
    return Map.of("spark.sql.extensions", DELTA_EXTENSION, "spark.sql.catalog.spark_catalog", DELTA_CATALOG);
  }

  /** Delta, UTC, small shuffles, no UI: the embedded default and the test session. */
  public static Map<String, String> embeddedDefaults(int shufflePartitions) {
    Map<String, String> m = new LinkedHashMap<>(deltaSettings());
    m.put("spark.sql.session.timeZone", "UTC");
    m.put("spark.sql.shuffle.partitions", Integer.toString(shufflePartitions));
    m.put("spark.default.parallelism", Integer.toString(shufflePartitions));
    m.put("spark.ui.enabled", "false");
    m.put("spark.ui.showConsoleProgress", "false");
    m.put("spark.driver.host", "127.0.0.1");
    m.put("spark.driver.bindAddress", "127.0.0.1");
    m.put("spark.databricks.delta.snapshotPartitions", "2");
    m.put("spark.sql.adaptive.enabled", "true");
    m.put("spark.sql.debug.maxToStringFields", "500");
    return m;
  }
}
