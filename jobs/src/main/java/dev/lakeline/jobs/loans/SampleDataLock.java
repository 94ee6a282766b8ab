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
 * a shutdown hook); a run killed outright ({@code kill -9}, a lost driver) leaves it. A later run on the same host
 * sees that the lock's process is gone and takes the lock over ({@link #deadOwner}); a lock of another host cannot be
 * judged, and the message says which file to remove.
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
      String found = null;
      long since = -1;
      try { // since when: as the file system stamped the file (jobs never read the clock)
        found = files.read(path);
        since = files.modified(path);
        holder = found.trim() + ", since " + Instant.ofEpochMilli(since);
      } catch (RuntimeException gone) { // released meanwhile: the message still says what to do
        holder = "another run";
      }
      String dead = found == null ? null : deadOwner(found, since);
      if (dead != null && takeOver(files, path, found, content)) {
        ctx.summary().progress("note: took over the lock file %s left by %s: %s", path, holder, dead);
        return new SampleDataLock(files, path, content);
      }
      throw Errors.conflict(
          "Another run of lakeline generate or demo is using lakehouse %s: %s. It writes the sample raw data there, "
              + "which this run of lakeline %s would overwrite. Wait for it to finish and rerun; if it is no longer "
              + "running (it was killed), remove the lock file %s and rerun. This run wrote no data.",
          ctx.layout().root(), holder, command, path);
    }
    return new SampleDataLock(files, path, content);
  }

  private static final java.util.regex.Pattern OWNER =
      java.util.regex.Pattern.compile("\\(process ([0-9]+) on (.+)\\)\\s*$");

  /**
   * Why the run that wrote the lock {@code content} (at {@code since}, epoch ms) is known to be gone, or null when it may
   * still be running. Only a lock written on this host can be judged: its process no longer exists, or the process of
   * that number started after the lock was written (the number was reused). A lock of another host is never taken.
   */
  static String deadOwner(String content, long since) {
    java.util.regex.Matcher m = OWNER.matcher(content.trim());
    if (!m.find() || !m.group(2).equals(host())) {
      return null;
    }
    long pid = Long.parseLong(m.group(1));
    if (pid == ProcessHandle.current().pid()) {
      return null; // this very process holds it (a second acquire in one JVM): never taken from itself
    }
    java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return "process " + pid + " is no longer running on " + m.group(2) + " (the run was killed)";
    }
    java.util.Optional<Instant> started = process.get().info().startInstant();
    if (since > 0 && started.isPresent() && started.get().toEpochMilli() > since + 1000) {
      return "process " + pid + " on " + m.group(2) + " started after the lock was written (the run was killed and its "
          + "number reused)";
    }
    return null;
  }

  /**
   * Replaces the dead run's lock {@code stale} with this run's: the stale file is first moved aside under a name of its
   * own (of runs racing to take it over, only one moves it), then created exclusively as ever. False when another run
   * took it over meanwhile.
   */
  private static boolean takeOver(LakeFiles files, String path, String stale, String content) {
    String aside = path + "." + java.util.UUID.randomUUID() + ".stale";
    if (!files.rename(path, aside)) {
      return false; // moved or removed by another run meanwhile
    }
    String moved = files.read(aside);
    if (!moved.equals(stale)) { // a live run's lock replaced the stale one in between: put it back
      try {
        files.createExclusive(path, moved);
      } catch (LakelineException.Conflict c) {
        // yet another run holds it now
      }
      files.delete(aside);
      return false;
    }
    files.delete(aside);
    try {
      files.createExclusive(path, content);
      return true;
    } catch (LakelineException.Conflict c) {
      return false;
    }
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
