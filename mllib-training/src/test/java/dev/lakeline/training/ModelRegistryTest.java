package dev.lakeline.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
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
    var huge = assertThrows(LakelineException.NotFound.class, () -> registry.resolve("m", "99999999999"));
    assertTrue(huge.getMessage().contains("no version 99999999999"), huge.getMessage());
    var bad = assertThrows(LakelineException.ConfigError.class, () -> registry.resolve("m", "newest"));
    assertTrue(bad.getMessage().contains("Invalid model version 'newest': use a version number (3 or v3), 'latest', '@alias'")
        && bad.getMessage().contains("'best:<metric>'"), bad.getMessage());
    // v3, as models list shows a version, names version 3
    assertEquals(1, registry.resolve("m", "v1").version());
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
  void aVersionLeftWithoutItsCardIsDeletedOnceIdleAndItsNumberStaysClaimed(SparkSession spark, TestLakehouse lh)
      throws Exception {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    registry.register("m", tinyModel(spark), card("a"));
    registry.register("m", tinyModel(spark), card("b"));
    // a training stopped while saving v3's model: its claim and part of the model, no card
    Path left = Path.of(lh.layout().model("m", 3), "model", "metadata", "part-00000");
    Files.createDirectories(left.getParent());
    Files.writeString(left, "{}");
    Files.writeString(Path.of(lh.layout().models("m"), "_claims", "v3"), "claimed");
    Files.setLastModifiedTime(left, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 50 * 3_600_000L));
    Files.createDirectories(Path.of(lh.layout().models(), "not a model")); // a folder Lakeline did not make
    // v4's number just claimed and its folder made, its model not written yet: not incomplete, whatever the time
    Files.createDirectories(Path.of(lh.layout().model("m", 4)));
    Files.writeString(Path.of(lh.layout().models("m"), "_claims", "v4"), "claimed");

    List<ModelRegistry.IncompleteVersion> recent = registry.incomplete(100, true, System.currentTimeMillis());
    assertEquals(1, recent.size());
    assertEquals("m v3", recent.get(0).version());
    assertEquals(1, recent.get(0).files());
    assertTrue(recent.get(0).idleHours() > 49 && recent.get(0).idleHours() < 51, recent.toString());
    assertFalse(recent.get(0).deleted(), "written within the retention: a training may still be running");
    assertFalse(registry.incomplete(24, false, System.currentTimeMillis()).get(0).deleted(), "a check deletes nothing");
    assertTrue(Files.exists(left));

    assertTrue(registry.incomplete(24, true, System.currentTimeMillis()).get(0).deleted());
    assertFalse(Files.exists(Path.of(lh.layout().model("m", 3))));
    assertEquals(List.of(), registry.incomplete(24, true, System.currentTimeMillis()));
    assertEquals(List.of(1, 2), registry.versions("m").stream().map(ModelVersion::version).toList());
    assertTrue(Files.isDirectory(Path.of(lh.layout().model("m", 4))), "a folder without a file yet is left to its training");
    assertEquals(5, registry.register("m", tinyModel(spark), card("c")).version(), "v3's and v4's numbers stay claimed");
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

  /**
   * Two trainings of the same inputs at once (two {@code train} runs for one date): each looked for a version of its run
   * key before the other had registered one, so each trained, but only one version is registered and both get it.
   */
  @Test
  void trainingsOfTheSameInputsAtOnceRegisterOneVersion(SparkSession spark, TestLakehouse lh) throws Exception {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    ModelVersion first = registry.register("m", model, card("same"));
    ModelVersion second = registry.register("m", model, card("same"));
    assertEquals(1, second.version(), "the version registered first");
    assertEquals(List.of(1), registry.versions("m").stream().map(ModelVersion::version).toList());
    assertFalse(Files.exists(Path.of(lh.layout().model("m", 2))), "the second copy is dropped");
    assertEquals(3, registry.register("m", model, card("other")).version(), "its number stays claimed");
    assertEquals(first.card(), second.card());

    Set<Integer> versions = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        futures.add(pool.submit(() -> versions.add(registry.register("m", model, card("at once")).version())));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(1, versions.size(), "one version for one set of inputs: " + versions);
    assertEquals(3, registry.versions("m").size());
  }

  @Test
  void aVersionDeletedSinceLeavesNoStaleRunFileBehind(SparkSession spark, TestLakehouse lh) throws Exception {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    registry.register("m", model, card("same"));
    try (var walk = Files.walk(Path.of(lh.layout().model("m", 1)))) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    // the same inputs again: registered as v2 without waiting for v1's card, and the run's file names v2 from then on
    assertEquals(2, registry.register("m", model, card("same")).version());
    List<String> holders;
    try (var runs = Files.list(Path.of(lh.layout().models("m"), "_runs"))) {
      holders = runs.filter(f -> !f.getFileName().toString().startsWith(".")).map(f -> {
        try {
          return Files.readString(f).trim();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
    assertEquals(List.of("v2"), holders);
  }

  @Test
  void theDriftBaselineIsKeptWithTheVersionAndNeverReplaced(SparkSession spark, TestLakehouse lh) {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    FeatureProfile x = new FeatureProfile("x", FeatureProfile.NUMERIC, List.of(1.0, 2.0), List.of(), List.of(3L, 4L, 5L), 1);
    FeatureProfile score = new FeatureProfile("score", FeatureProfile.NUMERIC, List.of(0.5), List.of(), List.of(6L, 4L), 0);
    DriftBaseline baseline = new DriftBaseline(List.of(x), score);
    ModelVersion with = registry.register("m", model, card("a"), null, baseline);
    assertEquals(baseline, registry.baseline(with).orElseThrow(), "read back as written");
    ModelVersion without = registry.register("m", model, card("b"));
    assertTrue(registry.baseline(without).isEmpty());

    DriftBaseline later = new DriftBaseline(List.of(x), null);
    assertEquals(later, registry.keepBaseline(without, later), "a version without one keeps the first it is given");
    assertEquals(later, registry.baseline(without).orElseThrow());
    assertEquals(baseline, registry.keepBaseline(with, later), "a version's baseline never changes");
    assertEquals(baseline, registry.baseline(with).orElseThrow());
  }

  @Test
  void theLatestImportanceMeasureIsKeptWithTheVersion(SparkSession spark, TestLakehouse lh) {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    ModelVersion v = registry.register("m", tinyModel(spark), card("a"));
    assertTrue(registry.importance(v).isEmpty(), "never measured");
    PermutationImportance.Result first = new PermutationImportance.Result(100, 100, 20, 0.8, 2, 42,
        List.of(new PermutationImportance.Feature("x", 0.25, 0.01, new double[] {0.54, 0.56})));
    registry.keepImportance(v, first);
    assertEquals(first, registry.importance(v).orElseThrow(), "read back as written");
    PermutationImportance.Result again = new PermutationImportance.Result(50, 100, 9, 0.79, 1, 7,
        List.of(new PermutationImportance.Feature("x", 0.2, 0, new double[] {0.59})));
    registry.keepImportance(v, again);
    assertEquals(again, registry.importance(v).orElseThrow(), "a later measure replaces it");
    assertEquals(again, registry.importance(registry.get("m", v.version())).orElseThrow(), "as the version is read again");
  }

  private static ModelCard card(String runKey, Map<String, Double> metrics) {
    return new ModelCard(runKey, "test", Map.of(), metrics, "td", Map.of(), List.of("x"), "label", "2024-06-30", Map.of());
  }

  @Test
  void aliasesMoveAndEveryMoveIsLogged(SparkSession spark, TestLakehouse lh) {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    for (int i = 1; i <= 3; i++) {
      registry.register("m", model, card("r" + i));
    }
    assertEquals("champion: set to v1", registry.setAlias("m", "champion", 1, "first").describe());
    registry.setAlias("m", "challenger", 3, "");
    assertEquals(1, registry.resolve("m", "@champion").version());
    AliasMove promoted = registry.setAlias("m", "champion", 3, "better AUC on June");
    assertEquals("champion: v1 → v3", promoted.describe());
    assertEquals(3, registry.resolve("m", " @champion ").version());
    assertNull(registry.setAlias("m", "champion", 3, "again"), "pointing an alias where it points logs nothing");
    assertEquals("challenger: removed (was v3)", registry.removeAlias("m", "challenger", "promoted").describe());
    assertEquals(Map.of("champion", 3), registry.aliases("m"));

    List<AliasMove> log = registry.aliasLog("m");
    assertEquals(List.of(1, 2, 3, 4), log.stream().map(AliasMove::sequence).toList());
    assertEquals(List.of("champion", "challenger", "champion", "challenger"), log.stream().map(AliasMove::alias).toList());
    assertEquals(java.util.Arrays.asList(1, 3, 3, null), log.stream().map(AliasMove::version).toList());
    assertEquals(java.util.Arrays.asList(null, null, 1, 3), log.stream().map(AliasMove::previous).toList());
    assertEquals("better AUC on June", log.get(2).reason());
    assertTrue(java.time.Instant.parse(log.get(0).movedAt()).toEpochMilli() > 0, "when: the entry file's time");

    var gone = assertThrows(LakelineException.NotFound.class, () -> registry.resolve("m", "@challenger"));
    assertTrue(gone.getMessage().contains("(its aliases: @champion → v3)"), gone.getMessage());
    assertThrows(LakelineException.NotFound.class, () -> registry.setAlias("m", "champion", 9, ""), "an unregistered version");
    var notSet = assertThrows(LakelineException.NotFound.class, () -> registry.removeAlias("m", "nobody", ""));
    assertEquals("Model m has no alias 'nobody' to remove. Its aliases: @champion → v3.", notSet.getMessage());
    assertThrows(LakelineException.ConfigError.class, () -> registry.setAlias("m", "../x", 1, ""));
    // `models alias m latest 1` (arguments swapped) would make an alias that reads as a version reference
    for (String reference : List.of("latest", "Latest", "2", "v2")) {
      var swapped = assertThrows(LakelineException.ConfigError.class, () -> registry.setAlias("m", reference, 1, ""));
      assertTrue(swapped.getMessage().contains("'" + reference + "' cannot be an alias: it reads as a version reference"),
          swapped.getMessage());
      assertThrows(LakelineException.ConfigError.class, () -> registry.promoteIfBetter("m", reference, 1, "auc", 0));
    }
    assertEquals(Map.of("champion", 3), registry.aliases("m"), "failed moves changed nothing");
  }

  @Test
  void aVersionIsFoundByItsRunKeyOrByTheKeyItsCardsOwnDatasetPathGives(SparkSession spark, TestLakehouse lh) {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    String then = "/old-lake/training_datasets/v/v1/td1";
    registry.register("m", tinyModel(spark), new ModelCard("key " + then, "test", Map.of(), Map.of(), then, Map.of(),
        List.of("x"), "label", "2024-06-30", Map.of()));
    registry.register("m", tinyModel(spark), card("by-label"));
    java.util.function.UnaryOperator<String> keyByPath = path -> "key " + path;
    assertEquals(2, registry.findTrainedFrom("m", "by-label", "/lake/training_datasets/v/v1/td1", keyByPath).orElseThrow().version());
    assertEquals(1, registry.findTrainedFrom("m", "new", "/copy/training_datasets/v/v1/td1", keyByPath).orElseThrow().version(),
        "keyed by the dataset's path in the lakehouse it was trained in, found from a copy of it");
    assertTrue(registry.findTrainedFrom("m", "new", "/copy/training_datasets/v/v1/td2", keyByPath).isEmpty(), "another dataset");
    assertTrue(registry.findTrainedFrom("m", "new", "/copy/training_datasets/v/v1/td1", path -> "other " + path).isEmpty(),
        "other inputs");
  }

  @Test
  void bestByMetricTakesTheHighestOrForErrorsTheLowest(SparkSession spark, TestLakehouse lh) {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    registry.register("m", model, card("a", Map.of("areaUnderROC", 0.71, "rmse", 3.0)));
    registry.register("m", model, card("b", Map.of("areaUnderROC", 0.93, "rmse", 2.5)));
    registry.register("m", model, card("c", Map.of("areaUnderROC", 0.80, "rmse", 2.0)));
    registry.register("m", model, card("d", Map.of()));
    assertEquals(2, registry.resolve("m", "best:areaUnderROC").version());
    assertEquals(3, registry.resolve("m", "best:rmse").version());
    var unknown = assertThrows(LakelineException.NotFound.class, () -> registry.resolve("m", "best:f1"));
    assertTrue(unknown.getMessage().contains("[areaUnderROC, rmse]"), unknown.getMessage());
    assertEquals(List.of("m"), registry.models());
  }

  @Test
  void promotionMovesTheAliasOnlyToAVersionThatPassesAndBeatsIt(SparkSession spark, TestLakehouse lh) {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    double[] auc = {0.62, 0.55, 0.80, 0.80, 0.75};
    for (int i = 0; i < auc.length; i++) {
      registry.register("m", model, card("r" + i, Map.of("areaUnderROC", auc[i], "rmse", 1 - auc[i])));
    }
    Promotion first = registry.promoteIfBetter("m", "champion", 1, "areaUnderROC", 0.6);
    assertTrue(first.promoted(), first.reason());
    assertEquals("champion → v1: areaUnderROC 0.6200 reaches the minimum 0.6000; no champion before", first.reason());
    Promotion low = registry.promoteIfBetter("m", "champion", 2, "areaUnderROC", 0.6);
    assertEquals("champion stays v1: v2's areaUnderROC 0.5500 is below the minimum 0.6000", low.reason());
    Promotion better = registry.promoteIfBetter("m", "champion", 3, "areaUnderROC", 0.6);
    assertEquals("champion → v3: areaUnderROC 0.8000 beats v1's 0.6200", better.reason());
    assertFalse(registry.promoteIfBetter("m", "champion", 3, "areaUnderROC", 0.6).promoted(), "a rerun moves nothing");
    Promotion tie = registry.promoteIfBetter("m", "champion", 4, "areaUnderROC", 0.6);
    assertEquals("champion stays v3: v4's areaUnderROC 0.8000 does not beat v3's 0.8000", tie.reason());
    assertFalse(registry.promoteIfBetter("m", "champion", 5, "areaUnderROC", 0.6).promoted());
    assertEquals(Map.of("champion", 3), registry.aliases("m"));
    assertEquals(2, registry.aliasLog("m").size(), "only the two moves are logged");
    assertEquals("areaUnderROC 0.8000 beats v1's 0.6200", registry.aliasLog("m").get(1).reason());
    // an error metric: lower is better
    assertTrue(registry.promoteIfBetter("m", "lowest-rmse", 1, "rmse", 0.5).promoted());
    assertTrue(registry.promoteIfBetter("m", "lowest-rmse", 3, "rmse", 0.5).promoted(), "rmse 0.2 beats 0.38");
    assertFalse(registry.promoteIfBetter("m", "lowest-rmse", 2, "rmse", 0.5).promoted(), "rmse 0.45 is worse");
    assertEquals(3, registry.aliases("m").get("lowest-rmse"));
  }

  @Test
  void promotionComparesBothVersionsOnTheSameRowsWhenTheyCanBeMeasured(SparkSession spark, TestLakehouse lh) {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    double[] auc = {0.90, 0.75, 0.95, 0.80};
    for (int i = 0; i < auc.length; i++) {
      registry.register("m", model, card("r" + i, Map.of("areaUnderROC", auc[i])));
    }
    assertTrue(registry.promoteIfBetter("m", "champion", 1, "areaUnderROC", 0.6).promoted());
    // v2's own test split says 0.75 against v1's 0.90; on the same rows v1 does worse: v2 takes the alias
    List<Integer> asked = new ArrayList<>();
    Promotion fair = registry.promoteIfBetter("m", "champion", 2, "areaUnderROC", 0.6, holder -> {
      asked.add(holder.version());
      return new Comparison(0.74, 0.61, "the 200 rows of v2's test split that v1 was not trained on");
    });
    assertEquals("champion → v2: areaUnderROC 0.7400 beats v1's 0.6100 on the 200 rows of v2's test split that v1 was not "
        + "trained on", fair.reason());
    assertEquals(List.of(1), asked, "measured once, against the alias's version");
    // and the other way round: a higher AUC on its own split does not beat the champion on the same rows
    Promotion worse = registry.promoteIfBetter("m", "champion", 3, "areaUnderROC", 0.6,
        holder -> new Comparison(0.70, 0.72, "the 180 rows of v3's test split that v2 was not trained on"));
    assertEquals("champion stays v2: on the 180 rows of v3's test split that v2 was not trained on, v3's areaUnderROC 0.7000 "
        + "does not beat v2's 0.7200", worse.reason());
    // when the same rows cannot be had, each version's own test split decides, and the reason says why
    Promotion own = registry.promoteIfBetter("m", "champion", 4, "areaUnderROC", 0.6,
        holder -> Comparison.unavailable("v2's training dataset /lh/td2 is gone"));
    assertEquals("champion → v4: areaUnderROC 0.8000 beats v2's 0.7500 (each on its own test split: v2's training dataset "
        + "/lh/td2 is gone)", own.reason());
    // nothing is measured for a version below the minimum, or when no version holds the alias
    registry.register("m", model, card("r4", Map.of("areaUnderROC", 0.55)));
    assertFalse(registry.promoteIfBetter("m", "champion", 5, "areaUnderROC", 0.6, holder -> {
      throw new AssertionError("measured a version below the minimum");
    }).promoted());
    assertTrue(registry.promoteIfBetter("m", "first", 3, "areaUnderROC", 0.6, holder -> {
      throw new AssertionError("measured against an alias that is not set");
    }).promoted());
    assertEquals(Map.of("champion", 4, "first", 3), registry.aliases("m"));
  }

  @Test
  void promotionGatesKeepAVersionThatRanksBetterButDecidesWorse(SparkSession spark, TestLakehouse lh) {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    registry.register("m", model, card("r1", Map.of("areaUnderROC", 0.70, "recall", 0.60, "precision", 0.40, "logLoss", 0.45)));
    // a better ranking that catches a fifth of the positives at its threshold
    registry.register("m", model, card("r2", Map.of("areaUnderROC", 0.80, "recall", 0.20, "precision", 0.55, "logLoss", 0.40)));
    // predicts no row positive: no precision at all
    registry.register("m", model, card("r3", Map.of("areaUnderROC", 0.85, "recall", 0.0, "logLoss", 0.38)));
    // better on every count
    registry.register("m", model, card("r4", Map.of("areaUnderROC", 0.82, "recall", 0.65, "precision", 0.45, "logLoss", 0.41)));
    PromotionPolicy policy = PromotionPolicy.of("areaUnderROC", 0.6).withGate("recall", 0.5).withGate("precision", 0.3);

    Promotion first = registry.promoteIfBetter("m", "champion", 1, policy, null);
    assertEquals("champion → v1: areaUnderROC 0.7000 reaches the minimum 0.6000; recall 0.6000 reaches the gate's 0.5000; "
        + "precision 0.4000 reaches the gate's 0.3000; no champion before", first.reason());
    Promotion lowRecall = registry.promoteIfBetter("m", "champion", 2, policy, holder -> {
      throw new AssertionError("measured a version that fails a gate");
    });
    assertEquals("champion stays v1: v2's recall 0.2000 is below the gate's 0.5000", lowRecall.reason());
    assertFalse(lowRecall.promoted());
    // without the gates, v2's AUC would have taken the alias
    assertTrue(registry.promoteIfBetter("m", "auc-only", 2, "areaUnderROC", 0.6).promoted());
    Promotion noPrecision = registry.promoteIfBetter("m", "champion", 3, PromotionPolicy.of("areaUnderROC", 0.6)
        .withGate("precision", 0.3), null);
    assertEquals("champion stays v1: v3 has no precision, which must be at least 0.3000 (it predicts no row positive)",
        noPrecision.reason());
    // a card from before cards had decisions has neither metric
    registry.register("m", model, card("r5", Map.of("areaUnderROC", 0.9)));
    assertEquals("champion stays v1: v5 has no recall, which must be at least 0.5000",
        registry.promoteIfBetter("m", "champion", 5, policy, null).reason());
    assertEquals("champion stays v1: v5 has no precision, which must be at least 0.3000",
        registry.promoteIfBetter("m", "champion", 5, PromotionPolicy.of("areaUnderROC", 0.6).withGate("precision", 0.3), null)
            .reason());
    Promotion better = registry.promoteIfBetter("m", "champion", 4, policy,
        holder -> new Comparison(0.81, 0.69, "the 150 rows of v4's test split that v1 was not trained on"));
    assertEquals("champion → v4: areaUnderROC 0.8100 beats v1's 0.6900 on the 150 rows of v4's test split that v1 was not "
        + "trained on; recall 0.6500 reaches the gate's 0.5000; precision 0.4500 reaches the gate's 0.3000", better.reason());
    assertEquals(Map.of("champion", 4, "auc-only", 2), registry.aliases("m"));
    // an error metric's gate is a ceiling
    PromotionPolicy calibrated = PromotionPolicy.of("areaUnderROC", 0.6).withGate("logLoss", 0.39);
    registry.setAlias("m", "calibrated", 1, "by hand");
    assertEquals("calibrated stays v1: v4's logLoss 0.4100 is above the gate's 0.3900",
        registry.promoteIfBetter("m", "calibrated", 4, calibrated, null).reason());
    assertTrue(registry.promoteIfBetter("m", "calibrated", 3, calibrated, null).promoted(), "log loss 0.38 is within 0.39");
    var blank = assertThrows(LakelineException.ConfigError.class, () -> policy.withGate("recall", Double.NaN));
    assertTrue(blank.getMessage().contains("recall → NaN"), blank.getMessage());
  }

  @Test
  void aDeletedVersionIsGoneItsNumberIsNeverGivenAgainAndItsCardIsKept(SparkSession spark, TestLakehouse lh) throws Exception {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    registry.register("m", model, card("a"));
    registry.register("m", model, card("b"));
    registry.register("m", model, card("c"), new ScoreDistribution(2, new long[] {3, 1}, new long[] {1, 3}));
    // a registry whose claims were lost (copied without _claims/): the delete claims the number itself
    Files.delete(Path.of(lh.layout().models("m"), "_claims", "v3"));
    registry.setAlias("m", "champion", 1, "");

    ModelRegistry.Deletion check = registry.delete("m", 3, "", true);
    assertFalse(check.deleted());
    assertEquals(List.of("model.json", "model/", "scores.json"), check.entries());
    assertEquals(List.of(1, 2, 3), registry.versions("m").stream().map(ModelVersion::version).toList(), "a check changes nothing");

    ModelRegistry.Deletion d = registry.delete("m", 3, "trained on the wrong window", false);
    assertTrue(d.deleted());
    assertFalse(d.resumed());
    assertEquals("m v3", d.version());
    assertEquals(check.files(), d.files());
    assertFalse(Files.exists(Path.of(lh.layout().model("m", 3))));
    assertEquals(List.of(1, 2), registry.versions("m").stream().map(ModelVersion::version).toList());
    assertEquals(2, registry.resolve("m", "latest").version());
    var gone = assertThrows(LakelineException.NotFound.class, () -> registry.resolve("m", "3"));
    assertTrue(gone.getMessage().startsWith("Model m has no version 3: it was deleted by " + System.getProperty("user.name") + " at ")
        && gone.getMessage().contains("(trained on the wrong window); its card is kept in ")
        && gone.getMessage().endsWith("_deleted/v3.json. Registered versions: [1, 2]."), gone.getMessage());
    ModelRegistry.DeletedVersion kept = registry.deleted("m", 3).orElseThrow();
    assertEquals("c", kept.card().runKey());
    assertEquals("trained on the wrong window", kept.reason());
    assertTrue(registry.deleted("m", 2).isEmpty(), "v2 is registered");
    var twice = assertThrows(LakelineException.NotFound.class, () -> registry.delete("m", 3, "", false));
    assertTrue(twice.getMessage().contains("it was deleted by"), twice.getMessage());

    // predictions and monitoring record model_version 3: no other model may ever be v3
    assertEquals(4, registry.register("m", model, card("d")).version());
    // v3's inputs trained again: a new version, not the deleted one
    assertEquals(5, registry.register("m", model, card("c")).version());
  }

  @Test
  void aVersionAnAliasPointsAtIsNotDeleted(SparkSession spark, TestLakehouse lh) {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    registry.register("m", tinyModel(spark), card("a"));
    registry.setAlias("m", "champion", 1, "");
    for (boolean check : new boolean[] {true, false}) {
      var refused = assertThrows(LakelineException.Conflict.class, () -> registry.delete("m", 1, "", check));
      assertEquals("Cannot delete m v1: the alias @champion points at it. Point it at another version first ('lakeline models "
          + "alias m champion <version>') or remove it ('lakeline models alias m champion --remove'), then delete v1.",
          refused.getMessage());
    }
    registry.setAlias("m", "challenger", 1, "");
    var both = assertThrows(LakelineException.Conflict.class, () -> registry.delete("m", 1, "", false));
    assertTrue(both.getMessage().startsWith("Cannot delete m v1: the aliases @challenger, @champion point at it. Point each"),
        both.getMessage());
    assertEquals(1, registry.resolve("m", "latest").version(), "nothing was deleted");
    assertTrue(registry.deleted("m", 1).isEmpty());
  }

  @Test
  void aDeleteStoppedAfterItsCommitPointLeavesNoHalfVersionAndDeletingAgainFinishesIt(SparkSession spark, TestLakehouse lh)
      throws Exception {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    registry.register("m", tinyModel(spark), card("a"));
    registry.register("m", tinyModel(spark), card("b"));
    registry.afterDeleteCommit(() -> {
      throw new IllegalStateException("killed");
    });
    assertThrows(IllegalStateException.class, () -> registry.delete("m", 2, "", false));
    assertTrue(Files.isDirectory(Path.of(lh.layout().model("m", 2), "model")), "stopped with the model still on disk");
    // no reader sees half a version: the card went first
    assertEquals(List.of(1), registry.versions("m").stream().map(ModelVersion::version).toList());
    assertEquals(1, registry.resolve("m", "latest").version());
    assertThrows(LakelineException.NotFound.class, () -> registry.resolve("m", "2"));

    registry.afterDeleteCommit(() -> {});
    ModelRegistry.Deletion rest = registry.delete("m", 2, "", false);
    assertTrue(rest.resumed() && rest.deleted(), rest.toString());
    assertEquals(List.of("model/"), rest.entries());
    assertFalse(Files.exists(Path.of(lh.layout().model("m", 2))));

    // a folder without a card that no delete left (a training still writing it) is not a version to delete
    Files.createDirectories(Path.of(lh.layout().model("m", 3), "model"));
    assertThrows(LakelineException.NotFound.class, () -> registry.delete("m", 3, "", false));
    assertTrue(Files.isDirectory(Path.of(lh.layout().model("m", 3), "model")));
  }

  @Test
  void aCardOfAnEarlierOrALaterLakelineLoads(SparkSession spark, TestLakehouse lh) throws Exception {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    registry.register("m", tinyModel(spark), card("a"));
    // as an earlier Lakeline wrote it (no input schema, no training data), with a field a later one may add
    Files.writeString(Path.of(lh.layout().model("m", 1), "model.json"), """
        {"runKey":"a","algorithm":"logistic_regression","params":{"regParam":"0.01"},"metrics":{"areaUnderROC":0.8},
         "trainingDataset":"/lake/training_datasets/v/v1/td1","sourceVersions":{"g v1":3},"features":["x"],"label":"y",
         "logicalDate":"2024-06-30","versions":{"Spark":"3.5.7"},"runId":null,"aFieldOfALaterLakeline":{"k":1}}
        """);
    ModelCard old = registry.get("m", 1).card();
    assertEquals("a", old.runKey());
    assertEquals(List.of("x"), old.features());
    assertNull(old.inputs());
    assertNull(old.trainingData());
    assertEquals(1, registry.findByRunKey("m", "a").orElseThrow().version(), "a rerun of its inputs still finds it");
  }

  @Test
  void anAliasWhoseVersionWasDeletedIsNamedAndTheNextGoodVersionTakesIt(SparkSession spark, TestLakehouse lh) throws Exception {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    double[] auc = {0.80, 0.55, 0.70};
    for (int i = 0; i < auc.length; i++) {
      registry.register("m", model, card("r" + i, Map.of("areaUnderROC", auc[i])));
    }
    assertTrue(registry.promoteIfBetter("m", "champion", 1, "areaUnderROC", 0.6).promoted());
    try (var walk = Files.walk(Path.of(lh.layout().model("m", 1)))) { // a version deleted by hand
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    assertEquals(List.of("@champion → v1 (deleted)"), registry.describeAliases("m"));
    var unset = assertThrows(LakelineException.NotFound.class, () -> registry.resolve("m", "@challenger"));
    assertTrue(unset.getMessage().contains("(its aliases: @champion → v1 (deleted))"), unset.getMessage());
    var dangling = assertThrows(LakelineException.NotFound.class, () -> registry.resolve("m", "@champion"));
    assertEquals("Model m's alias 'champion' points at v1, which is no longer registered (its folder was deleted). Point the "
        + "alias at a registered version ([v2, v3]): 'lakeline models alias m champion <version>'.", dangling.getMessage());
    // the next training's promotion is no NotFound after registering: a version below the minimum still stays out
    Promotion low = registry.promoteIfBetter("m", "champion", 2, "areaUnderROC", 0.6);
    assertEquals("champion stays v1: v2's areaUnderROC 0.5500 is below the minimum 0.6000; v1, where champion pointed, is no "
        + "longer registered", low.reason());
    Promotion next = registry.promoteIfBetter("m", "champion", 3, "areaUnderROC", 0.6);
    assertTrue(next.promoted(), next.reason());
    assertEquals("champion → v3: areaUnderROC 0.7000 reaches the minimum 0.6000; v1, where champion pointed, is no longer "
        + "registered", next.reason());
    assertEquals(3, registry.resolve("m", "@champion").version());
  }

  @Test
  void aRetrainingWhoseMetricDiffersOnlyInItsLastBitsIsATieAndKeepsTheAlias(SparkSession spark, TestLakehouse lh) {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    // the demo's model trained twice from the same rows: the same AUC but for the floating-point noise of the fit
    double[] auc = {0.769207596353063, 0.7692075963530632};
    double[] rmse = {0.4000000000000001, 0.4};
    for (int i = 0; i < auc.length; i++) {
      registry.register("m", model, card("r" + i, Map.of("areaUnderROC", auc[i], "rmse", rmse[i])));
    }
    assertTrue(registry.promoteIfBetter("m", "champion", 1, "areaUnderROC", 0.6).promoted());
    Promotion same = registry.promoteIfBetter("m", "champion", 2, "areaUnderROC", 0.6);
    assertFalse(same.promoted(), same.reason());
    assertEquals("champion stays v1: v2's areaUnderROC 0.7692 does not beat v1's 0.7692", same.reason());
    assertTrue(registry.promoteIfBetter("m", "lowest-rmse", 1, "rmse", 0.5).promoted());
    assertFalse(registry.promoteIfBetter("m", "lowest-rmse", 2, "rmse", 0.5).promoted(), "an error metric: noise is a tie too");
    assertEquals(Map.of("champion", 1, "lowest-rmse", 1), registry.aliases("m"));
  }

  @Test
  void latestAndBestForADateChooseAmongTheVersionsTrainedByThen(SparkSession spark, TestLakehouse lh) {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    registry.register("m", model, dated("a", "2024-05-06", 0.70));
    registry.register("m", model, dated("b", "2024-05-13", 0.90));
    registry.register("m", model, dated("c", "2024-05-20", 0.75));
    registry.register("m", model, dated("d", null, 0.60)); // trained outside a job: no date, always a candidate
    java.time.LocalDate may15 = java.time.LocalDate.parse("2024-05-15");
    assertEquals(4, registry.resolveAsOf("m", "latest", java.time.LocalDate.parse("2024-05-31")).version());
    assertEquals(4, registry.resolveAsOf("m", "latest", may15).version(), "the undated version counts");
    assertEquals(2, registry.resolveAsOf("m", "best:areaUnderROC", may15).version());
    assertEquals(1, registry.resolveAsOf("m", "best:areaUnderROC", java.time.LocalDate.parse("2024-05-12")).version(),
        "v2 of 05-13 is later than the date");
    assertEquals(3, registry.resolveAsOf("m", "3", may15).version(), "an exact version is the caller's choice");
    assertEquals(4, registry.resolve("m", "latest").version());

    ModelRegistry dated = ModelRegistry.open(spark, lh.layout());
    dated.register("n", model, dated("a", "2024-05-06", 0.70));
    var early = assertThrows(LakelineException.NotFound.class, () -> dated.resolveAsOf("n", "latest", java.time.LocalDate.parse("2024-05-01")));
    assertTrue(early.getMessage().contains("no version trained for 2024-05-01 or before")
        && early.getMessage().contains("v1 of 2024-05-06") && early.getMessage().contains("--model-version"), early.getMessage());
  }

  @Test
  void anAliasForADateIsTheVersionItPointedAtAmongThoseTrainedByThen(SparkSession spark, TestLakehouse lh) {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    registry.register("m", model, dated("a", "2024-05-06", 0.70));
    registry.register("m", model, dated("b", "2024-05-13", 0.80));
    registry.register("m", model, dated("c", "2024-05-20", 0.90));
    java.time.LocalDate may15 = java.time.LocalDate.parse("2024-05-15");
    registry.setAlias("m", "champion", 1, "first");
    registry.setAlias("m", "champion", 2, "better");
    registry.setAlias("m", "champion", 3, "better again");
    assertEquals(3, registry.resolve("m", "@champion").version(), "without a date: where it points now");
    assertEquals(3, registry.resolveAsOf("m", "@champion", java.time.LocalDate.parse("2024-05-20")).version());
    // a rerun of 05-15 after v3 (trained for 05-20) took the alias scores with the champion of 05-15, as it did then
    assertEquals(2, registry.resolveAsOf("m", "@champion", may15).version());
    assertEquals(1, registry.resolveAsOf("m", "@champion", java.time.LocalDate.parse("2024-05-10")).version());
    var early = assertThrows(LakelineException.NotFound.class,
        () -> registry.resolveAsOf("m", "@champion", java.time.LocalDate.parse("2024-05-01")));
    assertEquals("Model m's alias 'champion' points at v3, trained for 2024-05-20, and never pointed at a registered version "
        + "trained for 2024-05-01 or before, so a job of that date has no champion to score with. Score it with a version "
        + "trained by then (--model-version latest), or by its number.", early.getMessage());
    // a rollback by hand to v1 counts for every date after v1's
    registry.setAlias("m", "champion", 1, "rollback");
    assertEquals(1, registry.resolveAsOf("m", "@champion", may15).version());
    assertEquals(1, registry.resolveAsOf("m", "@champion", java.time.LocalDate.parse("2024-05-31")).version());
    // an alias never set names what to do
    var none = assertThrows(LakelineException.NotFound.class, () -> registry.resolveAsOf("m", "@shadow", may15));
    assertTrue(none.getMessage().startsWith("Model m has no alias 'shadow' (its aliases: @champion → v1): no version has taken "
        + "it yet.") && none.getMessage().contains("--model-version latest"), none.getMessage());
  }

  @Test
  void aBackfilledVersionIsNeitherLatestForLaterDatesNorTakesTheAlias(SparkSession spark, TestLakehouse lh) {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    registry.register("m", model, dated("june", "2024-06-30", 0.70));
    assertTrue(registry.promoteIfBetter("m", "champion", 1, "areaUnderROC", 0.6).promoted());
    // an Airflow backfill trains May after June: registered later, trained for an earlier date, and better
    registry.register("m", model, dated("may", "2024-05-31", 0.90));
    java.time.LocalDate june30 = java.time.LocalDate.parse("2024-06-30");
    assertEquals(1, registry.resolveAsOf("m", "latest", june30).version(), "June's rerun keeps June's model");
    assertEquals(2, registry.resolveAsOf("m", "latest", java.time.LocalDate.parse("2024-06-15")).version());
    assertEquals(2, registry.resolve("m", "latest").version(), "without a date: the last registered");
    Promotion backfill = registry.promoteIfBetter("m", "champion", 2, "areaUnderROC", 0.6);
    assertFalse(backfill.promoted(), backfill.reason());
    assertEquals("champion stays v1: v2 is trained for 2024-05-31, before v1's 2024-06-30 (a backfill)", backfill.reason());
    assertEquals(Map.of("champion", 1), registry.aliases("m"));
    // a later date's better version takes it as before; so does one of the same date
    registry.register("m", model, dated("july", "2024-07-31", 0.80));
    assertTrue(registry.promoteIfBetter("m", "champion", 3, "areaUnderROC", 0.6).promoted());
    registry.register("m", model, dated("july-again", "2024-07-31", 0.85));
    assertTrue(registry.promoteIfBetter("m", "champion", 4, "areaUnderROC", 0.6).promoted());
    assertEquals(4, registry.resolveAsOf("m", "latest", java.time.LocalDate.parse("2024-08-01")).version());
  }

  private static ModelCard dated(String runKey, String logicalDate, double auc) {
    return new ModelCard(runKey, "test", Map.of(), Map.of("areaUnderROC", auc), "td", Map.of(), List.of("x"), "label", logicalDate, Map.of());
  }

  @Test
  void aPromotionDecidesAgainWhenTheAliasMovedWhileItWasDeciding(SparkSession spark, TestLakehouse lh) {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    double[] auc = {0.77, 0.80, 0.78};
    for (int i = 0; i < auc.length; i++) {
      registry.register("m", model, card("r" + i, Map.of("areaUnderROC", auc[i])));
    }
    assertTrue(registry.promoteIfBetter("m", "champion", 1, "areaUnderROC", 0.6).promoted());
    // v3 (0.78) beats v1; while its move is being written, another training promotes v2 (0.80)
    ModelRegistry other = ModelRegistry.open(spark, lh.layout());
    AtomicBoolean once = new AtomicBoolean();
    registry.beforeLogAppend(() -> {
      if (once.compareAndSet(false, true)) {
        assertTrue(other.promoteIfBetter("m", "champion", 2, "areaUnderROC", 0.6).promoted());
      }
    });
    Promotion late = registry.promoteIfBetter("m", "champion", 3, "areaUnderROC", 0.6);
    assertFalse(late.promoted(), late.reason());
    assertEquals("champion stays v2: v3's areaUnderROC 0.7800 does not beat v2's 0.8000", late.reason());
    assertEquals(Map.of("champion", 2), registry.aliases("m"), "the better model stays champion");
    assertEquals(List.of(1, 2), registry.aliasLog("m").stream().map(AliasMove::version).toList());
  }

  @Test
  void concurrentAliasMovesEachTakeTheirOwnPlaceInTheLog(SparkSession spark, TestLakehouse lh) throws Exception {
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = tinyModel(spark);
    for (int i = 1; i <= 6; i++) {
      registry.register("m", model, card("r" + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new java.util.ArrayList<>();
      for (int v = 1; v <= 6; v++) {
        int version = v;
        futures.add(pool.submit(() -> registry.setAlias("m", "champion", version, "race")));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    List<AliasMove> log = registry.aliasLog("m");
    assertEquals(6, log.size(), "every move logged once");
    assertEquals(Set.of(1, 2, 3, 4, 5, 6), log.stream().map(AliasMove::version).collect(java.util.stream.Collectors.toSet()));
    for (int i = 1; i < log.size(); i++) {
      assertEquals(log.get(i - 1).version(), log.get(i).previous(), "each move starts where the one before it ended");
    }
    assertEquals(log.get(5).version(), registry.resolve("m", "@champion").version(), "the last entry wins");
  }
}
