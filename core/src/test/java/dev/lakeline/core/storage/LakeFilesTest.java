package dev.lakeline.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link LakeFiles#createExclusive} on a store like HDFS or ABFS ({@link AtomicRenameFileSystem}: a file is visible
 * while it is written, rename fails when the destination exists), without Spark.
 */
class LakeFilesTest {
  private static final String CARD = "{\"model\":\"churn\",\"metrics\":{\"auc\":0.91}}";

  @TempDir java.nio.file.Path tmp;
  private LakeFiles files;
  private String dir;

  @BeforeEach
  void atomicRenameStore() {
    Configuration conf = new Configuration();
    conf.set("fs." + AtomicRenameFileSystem.SCHEME + ".impl", AtomicRenameFileSystem.class.getName());
    files = LakeFiles.of(conf);
    dir = AtomicRenameFileSystem.SCHEME + "://" + tmp.toAbsolutePath() + "/models/churn/v1";
  }

  @AfterEach
  void resetStore() {
    AtomicRenameFileSystem.reset();
  }

  @Test
  void theFileThatSaysWhoMakesAThingIsTakenOnceAndAStaleHolderReplaced() {
    String file = dir + "/_runs/abc";
    java.util.Optional<String> none = java.util.Optional.empty();
    assertEquals(none, files.takeOrFind(file, "v1", holder -> java.util.Optional.of("made by " + holder), holder -> false));
    assertEquals("v1", files.read(file), "taken");
    assertEquals(java.util.Optional.of("made by v1"),
        files.takeOrFind(file, "v2", holder -> java.util.Optional.of("made by " + holder), holder -> false), "v1's thing");
    assertEquals(none, files.takeOrFind(file, "v1", holder -> java.util.Optional.of("made by " + holder), holder -> false),
        "its own name: nothing to wait for");
    assertEquals(none, files.takeOrFind(file, "v3", holder -> java.util.Optional.of("made by " + holder), "v1"::equals),
        "v1 is gone: v3 takes its place at once");
    assertEquals("v3", files.read(file));
  }

  @Test
  void whileTheContentIsWrittenTheNameDoesNotExistYet() {
    String card = dir + "/card.json";
    List<String> seen = new ArrayList<>();
    List<String> writtenNames = new ArrayList<>();
    AtomicRenameFileSystem.whileWriting = written -> {
      writtenNames.add(written.getName());
      seen.add(files.exists(card) ? "visible as '" + files.read(card) + "'" : "absent");
    };

    files.createExclusive(card, CARD);

    assertEquals(List.of("absent"), seen, "what a concurrent reader of " + card + " saw while it was written");
    assertEquals(CARD, files.read(card));
    assertEquals(1, writtenNames.size());
    String temp = writtenNames.get(0);
    assertTrue(temp.startsWith(".card.json.") && temp.endsWith(".tmp"), "a hidden temporary name: " + temp);
    assertEquals(List.of("card.json"), files.list(dir), "no temporary file is left");
  }

  @Test
  void aSecondCreationIsAConflictAndTheFirstContentStays() {
    String card = dir + "/card.json";
    files.createExclusive(card, CARD);

    LakelineException.Conflict e =
        assertThrows(LakelineException.Conflict.class, () -> files.createExclusive(card, "{\"other\":true}"));

    assertEquals(card + " already exists.", e.getMessage());
    assertEquals(CARD, files.read(card));
    assertEquals(List.of("card.json"), files.list(dir), "no temporary file is left");
  }

  @Test
  void aWriterThatNamesItsFileFirstWinsAndTheOtherRemovesItsTemporaryFile() throws Exception {
    String entry = dir + "/00000001.json";
    java.nio.file.Path local = tmp.resolve("models/churn/v1/00000001.json");
    // another writer completes the name after this one has checked it is free, before this one renames
    AtomicRenameFileSystem.whileWriting = written -> {
      try {
        Files.writeString(local, "{\"first\":true}", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
      } catch (java.io.IOException e) {
        throw new UncheckedIOException(e);
      }
    };

    assertThrows(LakelineException.Conflict.class, () -> files.createExclusive(entry, CARD));

    assertEquals("{\"first\":true}", files.read(entry));
    assertEquals(List.of("00000001.json"), files.list(dir), "no temporary file is left");
  }

  @Test
  void ofTwoWritersRacingForOneNameExactlyOneWinsWithItsWholeContent() throws Exception {
    String claim = dir + "/_claims/v1";
    String a = "a".repeat(10_000);
    String b = "b".repeat(10_000);
    // both writers are in the middle of writing before either goes on: both have found the name free
    CountDownLatch bothWriting = new CountDownLatch(2);
    AtomicRenameFileSystem.whileWriting = written -> {
      bothWriting.countDown();
      try {
        bothWriting.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (String content : List.of(a, b)) {
        writers.add(pool.submit(() -> {
          try {
            files.createExclusive(claim, content);
            outcomes.add("won");
          } catch (LakelineException.Conflict lost) {
            outcomes.add("conflict");
          }
        }));
      }
      for (Future<?> w : writers) {
        w.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertEquals(0, bothWriting.getCount(), "the writers were in the middle of writing at the same time");
    assertEquals(List.of("conflict", "won"), outcomes.stream().sorted().toList());
    String content = files.read(claim);
    assertTrue(content.equals(a) || content.equals(b), "one writer's whole content, not " + content.length() + " mixed characters");
    assertEquals(List.of("v1"), files.list(dir + "/_claims"), "no temporary file is left");
  }

  @Test
  void aRenameThatFailsForAnotherReasonIsAnIoErrorNamingThePath() {
    String card = dir + "/card.json";
    files.createExclusive(dir + "/scores.json", "{}");
    AtomicRenameFileSystem.refuseRenames = true;

    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> files.createExclusive(card, CARD));

    assertTrue(e.getMessage().contains(card), e.getMessage());
    assertFalse(files.exists(card));
    assertEquals(List.of("scores.json"), files.list(dir), "no temporary file is left");
  }

  @ParameterizedTest
  @CsvSource({
    "file, LINK",
    "s3a, IN_PLACE",
    "s3, IN_PLACE",
    "s3n, IN_PLACE",
    "S3A, IN_PLACE",
    "gs, IN_PLACE",
    "hdfs, RENAME",
    "abfs, RENAME",
    "abfss, RENAME",
    "wasbs, RENAME",
    "dbfs, RENAME",
    "atomicfs, RENAME",
  })
  void objectStoresWithoutAtomicRenameCreateInPlace(String scheme, LakeFiles.Creation expected) {
    assertEquals(expected, LakeFiles.creation(scheme));
  }
}
