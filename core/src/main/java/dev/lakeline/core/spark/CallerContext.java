package dev.lakeline.core.spark;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * What a Spark job started on a background thread should carry from the thread that asked for it: the caller's job
 * group (so cancelling the caller's work, a notebook cell say, cancels it too, and the UI shows it there), job
 * description, tags, scheduler pool, and the active session. Spark's thread-local properties are inherited only when
 * a thread is created, so a pooled thread would otherwise keep those of whichever caller created it.
 */
public final class CallerContext {
  /** The local properties a job is grouped, described, tagged and scheduled by (Spark's own keys). */
  private static final List<String> KEYS = List.of(
      "spark.jobGroup.id", "spark.job.description", "spark.job.interruptOnCancel", "spark.job.tags",
      "spark.scheduler.pool");

  private final SparkSession spark;
  private final Map<String, String> properties;

  private CallerContext(SparkSession spark, Map<String, String> properties) {
    this.spark = spark;
    this.properties = properties;
  }

  /** The calling thread's context, to hand to background work with {@link #wrap}. */
  public static CallerContext capture(SparkSession spark) {
    SparkContext sc = spark.sparkContext();
    Map<String, String> properties = new HashMap<>();
    for (String key : KEYS) {
      properties.put(key, sc.getLocalProperty(key)); // null where the caller has none: cleared in the worker
    }
    return new CallerContext(spark, properties);
  }

  /** {@code work} run under this context (and the worker's own properties restored afterwards). */
  public <T> Supplier<T> wrap(Supplier<T> work) {
    return () -> {
      SparkContext sc = spark.sparkContext();
      Map<String, String> before = new HashMap<>();
      properties.forEach((k, v) -> {
        before.put(k, sc.getLocalProperty(k));
        sc.setLocalProperty(k, v);
      });
      SparkSession.setActiveSession(spark);
      try {
        return work.get();
      } finally {
        before.forEach(sc::setLocalProperty);
        SparkSession.clearActiveSession();
      }
    };
  }

  /** As {@link #wrap(Supplier)}, for work without a result. */
  public Runnable wrap(Runnable work) {
    Supplier<Void> wrapped = wrap(() -> {
      work.run();
      return null;
    });
    return wrapped::get;
  }
}
