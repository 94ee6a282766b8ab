package dev.lakeline.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Versions of Lakeline and of the stack it runs on, as found at run time (for `version` and lineage). */
public final class Versions {
  private static final Properties BUILD = load("dev/lakeline/core/lakeline.properties");

  private Versions() {}

  public static String lakeline() {
    return BUILD.getProperty("version", "unknown");
  }

  /**
   * The commit Lakeline was built from: its first 12 hex digits, with {@code -dirty} when the working tree had
   * changes; {@code unknown} for a build outside a Git clone.
   */
  public static String commit() {
    String commit = BUILD.getProperty("commit", "");
    if (commit.isBlank() || commit.startsWith("${")) {
      return "unknown";
    }
    return "true".equals(BUILD.getProperty("dirty")) ? commit + "-dirty" : commit;
  }

  /** The Spark version running this JVM. */
  public static String spark() {
    return scalaPackageVersion("org.apache.spark.package", "SPARK_VERSION");
  }

  /** The Delta version on the classpath (bundled, or provided by the platform). */
  public static String delta() {
    return scalaPackageVersion("io.delta.package", "VERSION");
  }

  /** The Deequ version on the classpath. */
  public static String deequ() {
    Properties p = load("META-INF/maven/com.amazon.deequ/deequ/pom.properties");
    return p.getProperty("version", "not found");
  }

  public static String java() {
    return System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")";
  }

  /** All of the above, in display order. */
  public static Map<String, String> all() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("Lakeline", lakeline());
    m.put("commit", commit());
    m.put("Spark", spark());
    m.put("Delta Lake", delta());
    m.put("Deequ", deequ());
    m.put("Java", java());
    m.put("Scala", scalaVersion());
    return m;
  }

  /** The versions Lakeline was built against. */
  public static String builtAgainst() {
    return "commit " + commit() + ", Spark " + BUILD.getProperty("spark.version") + ", Delta " + BUILD.getProperty("delta.version")
        + ", Deequ " + BUILD.getProperty("deequ.version");
  }

  private static String scalaVersion() {
    Properties p = load("library.properties");
    return p.getProperty("version.number", "not found");
  }

  private static String scalaPackageVersion(String className, String method) {
    try {
      return String.valueOf(Class.forName(className).getMethod(method).invoke(null));
    } catch (ReflectiveOperationException | LinkageError e) {
      return "not found";
    }
  }

  private static Properties load(String resource) {
    Properties p = new Properties();
    try (InputStream in = Versions.class.getClassLoader().getResourceAsStream(resource)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // an unreadable resource reports as "unknown"
    }
    return p;
  }
}
