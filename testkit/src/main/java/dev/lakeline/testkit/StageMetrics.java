package dev.lakeline.testkit;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.SparkSession;

/**
 * What Spark's stages did while a piece of test code ran: a task metric summed over the stages that completed, seen
 * through a listener (Spark's listener bus is drained before and after, so no event is missed or counted twice).
 */
public final class StageMetrics {
  private StageMetrics() {}

  /** The result of an action and a metric summed over its stages. */
  public record Counted<T>(T result, long total) {}

  /** {@code metric} (e.g. {@code m -> m.inputMetrics().recordsRead()}) summed over the stages {@code action} ran. */
  public static <T> Counted<T> sum(SparkSession spark, ToLongFunction<TaskMetrics> metric, Supplier<T> action) {
    AtomicLong total = new AtomicLong();
    SparkListener counter = new SparkListener() {
      @Override
      public void onStageCompleted(SparkListenerStageCompleted stage) {
        if (stage.stageInfo().taskMetrics() != null) {
          total.addAndGet(metric.applyAsLong(stage.stageInfo().taskMetrics()));
        }
      }
    };
    drain(spark);
    spark.sparkContext().addSparkListener(counter);
    try {
      T result = action.get();
      drain(spark);
      return new Counted<>(result, total.get());
    } finally {
      spark.sparkContext().removeSparkListener(counter);
    }
  }

  /** The same for an action without a result. */
  public static long sum(SparkSession spark, ToLongFunction<TaskMetrics> metric, Runnable action) {
    return sum(spark, metric, () -> {
      action.run();
      return null;
    }).total();
  }

  /** Waits until Spark's listeners have seen every event so far. */
  private static void drain(SparkSession spark) {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } catch (TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }
}
