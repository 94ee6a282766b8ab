package dev.lakeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.core.storage.LakeFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** {@link LakeFiles#createExclusive} on a local disk: one writer wins a name, and nobody reads a file half-written. */
@SparkTest
class LakeFilesTest {
  @Test
  void aNameIsWonOnceAndAReaderNeverSeesAFileBeforeItsContent(SparkSession spark, TestLakehouse lh) throws Exception {
    LakeFiles files = LakeFiles.of(spark);
    String dir = lh.root() + "/exclusive";
    String content = "x".repeat(1_000_000);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<String> seen = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      // reads each name the moment it appears, which is when a file made in place would still be filling
      Future<?> reader = pool.submit(() -> {
        for (int i = 0; i < 40 && writing.get(); i++) {
          String name = dir + "/" + i;
          while (!files.exists(name) && writing.get()) {
            Thread.onSpinWait();
          }
          if (files.exists(name)) {
            String read = files.read(name);
            if (read.length() != content.length()) {
              seen.add(i + ": " + read.length() + " characters");
            }
          }
        }
      });
      List<Future<Integer>> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        writers.add(pool.submit(() -> {
          int won = 0;
          for (int i = 0; i < 40; i++) {
            try {
              files.createExclusive(dir + "/" + i, content);
              won++;
            } catch (LakelineException.Conflict taken) {
              // the other writer has this name
            }
          }
          return won;
        }));
      }
      int won = writers.get(0).get() + writers.get(1).get();
      writing.set(false);
      reader.get();
      assertEquals(40, won, "each name won exactly once");
    } finally {
      pool.shutdown();
    }
    assertEquals(List.of(), seen, "no file was read before its content was complete");
    assertEquals(40, files.list(dir).size(), "and no temporary file is left: " + files.list(dir));
    assertThrows(LakelineException.Conflict.class, () -> files.createExclusive(dir + "/0", "again"));
    assertTrue(files.read(dir + "/0").length() == content.length(), "the first content stays");
  }
}
