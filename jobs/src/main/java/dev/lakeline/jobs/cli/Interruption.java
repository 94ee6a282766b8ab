package dev.lakeline.jobs.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.SparkSession;

/**
 * A job stopped by a signal (Ctrl-C, {@code kill}, a scheduler ending its task) while it runs. Spark's own shutdown hook
 * stops the SparkContext, so the job's Spark work fails with "cancelled because SparkContext was shut down", which used
 * to be printed as an internal error with a stack trace, and the run was never recorded. This hook runs first (ahead of
 * Spark's and Hadoop's hooks): it cancels the running Spark jobs and waits a while for the job's thread to record the
 * run as stopped in the job-runs log (Spark still up) and print one line; then the JVM goes on shutting down. What the
 * job committed before stays committed; a rerun of the same command finishes it. {@code kill -9} runs no hook: such a
 * run is not recorded.
 */
final class Interruption implements AutoCloseable {
  /** How long the hook waits for the job to record itself: within Hadoop's 30 s timeout for a shutdown hook. */
  private static final long WAIT_SECONDS = 25;

  private final SparkSession spark;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final Runnable hook = this::stop;
  private volatile boolean stopped;
  /** Set once the job's thread has its error: from then on its Spark jobs (the run's record) are left to run. */
  private volatile boolean failed;

  private Interruption(SparkSession spark) {
    this.spark = spark;
  }

  /** Watches the run that uses {@code spark} until {@link #close}. */
  static Interruption watch(SparkSession spark) {
    Interruption i = new Interruption(spark);
    ShutdownHookManager.get().addShutdownHook(i.hook, FileSystem.SHUTDOWN_HOOK_PRIORITY + 90);
    return i;
  }

  private void stop() {
    stopped = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    try {
      // again and again: the job's thread may start its next Spark job before it sees the cancelled one fail
      do {
        if (failed) {
          continue;
        }
        try {
          spark.sparkContext().cancelAllJobs();
        } catch (RuntimeException alreadyStopping) {
          return; // the job's thread still ends, with whatever error Spark gives it
        }
      } while (!ended.await(200, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The line a stopped run prints and records as its error. */
  static final String MESSAGE = "The run was stopped by a signal (Ctrl-C, kill, or the scheduler ending its task). What "
      + "it committed before stays committed; rerun the same command to finish it (committed batches are skipped).";

  /** The error of a stopped run, told and recorded already (before the JVM goes on shutting down). */
  static final class Stopped extends RuntimeException {
    Stopped(Throwable cause) {
      super(MESSAGE, cause);
    }
  }

  /**
   * Whether a signal stopped this run (or the JVM is shutting down for one); called with the job's error, after which
   * the hook cancels no more Spark jobs, so that the run can be recorded.
   */
  boolean stopped() {
    failed = true;
    return stopped || shuttingDown();
  }

  /** Whether the JVM is shutting down (a signal, or {@code System.exit} from elsewhere). */
  static boolean shuttingDown() {
    return ShutdownHookManager.get().isShutdownInProgress();
  }

  @Override
  public void close() {
    ended.countDown();
    if (!ShutdownHookManager.get().isShutdownInProgress()) {
      ShutdownHookManager.get().removeShutdownHook(hook);
    }
  }
}
