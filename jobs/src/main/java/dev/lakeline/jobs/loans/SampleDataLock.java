package dev.lakeline.jobs.loans;

import dev.lakeline.core.Errors;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.storage.LakeFiles;
import dev.lakeline.jobs.JobContext;
import java.time.Instant;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;

/**
 * The sample raw data of one lakehouse ({@code <root>/raw/}) held by one run of {@code lakeline generate} or {@code
 * lakeline demo} at a time: the lock file {@code <root>/raw/_lakeline_sample_data.lock}, created exclusively (see
 * {@link LakeFiles#createExclusive}), says which run holds it, and its time stamp since when. A second run finds it
 * and stops with a conflict (exit 5) before it writes anything, instead of overwriting the Parquet files the first
 * one is writing or reading. The lock is removed when the run ends, also when it fails or is stopped (Ctrl-C, {@code kill}:
 * a shutdown hook); a run killed outright ({@code kill -9}, a lost driver) leaves it, and the message says which
 * file to remove.
 */
public final class SampleDataLock implements AutoCloseable {
  private final LakeFiles files;
  private final String path;
  private final String content;
  private final Runnable onExit;

  private SampleDataLock(LakeFiles files, String path, String content) {
    this.files = files;
    this.path = path;
    this.content = content;
    this.onExit = this::release;
    // Ctrl-C or a kill: the shutdown hooks run, the finally blocks do not. Through Hadoop's hook manager, ahead of
    // its hook that closes the file systems (and Spark's)
    ShutdownHookManager.get().addShutdownHook(onExit, FileSystem.SHUTDOWN_HOOK_PRIORITY + 100);
  }

  /** The lock file of the lakehouse {@code ctx} works on. */
  static String path(JobContext ctx) {
    String root = ctx.layout().root();
    return root + (root.endsWith("/") ? "" : "/") + "raw/_lakeline_sample_data.lock";
  }

  /**
   * Takes the lakehouse's sample data for the run of {@code command}; close it when the run ends.
   *
   * @throws LakelineException.Conflict when another run holds it
   */
  public static SampleDataLock acquire(JobContext ctx, String command) {
    LakeFiles files = LakeFiles.of(ctx.spark());
    String path = path(ctx);
    String content = String.format(java.util.Locale.ROOT,
        "run %s of lakeline %s (process %d on %s)%n", ctx.runId(), command, ProcessHandle.current().pid(), host());
    try {
      files.createExclusive(path, content);
    } catch (LakelineException.Conflict held) {
      String holder;
      try { // since when: as the file system stamped the file (jobs never read the clock)
        holder = files.read(path).trim() + ", since " + Instant.ofEpochMilli(files.modified(path));
      } catch (RuntimeException gone) { // released meanwhile: the message still says what to do
        holder = "another run";
      }
      throw Errors.conflict(
          "Another run of lakeline generate or demo is using lakehouse %s: %s. It writes the sample raw data there, "
              + "which this run of lakeline %s would overwrite. Wait for it to finish and rerun; if it is no longer "
              + "running (it was killed), remove the lock file %s and rerun. This run wrote no data.",
          ctx.layout().root(), holder, command, path);
    }
    return new SampleDataLock(files, path, content);
  }

  /** Removes the lock file, if it is still this run's. */
  @Override
  public void close() {
    if (!ShutdownHookManager.get().isShutdownInProgress()) {
      ShutdownHookManager.get().removeShutdownHook(onExit);
    }
    release();
  }

  private synchronized void release() {
    try {
      if (files.exists(path) && files.read(path).equals(content)) {
        files.delete(path);
      }
    } catch (RuntimeException e) {
      System.err.println("Could not remove the lock file " + path + " (" + e + "): the next run's message names it.");
    }
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "an unknown host";
    }
  }
}
