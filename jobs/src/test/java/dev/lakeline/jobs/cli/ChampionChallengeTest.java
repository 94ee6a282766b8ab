package dev.lakeline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.featurestore.FeatureGroupSpec;
import dev.lakeline.featurestore.FeatureStore;
import dev.lakeline.featurestore.InsertOptions;
import dev.lakeline.featurestore.TrainingDataset;
import dev.lakeline.jobs.reports.HtmlCharts;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import dev.lakeline.training.ModelRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promotion measures the new version and the champion on the same rows: the new version's test split less the rows the
 * champion was trained on. Each version's AUC on its own test split would keep a champion whose world has changed.
 */
@SparkTest
class ChampionChallengeTest {
  private static final String VIEW = """
      name: accounts
      version: 1
      base: {group: accounts, version: 1}
      features: [x]
      labels: [closed]
      """;

  private static final String MODEL = """
      feature_view: {name: accounts, version: 1, file: views/accounts.yaml}
      label: closed
      features:
        numeric: [x]
      """;

  @Test
  void theChampionIsMeasuredOnTheNewVersionsTestRowsItWasNotTrainedOn(SparkSession spark, TestLakehouse lh, @TempDir Path dir)
      throws IOException {
    Files.createDirectories(dir.resolve("views"));
    Files.writeString(dir.resolve("views/accounts.yaml"), VIEW);
    Path model = Files.writeString(dir.resolve("accounts.yaml"), MODEL);
    // 2,400 accounts over 120 days from 2024-01-01: in the first 60 days a high x closes (5 % noise), from then on a low
    // x does (25 % noise); the relation turned round, as it can after a product or policy change
    Dataset<Row> accounts = spark.sql("""
        SELECT concat('a', id) AS account_id, CAST(DATE'2024-01-01' + CAST(id % 120 AS INT) AS DATE) AS opened,
               ((id * 7919) % 1000) / 1000.0 - 0.5 AS x,
               CAST(CASE WHEN id % 120 < 60 THEN (((id * 7919) % 1000) >= 500) <> ((id * 104729) % 100 < 5)
                         ELSE (((id * 7919) % 1000) < 500) <> ((id * 104729) % 100 < 25) END AS INT) AS closed
        FROM range(2400)""");
    FeatureStore store = FeatureStore.open(spark, lh.layout());
    store.createFeatureGroup(FeatureGroupSpec.of("accounts", List.of("account_id"), "opened"), accounts.schema())
        .insert(accounts, InsertOptions.append("accounts:2024-04-30"));
    String[] own = {"--model-file", model.toString(), "--set", "model.name=accounts", "--set", "training.label-delay-days=0",
        "--set", "training.history-days=60", "--set", "training.min-auc=0.6"};
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());

    Cli first = Cli.inLakehouse(lh, concat(own, "train", "--date", "2024-03-01"));
    assertEquals(0, first.exitCode(), first.err() + first.out());
    assertEquals(1, registry.aliases("accounts").get("champion"));
    double v1Auc = registry.get("accounts", 1).card().metrics().get("areaUnderROC");

