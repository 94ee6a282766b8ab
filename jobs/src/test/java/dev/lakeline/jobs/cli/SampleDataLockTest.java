package dev.lakeline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Two runs of generate or demo on one lakehouse: the second finds the first's lock file (here one left as a running
 * or killed run leaves it) and stops with a conflict before writing, so the first run's raw data stays intact.
 */
@SparkTest
class SampleDataLockTest {
  @Test
  void aRunOnALakehouseWhoseSampleDataIsInUseStopsWithAConflictAndWritesNothing(SparkSession spark, TestLakehouse lh)
      throws IOException {
    assertEquals(0, Cli.inLakehouse(lh, "generate", "--date", "2024-06-30", "--scale", "0.02").exitCode());
    Path lock = lh.root().resolve("raw").resolve("_lakeline_sample_data.lock");
    assertFalse(Files.exists(lock), "a run that ended leaves no lock");
    String loans = lh.layout().raw("loans");
    long rows = spark.read().parquet(loans).count();

    String holder = "run other-run of lakeline demo (process 4242 on host-a)";
    Files.writeString(lock, holder + "\n");
    Cli second = Cli.inLakehouse(lh, "generate", "--date", "2024-06-30", "--scale", "0.05");
    assertEquals(ExitCode.CONFLICT.code(), second.exitCode(), second.err() + second.out());
    assertTrue(second.err().contains("Another run of lakeline generate or demo is using lakehouse " + lh.uri() + ": " + holder
        + ", since " + java.time.Instant.ofEpochMilli(Files.getLastModifiedTime(lock).toMillis())), second.err());
    assertTrue(second.err().contains("remove the lock file " + lock), second.err());
    assertFalse(second.hasStackTrace(), second.err());
    assertEquals(rows, spark.read().parquet(loans).count(), "the raw data is as the first run wrote it");
    assertEquals(holder + "\n", Files.readString(lock), "the refused run leaves the holder's lock alone");

    Cli demo = Cli.inLakehouse(lh, "demo", "--date", "2024-06-30", "--scale", "0.05");
    assertEquals(ExitCode.CONFLICT.code(), demo.exitCode(), demo.err() + demo.out());
    assertTrue(demo.err().contains("this run of lakeline demo would overwrite"), demo.err());
    assertFalse(Files.exists(lh.root().resolve("feature_groups")), "the demo wrote nothing");

    Files.delete(lock); // as the message says, once the other run is gone
    assertEquals(0, Cli.inLakehouse(lh, "generate", "--date", "2024-06-30", "--scale", "0.05").exitCode());
    assertTrue(spark.read().parquet(loans).count() > rows);
    assertFalse(Files.exists(lock));
  }

  /**
   * A run killed with {@code kill -9} leaves its lock; the next run on the same host sees that the lock's process is
   * gone and takes the lock over (instead of stopping every later run until someone removes the file), while a lock of a
   * process still running there stays a conflict.
   */
  @Test
  void aLockLeftByAKilledRunOnThisHostIsTakenOverAndOneOfALiveRunIsNot(SparkSession spark, TestLakehouse lh)
      throws Exception {
    String host = java.net.InetAddress.getLocalHost().getHostName();
    Path lock = lh.root().resolve("raw").resolve("_lakeline_sample_data.lock");
    Files.createDirectories(lock.getParent());
    Process live = new ProcessBuilder("sleep", "300").start();
    try {
      Files.writeString(lock, "run live-run of lakeline demo (process " + live.pid() + " on " + host + ")\n");
      Cli refused = Cli.inLakehouse(lh, "generate", "--date", "2024-06-30", "--scale", "0.02");
      assertEquals(ExitCode.CONFLICT.code(), refused.exitCode(), refused.err() + refused.out());
      assertTrue(Files.exists(lock), "a live run's lock is left alone");
    } finally {
      live.destroyForcibly().waitFor();
    }
    // the process is gone now: its run was killed outright and left the lock
    String stale = "run killed-run of lakeline generate (process " + live.pid() + " on " + host + ")\n";
    Files.writeString(lock, stale);
    Cli next = Cli.inLakehouse(lh, "generate", "--date", "2024-06-30", "--scale", "0.02");
    assertEquals(0, next.exitCode(), next.err() + next.out());
    assertTrue(next.out().contains("took over the lock file " + lock + " left by " + stale.trim()), next.out());
    assertTrue(next.out().contains("process " + live.pid() + " is no longer running on " + host), next.out());
    assertTrue(spark.read().parquet(lh.layout().raw("loans")).count() > 0);
    assertFalse(Files.exists(lock), "the run removed its own lock when it ended");
    try (var left = Files.list(lock.getParent())) {
      assertTrue(left.noneMatch(f -> f.getFileName().toString().contains(".stale")), "no moved-aside lock is left");
    }
  }
}
