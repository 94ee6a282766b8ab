package dev.lakeline.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class ModelRegistryTest {
  private static PipelineModel tinyModel(SparkSession spark) {
    return new Pipeline()
        .setStages(new PipelineStage[] {new SQLTransformer().setStatement("SELECT *, x * 2 AS y FROM __THIS__")})
        .fit(spark.range(3).toDF("x"));
  }

  private static ModelCard card(String runKey) {
    return new ModelCard(runKey, "test", Map.of(), Map.of("areaUnderROC", 0.8), "td", Map.of("g v1", 3L), List.of("x"), "label", "2024-06-30", Map.of());
  }

  @Test
  void versionsCountUpAndResolve(SparkSession spark, TestLakehouse lh) {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    assertEquals(1, registry.register("m", model, card("a")).version());
    assertEquals(2, registry.register("m", model, card("b")).version());
    assertEquals(2, registry.resolve("m", "latest").version());
    assertEquals(1, registry.resolve("m", "1").version());
    assertEquals("b", registry.resolve("m", " 2 ").card().runKey());
    assertEquals(1, registry.findByRunKey("m", "a").orElseThrow().version());
    assertTrue(registry.findByRunKey("m", "zzz").isEmpty());
    ModelVersion loaded = registry.get("m", 1);
    assertEquals(6L, loaded.load().transform(spark.range(3).toDF("x")).selectExpr("sum(y)").head().getLong(0));
    assertEquals(Map.of("g v1", 3L), loaded.card().sourceVersions());
  }

  @Test
  void missingVersionsAndBadReferencesAreClearErrors(SparkSession spark, TestLakehouse lh) {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    var none = assertThrows(LakelineException.NotFound.class, () -> registry.resolve("m", "latest"));
    assertTrue(none.getMessage().contains("lakeline train"), none.getMessage());
    registry.register("m", tinyModel(spark), card("a"));
    var missing = assertThrows(LakelineException.NotFound.class, () -> registry.get("m", 7));
    assertTrue(missing.getMessage().contains("[1]"), missing.getMessage());
    assertThrows(LakelineException.ConfigError.class, () -> registry.resolve("m", "newest"));
    assertThrows(LakelineException.ConfigError.class, () -> registry.register("../m", tinyModel(spark), card("x")));
  }

  @Test
  void aVersionWithoutItsCardIsInvisible(SparkSession spark, TestLakehouse lh) throws Exception {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    registry.register("m", tinyModel(spark), card("a"));
    // a crashed training left its model folder but never wrote model.json
    Files.createDirectories(Path.of(lh.layout().model("m", 2), "model"));
    assertEquals(List.of(1), registry.versions("m").stream().map(ModelVersion::version).toList());
    assertEquals(1, registry.resolve("m", "latest").version());
    assertEquals(3, registry.register("m", tinyModel(spark), card("b")).version(), "a claimed number is never reused");
  }

  @Test
  void concurrentRegistrationsNeverShareAVersion(SparkSession spark, TestLakehouse lh) throws Exception {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    Set<Integer> versions = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String key = "run" + i;
        futures.add(pool.submit(() -> versions.add(registry.register("m", model, card(key)).version())));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(Set.of(1, 2, 3, 4, 5, 6), versions);
    assertEquals(6, registry.versions("m").size());
  }
}