    // v2 learns the new relation; on its own test split it scores below v1's on v1's, which kept v1 before
    Cli second = Cli.inLakehouse(lh, concat(own, "train", "--date", "2024-04-30"));
    assertEquals(0, second.exitCode(), second.err() + second.out());
    double v2Auc = registry.get("accounts", 2).card().metrics().get("areaUnderROC");
    assertTrue(v2Auc < v1Auc && v2Auc > 0.6, v1Auc + " " + v2Auc);
    assertEquals(2, registry.aliases("accounts").get("champion"), second.out());
    TrainingDataset td2 = store.listTrainingDatasets("accounts", 1).get(1);
    long v2Test = td2.test().count();
    String fair = String.format(Locale.ROOT, "champion → v2: areaUnderROC %.4f beats v1's ", v2Auc);
    assertTrue(second.out().contains(fair), second.out());
    assertTrue(second.out().contains(String.format(Locale.ROOT, " on the %,d rows of v2's test split that v1 was not trained "
        + "on", v2Test)), "v1 was trained on none of the later window's rows: " + second.out());
    assertEquals(registry.aliasLog("accounts").get(1).reason(), second.out().lines()
        .filter(l -> l.contains("champion → v2")).findFirst().orElseThrow().replaceAll("^.*champion → v2: ", ""));
    // models compare measures the two on the rows promotion did, and gets its numbers; v1, which learnt the old
    // relation, ranks these later accounts worse than chance
    java.util.regex.Matcher promoted = java.util.regex.Pattern.compile("areaUnderROC ([0-9.]+) beats v1's ([0-9.]+) on "
        + "(the [0-9,]+ rows of v2's test split that v1 was not trained on)").matcher(second.out());
    assertTrue(promoted.find(), second.out());
    Path page = dir.resolve("compare.html");
    Cli compare = Cli.inLakehouse(lh, concat(own, "models", "compare", "accounts", "latest", "1", "--report", page.toString()));
    assertEquals(0, compare.exitCode(), compare.err() + compare.out());
    assertTrue(compare.out().contains("accounts v2 against v1 on " + promoted.group(3) + " ("), compare.out());
    assertTrue(compare.out().matches("(?s).*\nareaUnderROC +" + java.util.regex.Pattern.quote(promoted.group(1)) + " +"
        + java.util.regex.Pattern.quote(promoted.group(2)) + " +\\+[0-9.]+ +v2\n.*"), compare.out());
    assertTrue(Double.parseDouble(promoted.group(2)) < 0.5, "v1 ranks the turned relation backwards: " + promoted.group(2));
    assertTrue(compare.out().matches("(?s).*\nlogLoss \\(lower is better\\) +[0-9.]+ +[0-9.]+ +-[0-9.]+ +v2\n.*"),
        "v2's scores are the better probabilities: " + compare.out());
    assertEquals(List.of("ROC curves", "precision-recall curves"), HtmlCharts.of(Files.readString(page)));
    // a notebook's compare: the same rows and numbers
    dev.lakeline.jobs.pipelines.SameRows.Measured notebook = dev.lakeline.jobs.Lakeline.open(spark, lh.uri())
        .modelFile(model.toString(), "accounts").compare("latest", "1");
    assertEquals(promoted.group(3), notebook.rows());
    assertEquals(promoted.group(1), String.format(Locale.ROOT, "%.4f", notebook.candidate().get("areaUnderROC")));
    assertEquals(promoted.group(2), String.format(Locale.ROOT, "%.4f", notebook.holder().get("areaUnderROC")));
    Cli itself = Cli.inLakehouse(lh, concat(own, "models", "compare", "accounts", "2"));
    assertEquals(2, itself.exitCode(), itself.out());
    assertTrue(itself.err().contains("2 and @champion are both accounts v2: compare two different versions"), itself.err());
    assertFalse(itself.hasStackTrace(), itself.err());

    // v3: all 120 days with another seed, so its test split holds rows v2 was trained on; those are left out
    Cli third = Cli.inLakehouse(lh, append(concat(own, "train", "--date", "2024-04-30"),
        "--set", "training.history-days=120", "--set", "training.seed=8", "--set", "training.min-auc=0",
        "--set", "training.decision-threshold=0.3"));
    assertEquals(0, third.exitCode(), third.err() + third.out());
    // its threshold is saved inside the model and named by the card and the summary
    assertEquals(0.3, dev.lakeline.training.Trainer.threshold(registry.get("accounts", 3).card().params()), 1e-12);
    assertTrue(third.out().matches("(?s).*decisions: +precision [0-9.]+ · recall [0-9.]+ predicting 1 above a score of 0\\.3\n.*"),
        third.out());
    TrainingDataset td3 = store.listTrainingDatasets("accounts", 1).get(2);
    Dataset<Row> v3Test = td3.test().select("account_id");
    long unseen = v3Test.except(td2.read().where("split <> 'test'").select("account_id")).count();
    assertTrue(unseen > 0 && unseen < v3Test.count(), unseen + " of " + v3Test.count());
    assertTrue(third.out().contains(String.format(Locale.ROOT, "the %,d rows of v3's test split that v2 was not trained on",
        unseen)), third.out());

