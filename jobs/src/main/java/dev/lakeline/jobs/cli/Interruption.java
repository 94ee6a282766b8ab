package dev.lakeline.jobs.cli;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.SparkSession;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A job stopped by a signal (Ctrl-C, {@code kill}, a scheduler ending its task) while it runs. Spark's own shutdown hook
 * stops the SparkContext, so the job's Spark work fails with "cancelled because SparkContext was shut down", which used
 * to be printed as an internal error with a stack trace, and the run was never recorded. This hook runs first (ahead of
 * Spark's and Hadoop's hooks): it cancels the running Spark jobs and waits a while for the job's thread to record the
 * run as stopped in the job-runs log (Spark still up) and print one line; then the JVM goes on shutting down. What the
 * job committed before stays committed; a rerun of the same command finishes it. {@code kill -9} runs no hook: such a
 * run is not recorded.
 *
 * <p>While it watches, it also notes which signal came (hang-up, interrupt, terminate) and hands the signal on to the
 * handler that was there before (the JVM's, which exits with 128 + the signal's number), so that the run is recorded
 * with the exit code the process ends with: 130 for Ctrl-C, 143 for {@code kill}.
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
  /** 128 + the number of the signal that came while watching; 0 before one came. */
  private static volatile int signalExitCode;
  private final java.util.Map<Signal, SignalHandler> previous = new java.util.LinkedHashMap<>();

  private Interruption(SparkSession spark) {
    this.spark = spark;
  }

  /** Watches the run that uses {@code spark} until {@link #close}. */
  static Interruption watch(SparkSession spark) {
    Interruption i = new Interruption(spark);
    ShutdownHookManager.get().addShutdownHook(i.hook, FileSystem.SHUTDOWN_HOOK_PRIORITY + 90);
    for (String name : List.of("HUP", "INT", "TERM")) {
      i.note(new Signal(name));
    }
    return i;
  }

  /** Notes {@code signal} when it comes, then hands it on; left alone where the JVM or the OS keeps it (ignored, -Xrs). */
  private void note(Signal signal) {
    try {
      SignalHandler before = Signal.handle(signal, s -> {
        signalExitCode = 128 + s.getNumber();
        SignalHandler handOn = previous.get(signal);
        if (handOn == null || handOn == SignalHandler.SIG_DFL) { // (null: it came before the handler was noted)
          System.exit(128 + s.getNumber()); // what the JVM's own handler does
        } else if (handOn != null && handOn != SignalHandler.SIG_IGN) {
          handOn.handle(s);
        }
      });
      if (before == SignalHandler.SIG_IGN) { // a background process's Ctrl-C, say: it stays ignored
        Signal.handle(signal, before);
      } else {
        previous.put(signal, before);
      }
    } catch (IllegalArgumentException | UnsupportedOperationException notOurs) {
      // the JVM uses it (-Xrs) or the platform has no such signal: nothing to note
    }
  }

  /**
   * The exit code a stopped run is recorded and ends with: 128 + the signal's number when one was noted (130 for
   * Ctrl-C, 143 for {@code kill}), 1 otherwise ({@code System.exit} from elsewhere).
   */
  static int exitCode() {
    int code = signalExitCode;
    return code == 0 ? 1 : code;
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
      previous.forEach(Interruption::restore); // a notebook's or a test's JVM goes on with its own handlers
    }
  }

  private static void restore(Signal signal, SignalHandler handler) {
    try {
      Signal.handle(signal, handler);
    } catch (IllegalArgumentException | UnsupportedOperationException gone) {
      // as in note: nothing to put back
    }
  }
}
