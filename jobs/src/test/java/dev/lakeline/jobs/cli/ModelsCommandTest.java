package dev.lakeline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import dev.lakeline.jobs.reports.HtmlCharts;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import dev.lakeline.training.ModelCard;
import dev.lakeline.training.ModelRegistry;
import dev.lakeline.training.ModelVersion;
import dev.lakeline.training.ScoreDistribution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lakeline models list | show | alias | aliases} on a registry with three versions. */
@SparkTest
class ModelsCommandTest {
  /** A fitted pipeline of one SQL step (y = 2x): the registry stores it as it would a trained model. */
  private static PipelineModel doubler(SparkSession spark) {
    return new Pipeline()
        .setStages(new PipelineStage[] {new SQLTransformer().setStatement("SELECT *, x * 2 AS y FROM __THIS__")})
        .fit(spark.range(3).toDF("x"));
  }

  @Test
  void versionsAliasesAndTheirLogFromTheCommandLine(SparkSession spark, TestLakehouse lh, @TempDir Path dir) throws IOException {
    Cli empty = Cli.inLakehouse(lh, "models", "list");
    assertEquals(0, empty.exitCode(), empty.err());
    assertTrue(empty.out().contains("no models under"), empty.out());

    PipelineModel model = doubler(spark);
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    double[] auc = {0.71, 0.93, 0.80};
    // v2's test scores, in 10 bins: negatives low, positives high; 0.5 and up predicted positive
    ScoreDistribution scores = new ScoreDistribution(10, new long[] {50, 30, 10, 5, 3, 1, 1, 0, 0, 0},
        new long[] {1, 2, 3, 4, 5, 6, 8, 10, 12, 20});
    for (int i = 0; i < auc.length; i++) {
      registry.register("scorer", model, new ModelCard("run" + i, "logistic_regression", Map.of("regParam", "0.01"),
          Map.of("areaUnderROC", auc[i], "test_rows", 500.0), (i == 1 ? "/old-lake/training_datasets/scorer_view/v1/" : "") + "td" + (i + 1), Map.of("loans v1", (long) i), List.of("x"),
          "label", "2024-06-0" + (i + 1), Map.of("Spark", "3.5.7")), i == 1 ? scores : null);
    }

    Cli set = Cli.inLakehouse(lh, "models", "alias", "scorer", "champion", "1", "--reason", "first in production");
    assertEquals(0, set.exitCode(), set.err());
    assertEquals("scorer champion: set to v1", set.out().strip());
    Cli promote = Cli.inLakehouse(lh, "models", "alias", "scorer", "champion", "best:areaUnderROC", "--reason", "best AUC");
    assertEquals("scorer champion: v1 → v2", promote.out().strip(), promote.err());
    Cli same = Cli.inLakehouse(lh, "models", "alias", "scorer", "champion", "2");
    assertTrue(same.out().contains("already v2 (nothing logged)"), same.out());
    assertEquals(0, Cli.inLakehouse(lh, "models", "alias", "scorer", "challenger", "latest").exitCode());

    Cli all = Cli.inLakehouse(lh, "models", "list");
    assertTrue(all.out().matches("(?s)model +versions +latest +aliases\nscorer +3 +v3 +@challenger → v3, @champion → v2\n"), all.out());
    Cli versions = Cli.inLakehouse(lh, "models", "list", "scorer");
    assertEquals(0, versions.exitCode(), versions.err());
    // v2's card names a dataset in the lakehouse it was trained in (since moved): listed by its name
    assertTrue(versions.out().matches("(?s).*\nv2 +logistic_regression +2024-06-02 +0\\.9300 +@champion +scorer_view v1 td2\n.*"), versions.out());

    Cli show = Cli.inLakehouse(lh, "models", "show", "scorer", "@champion");
    assertEquals(0, show.exitCode(), show.err());
    assertTrue(show.out().startsWith("model scorer v2 → "), show.out());
    assertTrue(show.out().contains("  aliases     @champion\n"), show.out());
    assertTrue(show.out().contains("  dataset     scorer_view v1 td2 (no longer in this lakehouse)\n"), show.out());
    assertTrue(show.out().contains("    areaUnderROC           0.9300\n") && show.out().contains("    test_rows              500\n"), show.out());

    Path page = dir.resolve("v2.html");
    Cli report = Cli.inLakehouse(lh, "models", "show", "scorer", "@champion", "--report", page.toString());
    assertEquals(0, report.exitCode(), report.err());
    assertTrue(report.out().contains("report      " + page.toAbsolutePath()), report.out());
    String html = Files.readString(page);
    assertEquals(List.of("ROC curve", "precision-recall curve", "scores by class", "calibration by deciles"), HtmlCharts.of(html));
    // predicted positive from bin 5 (0.5) up: negatives 1+1 = 2 false positives, positives 6+8+10+12+20 = 56 true positives
    assertTrue(html.contains("<tr><th>actual 0</th><td class=\"n\">98</td><td class=\"n\">2</td></tr>"
        + "<tr><th>actual 1</th><td class=\"n\">15</td><td class=\"n\">56</td></tr>"), html.substring(html.indexOf("<h3>")));
    Cli cardOnly = Cli.inLakehouse(lh, "models", "show", "scorer", "1", "--report", dir.resolve("v1.html").toString());
    assertTrue(cardOnly.out().contains("(the card only: this version has no stored test scores)"), cardOnly.out());
    assertEquals(List.of(), HtmlCharts.of(Files.readString(dir.resolve("v1.html"))));
    // a report that cannot be written stops the command before the card is printed
    Files.writeString(dir.resolve("a-file"), "");
    for (String bad : new String[] {"", dir.resolve("a-file").resolve("v1.html").toString()}) {
      Cli unwritable = Cli.inLakehouse(lh, "models", "show", "scorer", "1", "--report", bad);
      assertEquals(ExitCode.USAGE_OR_CONFIG.code(), unwritable.exitCode(), "'" + bad + "': " + unwritable.err());
      assertEquals("", unwritable.out(), "'" + bad + "'");
      assertTrue(unwritable.err().contains(bad.isEmpty() ? "--report needs a file name" : "Cannot write the report to " + bad),
          unwritable.err());
    }

    Cli log = Cli.inLakehouse(lh, "models", "aliases", "scorer");
    assertEquals(0, log.exitCode(), log.err());
    assertTrue(log.out().startsWith("@challenger → v3\n@champion → v2\n"), log.out());
    assertTrue(log.out().matches("(?s).*\n1 +champion: set to v1 +first in production .*\n2 +champion: v1 → v2 +best AUC .*\n3 +challenger: set to v3 .*"),
        log.out());

    Cli removed = Cli.inLakehouse(lh, "models", "alias", "scorer", "challenger", "--remove", "--reason", "v3 retired");
    assertEquals("scorer challenger: removed (was v3)", removed.out().strip(), removed.err());

    Cli neither = Cli.inLakehouse(lh, "models", "alias", "scorer", "champion");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), neither.exitCode());
    assertTrue(neither.err().contains("--remove"), neither.err());
    Cli unknown = Cli.inLakehouse(lh, "models", "list", "scorr");
    assertEquals(ExitCode.NOT_FOUND.code(), unknown.exitCode(), unknown.out());
    assertTrue(unknown.err().contains("There is no model scorr under ") && unknown.err().contains("Its models: scorer."), unknown.err());
    assertEquals(ExitCode.NOT_FOUND.code(), Cli.inLakehouse(lh, "models", "aliases", "scorr").exitCode());
    // a misspelt model is named as such, with the models there are, by every subcommand
    String[][] misspelt = {{"show", "scorr"}, {"alias", "scorr", "champion", "1"}, {"alias", "scorr", "champion", "--remove"}};
    for (String[] args : misspelt) {
      Cli typo = Cli.inLakehouse(lh, java.util.stream.Stream.concat(java.util.stream.Stream.of("models"),
          java.util.Arrays.stream(args)).toArray(String[]::new));
      assertEquals(ExitCode.NOT_FOUND.code(), typo.exitCode(), typo.err());
      assertTrue(typo.err().contains("There is no model scorr under ") && typo.err().contains("Its models: scorer."),
          String.join(" ", args) + ": " + typo.err());
    }
    Cli asListed = Cli.inLakehouse(lh, "models", "show", "scorer", "v2");
    assertTrue(asListed.out().startsWith("model scorer v2 → "), asListed.out() + asListed.err());
    Cli noAlias = Cli.inLakehouse(lh, "models", "show", "scorer", "@challenger");
    assertEquals(ExitCode.NOT_FOUND.code(), noAlias.exitCode());
    assertTrue(noAlias.err().contains("no alias 'challenger'") && noAlias.err().contains("(its aliases: @champion → v2)"), noAlias.err());
    assertFalse(noAlias.hasStackTrace(), noAlias.err());
    Cli noVersion = Cli.inLakehouse(lh, "models", "alias", "scorer", "champion", "7");
    assertEquals(ExitCode.NOT_FOUND.code(), noVersion.exitCode());
    assertEquals(2, registry.resolve("scorer", "@champion").version(), "a failed move changes nothing");

    // a card written before Lakeline recorded the input schema and the training data: said, not failed on
    Cli old = Cli.inLakehouse(lh, "models", "show", "scorer", "1", "--report", dir.resolve("old.html").toString());
    assertEquals(0, old.exitCode(), old.err());
    assertTrue(old.out().contains("  training rows not recorded (the card was written before Lakeline recorded it)\n")
        && old.out().contains("  inputs      not recorded (the card was written before Lakeline recorded it)\n"), old.out());
    assertTrue(Files.readString(dir.resolve("old.html")).contains("Input schema and transformations: not recorded"));
  }

  @Test
  void aThresholdChosenOnAValidationSplitOrOutOfFoldScoresIsDrawnWithItsCurves(SparkSession spark, TestLakehouse lh, @TempDir Path dir) throws IOException {
    PipelineModel model = doubler(spark);
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    ScoreDistribution test = new ScoreDistribution(10, new long[] {50, 30, 10, 5, 3, 1, 1, 0, 0, 0},
        new long[] {1, 2, 3, 4, 5, 6, 8, 10, 12, 20});
    ScoreDistribution validation = new ScoreDistribution(10, new long[] {40, 20, 10, 5, 2, 1, 1, 0, 0, 0},
        new long[] {1, 1, 3, 4, 5, 6, 7, 9, 10, 14});
    Map<String, String> params = Map.of("threshold", "0.3", "thresholdChoice", "best-f1");
    Map<String, Double> metrics = Map.of("areaUnderROC", 0.9, "precision", 0.871, "recall", 0.915, "validation_rows", 139.0,
        "validation_precision", 0.8554, "validation_recall", 0.9467, "validation_f1", 0.8987);
    registry.register("chooser", new dev.lakeline.training.Trainer.Trained(model, metrics, params, test, validation),
        new ModelCard("run1", "logistic_regression", params, metrics, "td1", Map.of(), List.of("x"), "label", "2024-06-01",
            Map.of()), null);
    // a version whose card has the choice's metrics, registered before the validation scores were kept
    registry.register("chooser", model, new ModelCard("run2", "logistic_regression", params, metrics, "td1", Map.of(),
        List.of("x"), "label", "2024-06-01", Map.of()), test);

    Cli report = Cli.inLakehouse(lh, "models", "show", "chooser", "1", "--report", dir.resolve("v1.html").toString());
    assertEquals(0, report.exitCode(), report.err());
    String html = Files.readString(dir.resolve("v1.html"));
    assertEquals(List.of("ROC curve", "precision-recall curve", "scores by class", "calibration by deciles",
        "precision, recall and F1 by threshold"), HtmlCharts.of(html));
    assertTrue(html.contains("<h2>The threshold, chosen on the validation split</h2>\n<p>best-f1 chose 0.3 on 139 validation "
        + "rows, neither trained nor tested on: there, precision 0.855 · recall 0.947 · F1 0.899. On the test split at it: "
        + "precision 0.871 · recall 0.915.</p>"), html.substring(html.indexOf("<h2>On the test split")));
    Cli old = Cli.inLakehouse(lh, "models", "show", "chooser", "2", "--report", dir.resolve("v2.html").toString());
    assertEquals(0, old.exitCode(), old.err());
    String oldHtml = Files.readString(dir.resolve("v2.html"));
    assertEquals(4, HtmlCharts.of(oldHtml).size(), "the test split's four charts, no chart of the choice");
    // a version whose threshold had the lowest cost: the page says the cost
    Map<String, String> costParams = Map.of("threshold", "0.2", "thresholdChoice", "min-cost 5.0");
    Map<String, Double> costMetrics = new java.util.HashMap<>(metrics);
    costMetrics.put("validation_cost", 0.4821);
    String costHtml = registeredPage(registry, lh, dir, model, costParams, costMetrics, test, validation);
    assertTrue(costHtml.contains("<p>min-cost 5.0 chose 0.2 on 139 validation rows, neither "
        + "trained nor tested on: there, precision 0.855 · recall 0.947 · F1 0.899 · cost 0.482 per row."));
    assertEquals(List.of("ROC curve", "precision-recall curve", "scores by class", "calibration by deciles",
        "precision, recall and F1 by threshold", "cost per row by threshold"), HtmlCharts.of(costHtml),
        "a min-cost version's page draws its cost too");
    assertTrue(oldHtml.contains("best-f1 chose 0.3 on 139 validation rows") && oldHtml.contains(
        "The validation split's scores were not kept with this version"), oldHtml.substring(oldHtml.indexOf("<h2>On the test split")));
    // a threshold chosen on out-of-fold scores of the train split says so, with its folds
    Map<String, String> foldParams = Map.of("threshold", "0.3", "thresholdChoice", "best-f1", "thresholdFolds", "5");
    String folds = registeredPage(registry, lh, dir, model, foldParams, metrics, test, validation);
    assertTrue(folds.contains("<h2>The threshold, chosen on out-of-fold scores</h2>\n<p>best-f1 chose 0.3 on 139 train rows' "
        + "out-of-fold scores (5 folds), each fold scored by the model fitted on the other folds, then the model fitted on "
        + "every train row: there, precision 0.855 · recall 0.947 · F1 0.899."), folds.substring(folds.indexOf("<h2>On the test split")));
    assertEquals(5, HtmlCharts.of(folds).size(), folds);
  }

  /** Registers the next version of model chooser with both score sets, and returns its page from models show --report. */
  private static String registeredPage(ModelRegistry registry, TestLakehouse lh, Path dir, PipelineModel model,
      Map<String, String> params, Map<String, Double> metrics, ScoreDistribution test, ScoreDistribution validation)
      throws IOException {
    ModelVersion v = registry.register("chooser", new dev.lakeline.training.Trainer.Trained(model, metrics, params, test,
        validation), new ModelCard("run" + (registry.versions("chooser").size() + 1), "logistic_regression", params, metrics,
        "td1", Map.of(), List.of("x"), "label", "2024-06-01", Map.of()), null);
    Path page = dir.resolve("v" + v.version() + ".html");
    Cli show = Cli.inLakehouse(lh, "models", "show", "chooser", String.valueOf(v.version()), "--report", page.toString());
    assertEquals(0, show.exitCode(), show.err());
    return Files.readString(page);
  }

  @Test
  void deletingAVersionAndACardOfNow(SparkSession spark, TestLakehouse lh, @TempDir Path dir) throws IOException {
    PipelineModel model = doubler(spark);
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    for (int i = 1; i <= 2; i++) {
      registry.register("scorer", model, new ModelCard("run" + i, "logistic_regression", Map.of(), Map.of("areaUnderROC", 0.7),
          "td" + i, Map.of(), List.of("x"), "label", "2024-06-0" + i, Map.of()));
    }
    // v3 with what cards record now: its inputs and how its rows were chosen and split
    registry.register("scorer", model, new ModelCard("run3", "logistic_regression", Map.of(), Map.of("areaUnderROC", 0.7), "td3",
        Map.of(), List.of("x", "plan"), "label", "2024-06-03", Map.of(), null,
        List.of(new ModelCard.Input("x", "double", "numeric", "robust_scaler"), new ModelCard.Input("plan", "string", "categorical", null)),
        new ModelCard.TrainingData("day < DATE'2024-06-01'", "day", "2024-01-01", "2024-05-31",
            dev.lakeline.featurestore.SplitSpec.random(0, 0.2), 42)));
    registry.setAlias("scorer", "champion", 2, "");
    Path page = dir.resolve("v3.html");
    Cli card = Cli.inLakehouse(lh, "models", "show", "scorer", "3", "--report", page.toString());
    assertEquals(0, card.exitCode(), card.err());
    assertTrue(card.out().contains("  rows where  day < DATE'2024-06-01'\n  time range  2024-01-01 to 2024-05-31 (day of the dataset's "
        + "rows)\n  split       random by row: 80 % train, 20 % test (of the rows, seeded) · seed 42\n"), card.out());
    assertTrue(card.out().matches("(?s).*\n  inputs\n    feature +Spark type +kind +declared transformation\n"
        + "    x +double +numeric +robust_scaler\n    plan +string +categorical +none declared\n.*"), card.out());
    String html = Files.readString(page);
    assertTrue(html.contains("<tr><td>x</td><td>double</td><td>numeric</td><td>robust_scaler</td></tr>")
        && html.contains("<tr><th>split</th><td>random by row: 80 % train, 20 % test (of the rows, seeded) · seed 42</td></tr>"), html);

    Cli held = Cli.inLakehouse(lh, "models", "delete", "scorer", "2");
    assertEquals(ExitCode.CONFLICT.code(), held.exitCode(), held.out() + held.err());
    assertTrue(held.err().contains("Cannot delete scorer v2: the alias @champion points at it.")
        && held.err().contains("'lakeline models alias scorer champion <version>'"), held.err());
    assertFalse(held.hasStackTrace(), held.err());
    Cli moving = Cli.inLakehouse(lh, "models", "delete", "scorer", "latest");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), moving.exitCode());
    assertTrue(moving.err().contains("models delete takes a version number (3 or v3), not 'latest'"), moving.err());

    Cli check = Cli.inLakehouse(lh, "models", "delete", "scorer", "v1", "--check");
    assertEquals(0, check.exitCode(), check.err());
    assertTrue(check.out().matches("check: nothing deleted; deleting scorer v1 would remove model.json, model/ \\(\\d+ files\\)\n"),
        check.out());
    Cli deleted = Cli.inLakehouse(lh, "models", "delete", "scorer", "1", "--reason", "never used");
    assertEquals(0, deleted.exitCode(), deleted.err());
    assertTrue(deleted.out().matches("deleted scorer v1: model.json, model/ \\(\\d+ files\\); its card is kept in "
        + "_deleted/v1.json, and v1 is never given to another version\n"), deleted.out());
    Cli versions = Cli.inLakehouse(lh, "models", "list", "scorer");
    assertFalse(versions.out().contains("\nv1 "), versions.out());
    Cli show = Cli.inLakehouse(lh, "models", "show", "scorer", "1");
    assertEquals(ExitCode.NOT_FOUND.code(), show.exitCode());
    assertTrue(show.err().contains("Model scorer has no version 1: it was deleted by ") && show.err().contains("(never used)"),
        show.err());
    Cli again = Cli.inLakehouse(lh, "models", "delete", "scorer", "1");
    assertEquals(ExitCode.NOT_FOUND.code(), again.exitCode(), again.out());
    Cli typo = Cli.inLakehouse(lh, "models", "delete", "scorr", "1");
    assertTrue(typo.err().contains("There is no model scorr under ") && typo.err().contains("Its models: scorer."), typo.err());

    // an alias left pointing at a version whose folder was removed by hand: every listing says so
    registry.setAlias("scorer", "challenger", 3, "");
    try (var walk = Files.walk(Path.of(lh.layout().model("scorer", 3)))) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    Cli all = Cli.inLakehouse(lh, "models", "list");
    assertTrue(all.out().matches("(?s).*\nscorer +1 +v2 +@challenger → v3 \\(deleted\\), @champion → v2\n"), all.out());
    Cli one = Cli.inLakehouse(lh, "models", "list", "scorer");
    assertTrue(one.out().endsWith("@challenger → v3 (deleted): resolves to nothing; point it at a version with 'lakeline models "
        + "alias scorer challenger <version>'\n"), one.out());
    Cli aliases = Cli.inLakehouse(lh, "models", "aliases", "scorer");
    assertTrue(aliases.out().startsWith("@challenger → v3 (deleted)\n@champion → v2\n"), aliases.out());

    // the model's last version deleted: showing it says who deleted it, not that no model was ever trained
    registry.removeAlias("scorer", "champion", "");
    assertEquals(0, Cli.inLakehouse(lh, "models", "delete", "scorer", "2").exitCode());
    Cli last = Cli.inLakehouse(lh, "models", "show", "scorer", "2");
    assertEquals(ExitCode.NOT_FOUND.code(), last.exitCode());
    assertTrue(last.err().contains("Model scorer has no version 2: it was deleted by "), last.err());
  }
}