    // a hyperparameter search on v2's rows: L1 at 1 drops x (a constant score, AUC 0.5), at 0.001 it keeps it
    Cli search = Cli.inLakehouse(lh, append(concat(own, "train", "--date", "2024-04-30"), "--set", "training.promote-alias=",
        "--set", "training.search.grid=regParam=1,0.001; elasticNetParam=1"));
    assertEquals(0, search.exitCode(), search.err() + search.out());
    assertTrue(search.out().contains("searching 2 combinations of regParam=1,0.001; elasticNetParam=1 on 3 folds of the train "
        + "split: 6 fits, each scored (AUC) on the fold left out\n"), search.out());
    assertTrue(search.out().contains("search: fold 3 of 3 left out, 2 combinations fitted on the others and scored on it\n"),
        search.out());
    dev.lakeline.training.ModelVersion searched = registry.resolve("accounts", "latest");
    assertEquals("0.001", searched.card().params().get("regParam"));
    assertTrue(search.out().matches(String.format(Locale.ROOT, "(?s).*\nsearch: +regParam=0\\.001, elasticNetParam=1 chosen: "
        + "mean AUC %.4f on 3 folds of the train split \\(2 combinations; lakeline models show lists each\\)\n.*",
        searched.card().metrics().get("search_auc"))), search.out());
    Cli shown = Cli.inLakehouse(lh, "models", "show", "accounts", String.valueOf(searched.version()));
    assertEquals(0, shown.exitCode(), shown.err());
    assertTrue(shown.out().matches("(?s).*\n  search      2 combinations, each fitted on 3 folds .*\n    regParam +elasticNetParam "
        + "+mean AUC *\n    1 +1 +0\\.5000 *\n    0\\.001 +1 +0\\.[0-9]{4} +chosen\n.*"), shown.out());
    Path searchPage = dir.resolve("search.html");
    assertEquals(0, Cli.inLakehouse(lh, "models", "show", "accounts", String.valueOf(searched.version()), "--report",
        searchPage.toString()).exitCode());
    assertTrue(Files.readString(searchPage).contains("<h2>Hyperparameter search</h2>\n<p>2 combinations of regParam=1,0.001; "
        + "elasticNetParam=1, each fitted on 3 folds"), "the page has the search's table");

    // the daily inference of 04-29 scores that day's accounts with @champion (the default) as of 04-29: the versions
    // since were trained for 04-30, so it is v1, the champion of that date, and a rerun after today's promotion agrees
    Cli daily = Cli.inLakehouse(lh, concat(own, "infer", "--date", "2024-04-29", "--window-days", "1"));
    assertEquals(0, daily.exitCode(), daily.err() + daily.out());
    Dataset<Row> predictions = spark.read().format("delta").load(lh.layout().predictions("accounts"));
    assertEquals(accounts.where("opened = DATE'2024-04-29'").count(), predictions.count());
    assertEquals(List.of(1), predictions.select("model_version").distinct().as(org.apache.spark.sql.Encoders.INT()).collectAsList());
    // 04-30: the group was written for it and no account opened that day, which a daily schedule meets: not an error
    Cli quiet = Cli.inLakehouse(lh, concat(own, "infer", "--date", "2024-04-30", "--window-days", "1"));
    assertEquals(0, quiet.exitCode(), quiet.err() + quiet.out());
    assertTrue(quiet.out().contains("nothing to score for 2024-04-30: feature group accounts, written for 2024-04-30 or "
        + "later, holds no rows with opened in (2024-04-29, 2024-04-30]; nothing was written"), quiet.out());
    assertTrue(quiet.out().matches("(?s).*drift: +not measured: nothing to score.*"), quiet.out());
    // a date before the group's first row is no quiet day but a mistake, as before
    Cli early = Cli.inLakehouse(lh, concat(own, "infer", "--date", "2023-12-31", "--window-days", "1", "--model-version", "1"));
    assertEquals(3, early.exitCode(), early.err() + early.out());
    assertTrue(early.err().contains("Nothing to score for 2023-12-31"), early.err());
    assertEquals(accounts.where("opened = DATE'2024-04-29'").count(),
        spark.read().format("delta").load(lh.layout().predictions("accounts")).count(), "nothing written since");

