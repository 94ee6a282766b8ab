package dev.lakeline.testkit.delta;

import static dev.lakeline.testkit.DataFrameAssertions.assertSameRows;
import static dev.lakeline.testkit.delta.Batches.rows;
import static dev.lakeline.testkit.delta.Batches.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.delta.CommitRequest;
import dev.lakeline.core.delta.CommitResult;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.delta.PendingAppend;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class PendingAppendTest {
  private static String newTable(SparkSession spark, TestLakehouse lake, String name) {
    String path = lake.layout().predictions(name);
    DeltaCommits.commit(spark, CommitRequest.append(path, rows(spark, "('d0', 0, 0.5)"), "b0"));
    return path;
  }

  @Test
  void rowsAreInvisibleUntilTheCommitAndTheIdIsAppendedOnce(SparkSession spark, TestLakehouse lake) {
    String path = newTable(spark, lake, "pending");
    PendingAppend pending = PendingAppend.open(spark, path, "report-1");
    // another commit lands between the opening and the commit: an append does not conflict with it
    DeltaCommits.commit(spark, CommitRequest.append(path, rows(spark, "('d2', 2, 2.5)"), "b2"));
    pending.write(rows(spark, "('d1', 1, 1.5)"), 1);
    assertEquals(1, DeltaCommits.currentVersion(spark, path), "written, not committed");
    assertEquals(2, table(spark, path).count());

    CommitResult committed = pending.commit();

    assertEquals(2, committed.version());
    assertFalse(committed.skipped());
    assertSameRows(rows(spark, "('d0', 0, 0.5), ('d2', 2, 2.5), ('d1', 1, 1.5)"), table(spark, path));
    // the commit records the id as appendOnce does: a second append of it is skipped and points at this version
    CommitResult again = DeltaCommits.appendOnce(spark, path, rows(spark, "('d1', 1, 1.5)"), 1, "report-1");
    assertTrue(again.skipped());
    assertEquals(2, again.version());
    CommitResult pendingAgain = PendingAppend.open(spark, path, "report-1").write(rows(spark, "('d1', 1, 1.5)"), 1).commit();
    assertTrue(pendingAgain.skipped());
    assertEquals(3, table(spark, path).count());
  }

  @Test
  void abortAndCloseLeaveTheTableAsItWas(SparkSession spark, TestLakehouse lake) {
    String path = newTable(spark, lake, "pending-abort");
    PendingAppend written = PendingAppend.open(spark, path, "report-2").write(rows(spark, "('d1', 1, 1.5)"), 1);
    written.abort();
    try (PendingAppend unused = PendingAppend.open(spark, path, "report-3")) {
      // closed without rows: nothing to drop
    }
    try (PendingAppend closed = PendingAppend.open(spark, path, "report-4")) {
      closed.write(rows(spark, "('d4', 4, 4.5)"), 1);
    }

    assertEquals(0, DeltaCommits.currentVersion(spark, path));
    assertSameRows(rows(spark, "('d0', 0, 0.5)"), spark.read().format("delta").load(path));
    assertEquals(1, spark.read().parquet(path).count(), "the dropped rows' files are deleted, not just uncommitted");
    assertThrows(IllegalStateException.class, written::commit, "an aborted append cannot be committed");
  }

  /**
   * Spark's thread-local properties are inherited when a thread is created, so a pooled background thread would
   * keep the job group of whichever caller created it: two callers in turn, each in its own job group, must each
   * find the background jobs of their append in their own group (cancelling a notebook cell cancels them too).
   */
  @Test
  void backgroundJobsRunInTheCallersJobGroup(SparkSession spark, TestLakehouse lake) throws Exception {
    String path = newTable(spark, lake, "pending-groups");
    List<String> groups = Collections.synchronizedList(new ArrayList<>());
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart job) {
        groups.add(String.valueOf(job.properties().getProperty("spark.jobGroup.id")));
      }
    };
    spark.sparkContext().addSparkListener(listener);
    try {
      for (String caller : List.of("caller-a", "caller-b")) {
        Thread t = new Thread(() -> {
          spark.sparkContext().setJobGroup(caller, "an append of " + caller, false);
          PendingAppend.open(spark, path, "report-" + caller).write(rows(spark, "('" + caller + "', 1, 1.5)"), 1).commit();
        });
        t.start();
        t.join();
        spark.sparkContext().listenerBus().waitUntilEmpty();
        List<String> seen;
        synchronized (groups) {
          seen = new ArrayList<>(groups);
          groups.clear();
        }
        assertFalse(seen.isEmpty(), "the append ran Spark jobs");
        assertEquals(Collections.nCopies(seen.size(), caller), seen, "every job of " + caller + "'s append in its group");
      }
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
  }

  @Test
  void aTableThatDoesNotExistYetIsCreatedByTheCommit(SparkSession spark, TestLakehouse lake) {
    String path = lake.layout().predictions("pending-new");
    CommitResult committed = PendingAppend.open(spark, path, "report-5").write(rows(spark, "('d1', 1, 1.5)"), 1).commit();

    assertEquals(0, committed.version());
    assertSameRows(rows(spark, "('d1', 1, 1.5)"), table(spark, path));
  }

  /**
   * An id that is new by construction is not looked up: the look rebuilds the table's state in Delta 3.3 (its
   * "Compute snapshot" jobs), which a checked append of a new table version pays and a unique one does not. Rows
   * made for the version they expect get the version the commit produced.
   */
  @Test
  void aUniqueIdSkipsTheLookAtTheTablesStateAndRowsGetTheirVersion(SparkSession spark, TestLakehouse lake) throws Exception {
    String path = newTable(spark, lake, "pending-unique");
    List<String> jobs = Collections.synchronizedList(new ArrayList<>());
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart job) {
        jobs.add(String.valueOf(job.properties().getProperty("spark.job.description")));
      }
    };
    spark.sparkContext().addSparkListener(listener);
    try {
      DeltaCommits.commit(spark, CommitRequest.append(path, rows(spark, "('d1', 1, 1.5)"), "b1")); // a new version
      spark.sparkContext().listenerBus().waitUntilEmpty();
      jobs.clear();
      CommitResult unique = PendingAppend.openUnique(spark, path, "report-u")
          .write(version -> rows(spark, "('u', " + version + ", 0.5)"), 1).commit();
      spark.sparkContext().listenerBus().waitUntilEmpty();
      List<String> uniqueJobs = new ArrayList<>(jobs);

      DeltaCommits.commit(spark, CommitRequest.append(path, rows(spark, "('d3', 3, 3.5)"), "b3"));
      spark.sparkContext().listenerBus().waitUntilEmpty();
      jobs.clear();
      PendingAppend.open(spark, path, "report-c").write(rows(spark, "('c', 4, 4.5)"), 1).commit();
      spark.sparkContext().listenerBus().waitUntilEmpty();
      List<String> checkedJobs = new ArrayList<>(jobs);

      assertEquals(2, unique.version());
      assertEquals(2L, table(spark, path).where("day = 'u'").first().getInt(1), "the row carries the version committed");
      assertTrue(uniqueJobs.stream().noneMatch(d -> d.contains("Compute snapshot")), uniqueJobs.toString());
      assertTrue(checkedJobs.stream().anyMatch(d -> d.contains("Compute snapshot")), "the checked append looks: " + checkedJobs);
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
  }
}
