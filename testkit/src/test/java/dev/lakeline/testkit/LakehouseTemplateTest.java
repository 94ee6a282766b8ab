package dev.lakeline.testkit;

import static dev.lakeline.testkit.DataFrameAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.delta.CommitRequest;
import dev.lakeline.core.delta.DeltaCommits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A template is built once; each copy has the same tables and file times, and changes to one touch no other. */
@SparkTest
class LakehouseTemplateTest {
  private static Map<String, Long> fileTimes(Path root) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(f).toString(), Files.getLastModifiedTime(f).toMillis());
      }
    }
    return out;
  }

  @Test
  void copiesHoldTheSameTablesWithTheSameFileTimesAndChangeIndependently(SparkSession spark) throws IOException {
    AtomicInteger builds = new AtomicInteger();
    AtomicReference<TestLakehouse> template = new AtomicReference<>();
    LakehouseTemplate two = LakehouseTemplate.of((s, lake) -> {
      builds.incrementAndGet();
      template.set(lake);
      String path = lake.layout().featureGroup("loans", 1);
      DeltaCommits.commit(s, CommitRequest.overwrite(path, s.sql("SELECT 1 AS id, 10.0 AS amount"), "b1"));
      DeltaCommits.commit(s, CommitRequest.overwrite(path, s.sql("SELECT 2 AS id, 20.0 AS amount"), "b2"));
    });
    TestLakehouse a = new TestLakehouse(Files.createTempDirectory("copy-a-"));
    TestLakehouse b = new TestLakehouse(Files.createTempDirectory("copy-b-"));
    try {
      two.copyInto(spark, a);
      two.copyInto(spark, b);

      assertEquals(1, builds.get(), "built once for both copies");
      Map<String, Long> templateTimes = fileTimes(template.get().root());
      assertTrue(templateTimes.keySet().stream().anyMatch(f -> f.endsWith("00000000000000000001.json")), templateTimes.toString());
      assertEquals(templateTimes, fileTimes(a.root()), "the same files, with the same modification times");
      String pathA = a.layout().featureGroup("loans", 1);
      String pathB = b.layout().featureGroup("loans", 1);
      assertEquals(1, DeltaCommits.currentVersion(spark, pathA));
      assertSameRows(spark.sql("SELECT 1 AS id, 10.0 AS amount"), spark.read().format("delta").option("versionAsOf", 0).load(pathA));

      DeltaCommits.commit(spark, CommitRequest.overwrite(pathA, spark.sql("SELECT 3 AS id, 30.0 AS amount"), "b3"));
      assertEquals(2, DeltaCommits.currentVersion(spark, pathA));
      assertEquals(1, DeltaCommits.currentVersion(spark, pathB), "the other copy is untouched");
      assertEquals(1, DeltaCommits.currentVersion(spark, template.get().layout().featureGroup("loans", 1)), "the template too");
    } finally {
      SparkTestExtension.deleteRecursively(a.root());
      SparkTestExtension.deleteRecursively(b.root());
    }
  }

  @Test
  void aLakehouseThatWritesItsOwnPathCannotBeATemplate(SparkSession spark, TestLakehouse lakehouse) {
    AtomicReference<Path> built = new AtomicReference<>();
    LakehouseTemplate pointing = LakehouseTemplate.of((s, lake) -> {
      built.set(lake.root());
      try {
        Files.createDirectories(lake.root().resolve("registry"));
        Files.writeString(lake.root().resolve("registry/model.json"), "{\"path\": \"file:" + lake.root() + "/models/m\"}");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> pointing.copyInto(spark, lakehouse));

    assertTrue(e.getMessage().startsWith("registry/model.json holds the lakehouse's absolute path " + built.get()), e.getMessage());
    assertFalse(Files.exists(built.get()), "the failed template's folder is deleted");
    assertEquals(0, lakehouse.root().toFile().list().length, "nothing was copied");
  }
}