    // monitoring judges with the labels as the group held them for its date: a correction committed for a later date
    // changes the later monitoring, never a rerun of this one
    Cli monitor = Cli.inLakehouse(lh, concat(own, "monitor", "--date", "2024-04-30"));
    assertEquals(0, monitor.exitCode(), monitor.err() + monitor.out());
    assertTrue(monitor.out().matches("(?s).*labels: +as feature group accounts v1 held them at Delta v1, its latest batch for "
        + "2024-04-30 or before.*"), monitor.out());
    long positives = positives(spark, lh);
    long day = accounts.where("opened = DATE'2024-04-29'").count();
    assertTrue(positives > 0 && positives < day, positives + " of " + day);
    store.getFeatureGroup("accounts", 1).insert(
        accounts.where("opened = DATE'2024-04-29'").withColumn("closed", org.apache.spark.sql.functions.expr("1 - closed")),
        InsertOptions.upsert("accounts:2024-05-01"));
    Cli rerun = Cli.inLakehouse(lh, concat(own, "monitor", "--date", "2024-04-30"));
    assertEquals(0, rerun.exitCode(), rerun.err() + rerun.out());
    assertEquals(positives, positives(spark, lh), "a rerun judges as the first run did");
    Cli later = Cli.inLakehouse(lh, concat(own, "monitor", "--date", "2024-05-01"));
    assertEquals(0, later.exitCode(), later.err() + later.out());
    assertTrue(later.out().matches("(?s).*labels: +as feature group accounts v1 held them at Delta v2, .*"), later.out());
    assertEquals(day - positives, positives(spark, lh), "the corrected labels");
    // once a plain VACUUM has deleted the files of the version written for 04-30, a rerun judges with the labels as they
    // are now and says why, instead of failing with Spark's missing file
    SparkSession unchecked = spark.newSession();
    unchecked.conf().set("spark.databricks.delta.retentionDurationCheck.enabled", "false");
    io.delta.tables.DeltaTable.forPath(unchecked, lh.layout().featureGroup("accounts", 1)).vacuum(0.0);
    Cli vacuumed = Cli.inLakehouse(lh, concat(own, "monitor", "--date", "2024-04-30"));
    assertEquals(0, vacuumed.exitCode(), vacuumed.err() + vacuumed.out());
    assertTrue(vacuumed.out().matches("(?s).*labels: +as feature group accounts v1 holds them now: Delta v1, its latest "
        + "batch for 2024-04-30 or before, can no longer be read \\([0-9]+ of its [0-9]+ data files were deleted.*"),
        vacuumed.out());
    assertEquals(day - positives, positives(spark, lh), "the labels as they are now");
  }

  /** The positives of the 2024-04-29 run in the performance table, as the last monitoring left them. */
  private static long positives(SparkSession spark, TestLakehouse lh) {
    Row r = spark.read().format("delta").load(lh.layout().system("monitoring_performance"))
        .where("model_name = 'accounts' AND run_date = DATE'2024-04-29'").first();
    return r.getLong(r.fieldIndex("positives"));
  }

  /** {@code args}, then {@code more}: options that override those of {@code args} (the last --set of a key wins). */
  private static String[] append(String[] args, String... more) {
    String[] out = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, out, args.length, more.length);
    return out;
  }

  private static String[] concat(String[] options, String... command) {
    String[] out = java.util.Arrays.copyOf(command, command.length + options.length);
    System.arraycopy(options, 0, out, command.length, options.length);
    return out;
  }
}
