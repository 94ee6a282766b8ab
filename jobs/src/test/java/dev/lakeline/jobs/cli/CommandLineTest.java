package dev.lakeline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Parsing and error reporting of the command line; none of these start Spark. */
class CommandLineTest {
  @Test
  void helpListsEveryJobAndTheExitCodes() {
    Cli r = Cli.run("--help");
    assertEquals(0, r.exitCode());
    for (String command : new String[] {"demo", "features", "train", "infer", "monitor", "version", "config"}) {
      assertTrue(r.out().contains("  " + command + " "), "help should list " + command + ":\n" + r.out());
    }
    assertTrue(r.out().replaceAll("\\s+", " ").contains("3 data rejected"), r.out());
  }

  @Test
  void everyJobHasHelpAndTheSharedOptions() {
    for (String command : new String[] {"demo", "features", "train", "infer", "monitor"}) {
      Cli r = Cli.run(command, "--help");
      assertEquals(0, r.exitCode(), command);
      for (String option : new String[] {"--config", "--date", "--lakehouse", "--profile", "--set", "--run-id"}) {
        assertTrue(r.out().contains(option), command + " --help should show " + option + ":\n" + r.out());
      }
    }
  }

  /** Every command and subcommand, also those with a required NAME or a {@code --version N} of their own. */
  @Test
  void everyCommandAndSubcommandPrintsItsHelp() {
    java.util.List<String> checked = new java.util.ArrayList<>();
    java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(new CommandLine(new LakelineCli()).getSubcommands().values());
    while (!todo.isEmpty()) {
      CommandLine c = todo.pop();
      todo.addAll(c.getSubcommands().values());
      String path = c.getCommandSpec().qualifiedName(" ").replaceFirst("^lakeline ", "");
      if (path.equals("help")) {
        continue;
      }
      String[] args = (path + " --help").split(" ");
      Cli r = Cli.run(args);
      assertEquals(0, r.exitCode(), path + " --help:\n" + r.err());
      assertTrue(r.out().startsWith("Usage: lakeline " + path + " "), path + " --help:\n" + r.out() + r.err());
      assertEquals("", r.err(), path + " --help");
      checked.add(path);
    }
    assertTrue(checked.containsAll(java.util.List.of("fg show", "fv show", "td create", "td recreate", "validation show", "runs list", "runs show")), checked.toString());
  }

  /** Every command that only groups subcommands, the root's path being "". */
  static java.util.stream.Stream<String> parentCommands() {
    java.util.List<String> parents = new java.util.ArrayList<>();
    java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(new CommandLine(new LakelineCli())));
    while (!todo.isEmpty()) {
      CommandLine c = todo.pop();
      if (!c.getSubcommands().isEmpty()) {
        parents.add(c.getCommandSpec().qualifiedName(" ").replaceFirst("^lakeline ?", ""));
        todo.addAll(c.getSubcommands().values());
      }
    }
    assertTrue(parents.containsAll(java.util.List.of("", "fg", "fv", "td", "models", "runs", "validation")), parents.toString());
    return parents.stream();
  }

  /** A parent command without its subcommand did nothing: a usage error with the usage on stderr, not a success. */
  @org.junit.jupiter.params.ParameterizedTest(name = "lakeline {0}")
  @org.junit.jupiter.params.provider.MethodSource("parentCommands")
  void aParentCommandWithoutASubcommandIsAUsageError(String path) {
    String[] args = path.isEmpty() ? new String[0] : path.split(" ");
    Cli r = Cli.run(args);
    String name = ("lakeline " + path).trim();
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), r.exitCode(), name + ":\n" + r.out() + r.err());
    assertEquals("", r.out(), name);
    assertTrue(r.err().startsWith("error: '" + name + "' needs a subcommand: "), r.err());
    assertTrue(r.err().contains("Usage: " + name + " "), "the usage, on stderr: " + r.err());
    CommandLine parent = new CommandLine(new LakelineCli());
    for (String part : args) {
      parent = parent.getSubcommands().get(part);
    }
    for (String sub : parent.getSubcommands().keySet()) {
      assertTrue(r.err().contains("  " + sub + " "), name + " lists " + sub + ":\n" + r.err());
    }
    assertFalse(r.hasStackTrace(), r.err());

    String[] help = java.util.Arrays.copyOf(args, args.length + 1);
    help[args.length] = "--help";
    Cli asked = Cli.run(help);
    assertEquals(0, asked.exitCode(), name + " --help");
    assertTrue(asked.out().startsWith("Usage: " + name + " "), asked.out());
    assertEquals("", asked.err(), name + " --help");
  }

  @Test
  void jobsParseTheirArguments() {
    LakelineCli app = new LakelineCli();
    CommandLine.ParseResult parsed =
        new CommandLine(app)
            .parseArgs("features", "--date", "2024-05-01", "--lakehouse", "/tmp/lh", "--set", "spark.master=local[1]");
    FeaturesCommand features = (FeaturesCommand) parsed.subcommand().commandSpec().userObject();
    assertEquals(java.time.LocalDate.of(2024, 5, 1), features.date);
    assertEquals("/tmp/lh", features.common.lakehouse);
    assertEquals("local[1]", features.common.set.get("spark.master"));

    DemoCommand demo = (DemoCommand) new CommandLine(new LakelineCli()).parseArgs("demo", "--scale", "0.5").subcommand().commandSpec().userObject();
    assertEquals(java.time.LocalDate.parse(DateOption.DEMO_DEFAULT), demo.date, "the demo's date is a constant, never today");
    // the demo's data is loans: it runs the bundled loan model whatever model.file the configuration names
    assertEquals(java.util.Map.of("demo.scale", "0.5", "model.file", "classpath:lakeline-conf/models/loan_default.yaml"),
        demo.overrides());
  }

  @Test
  void aDateCanBeGivenAsDaysBeforeTheDayASchedulerTriggersOn() {
    DateOption dates = new DateOption();
    assertEquals(java.time.LocalDate.parse("2024-06-30"), dates.convert("2024-07-01-1d"), "Databricks' trigger day, minus one");
    assertEquals(java.time.LocalDate.parse("2024-02-29"), dates.convert("2024-03-07-7d"));
    assertEquals(java.time.LocalDate.parse("2024-07-01"), dates.convert(" 2024-07-01 "));
    for (String bad : new String[] {"2024-07-01-1", "2024-07-01+1d", "2024-07-01-d", "2024-13-01-1d", "yesterday"}) {
      assertThrows(picocli.CommandLine.TypeConversionException.class, () -> dates.convert(bad), bad);
    }
    Cli r = Cli.run("infer", "--date", "2024-07-01-1d", "--lakehouse", "/tmp/unused-lakehouse", "--dry-run");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("2024-06-30"), r.out());
    Cli bad = Cli.run("infer", "--date", "2024-07-01-1", "--dry-run");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), bad.exitCode());
    assertTrue(bad.err().contains("YYYY-MM-DD-Nd"), bad.err());
    assertFalse(bad.hasStackTrace(), bad.err());
  }

  @Test
  void aMissingDateIsAUsageError() {
    Cli r = Cli.run("features");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), r.exitCode());
    assertTrue(r.err().contains("--date"), r.err());
    assertFalse(r.hasStackTrace(), r.err());
  }

  @Test
  void aMalformedDateSaysWhatADateLooksLike() {
    Cli r = Cli.run("train", "--date", "2024-13-40");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), r.exitCode());
    assertTrue(r.err().contains("YYYY-MM-DD"), r.err());
    assertFalse(r.hasStackTrace(), r.err());
  }

  @Test
  void anUnknownOptionOrCommandIsAUsageError() {
    Cli option = Cli.run("demo", "--scael", "2");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), option.exitCode());
    assertTrue(option.err().contains("--scael"), option.err());
    assertTrue(option.err().contains("lakeline demo --help"), option.err());
    Cli command = Cli.run("trian");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), command.exitCode());
    assertFalse(command.hasStackTrace(), command.err());
  }

  @Test
  void aBadConfigFileNamesTheFileAndTheKeyWithoutAStackTrace(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "model:\n  name: m\nspark:\n  shuffle-partitions: many\n");
    Cli r = Cli.run("features", "--date", "2024-06-30", "--config", file.toString());
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), r.exitCode());
    assertTrue(r.err().startsWith("error: "), r.err());
    assertTrue(r.err().contains(file.toString()) && r.err().contains("spark.shuffle-partitions") && r.err().contains("integer"), r.err());
    assertFalse(r.hasStackTrace(), r.err());
  }

  @Test
  void anUnknownSetKeyIsRejected() {
    Cli r = Cli.run("config", "--set", "training.algoritm=gbt");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), r.exitCode());
    assertTrue(r.err().contains("training.algoritm") && r.err().contains("Did you mean 'training.algorithm'"), r.err());
  }

  @Test
  void configShowsWhereEveryValueComesFrom(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("lakeline.yaml");
    Files.writeString(file, "model:\n  name: churn\ntraining:\n  seed: 3\n");
    Cli r = Cli.run("config", "--config", file.toString(), "--lakehouse", "/data/lh", "--set", "training.seed=9");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().matches("(?s).*model\\.name\\s+churn\\s+\\(file .*"), r.out());
    assertTrue(r.out().matches("(?s).*training\\.seed\\s+9\\s+\\(command line\\).*"), r.out());
    assertTrue(r.out().matches("(?s).*lakehouse\\.root\\s+/data/lh\\s+\\(command line\\).*"), r.out());
    assertTrue(r.out().matches("(?s).*spark\\.shuffle-partitions\\s+4\\s+\\(default\\).*"), r.out());
    // one column for the values and one for their sources, however long a key is (the longest:
    // lakehouse.history-retention-days); with --keys one for the types
    java.util.function.ToIntFunction<String> secondColumn = l -> {
      int at = l.indexOf(' ', l.length() - l.stripLeading().length()); // the end of the first word
      while (l.charAt(at) == ' ') {
        at++;
      }
      return at;
    };
    assertEquals(1, r.out().lines().filter(l -> l.startsWith("  ")).mapToInt(l -> l.indexOf(" (")).distinct().count(), r.out());
    String keys = Cli.run("config", "--keys").out();
    assertEquals(1, keys.lines().filter(l -> !l.startsWith(" ")).mapToInt(secondColumn).distinct().count(), keys);
  }

  @Test
  void theBundledDefaultConfigurationIsValid() {
    Cli keys = Cli.run("config", "--config", CommonOptions.BUNDLED_CONFIG, "--profile", "databricks");
    assertEquals(0, keys.exitCode(), keys.err());
    assertTrue(keys.out().contains("/Volumes/"), keys.out());
  }

  @Test
  void everySubcommandsVersionOptionPrintsLakelinesVersion() {
    String expected = "Lakeline " + dev.lakeline.core.Versions.lakeline();
    for (String[] args : new String[][] {{"demo", "-V"}, {"fg", "list", "--version"}, {"models", "-V"}}) {
      Cli r = Cli.run(args);
      assertEquals(0, r.exitCode(), r.err());
      assertTrue(r.out().startsWith(expected), String.join(" ", args) + ": " + r.out());
    }
  }

  @Test
  void versionPrintsTheWholeStack() {
    Cli r = Cli.run("version");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().contains("Spark       3.5.7"), r.out());
    assertTrue(r.out().contains("Delta Lake  3.3.2"), r.out());
    assertTrue(r.out().contains("Deequ       2.0.7-spark-3.5"), r.out());
    assertTrue(r.out().contains("Java        17"), r.out());
    // the commit the classes were built from (tests run from a Git clone; a build outside one says "unknown")
    String expected = gitClone() ? "commit      [0-9a-f]{12}(-dirty)?" : "commit      unknown";
    assertTrue(r.out().lines().anyMatch(l -> l.matches(expected)), r.out());
    assertTrue(r.out().contains("built for   commit " + dev.lakeline.core.Versions.commit() + ", Spark 3.5.7"), r.out());
  }

  private static boolean gitClone() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (java.nio.file.Files.exists(dir.resolve(".git"))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void userErrorsAreFoundInsideWrappedExceptions() {
    var inner = dev.lakeline.core.Errors.notFound("x");
    assertEquals(inner, LakelineCli.userError(new RuntimeException(new IllegalStateException(inner))));
    assertEquals(null, LakelineCli.userError(new RuntimeException("boom")));
  }

  @Test
  void aDryRunChecksEverythingPrintsThePlanAndTouchesNothing(@TempDir Path dir) {
    Path lakehouse = dir.resolve("lake");
    Cli features = Cli.run("features", "--pipeline", "loans", "--pipeline", "card_spend", "--date", "2024-06-30",
        "--lakehouse", lakehouse.toString(), "--dry-run");
    assertEquals(0, features.exitCode(), features.err());
    assertTrue(features.out().contains("dry run"), features.out());
    assertTrue(features.out().contains("logical date: 2024-06-30"), features.out());
    assertTrue(features.out().contains("pipeline loans"), features.out());
    assertTrue(features.out().contains("pipeline card_spend"), features.out());
    assertTrue(features.out().contains("parquet <lakehouse>/raw/loans → 1 steps (zip5) → loans v1"), features.out());
    assertTrue(features.out().contains("(daily_aggregates) → card_spend v1 (overwrite)"),
        "the steps and each group's mode, as a pipeline file spells it, are listed: " + features.out());
    assertTrue(features.out().contains("lakehouse: " + lakehouse), features.out());

    Cli backfill = Cli.run("features", "--from", "2024-06-01", "--to", "2024-06-03", "--lakehouse", lakehouse.toString(), "--dry-run");
    assertEquals(0, backfill.exitCode(), backfill.err());
    assertTrue(backfill.out().contains("backfill: 2024-06-01 to 2024-06-03"), backfill.out());
    // the demo's groups are rewritten as of each date: the plan says that only the last date is computed
    assertTrue(backfill.out().contains("→ loans v1 (overwrite); computed for 2024-06-03 only (each date's batch replaces the "
        + "whole group)"), backfill.out());

    Cli train = Cli.run("train", "--date", "2024-06-30", "--lakehouse", lakehouse.toString(), "--dry-run",
        "--set", "training.label-delay-days=30", "--set", "training.history-days=100");
    assertEquals(0, train.exitCode(), train.err());
    assertTrue(train.out().contains("feature view loan_default v1, labelled rows dated from 2024-02-21 to before 2024-05-31"),
        train.out());
    assertTrue(train.out().contains("model file: classpath:lakeline-conf/models/loan_default.yaml (feature view loan_default v1, "
        + "label is_default, 12 features)"), train.out());
    Cli gated = Cli.run("train", "--date", "2024-06-30", "--lakehouse", lakehouse.toString(), "--dry-run",
        "--set", "training.min-recall=0.5", "--set", "training.min-precision=0.25");
    assertEquals(0, gated.exitCode(), gated.err());
    assertTrue(gated.out().contains("then @champion moves to it if its test AUC reaches 0.6, recall at least 0.5, precision at "
        + "least 0.25 and beats the current one's"), gated.out());
    Cli chosen = Cli.run("train", "--date", "2024-06-30", "--lakehouse", lakehouse.toString(), "--dry-run",
        "--set", "training.validation-fraction=0.2", "--set", "training.threshold-choice=target-recall");
    assertEquals(0, chosen.exitCode(), chosen.err());
    assertTrue(chosen.out().contains("test fraction 0.2, validation fraction 0.2, seed 7"), chosen.out());
    assertTrue(chosen.out().contains("algorithm logistic_regression, threshold: the highest that catches 0.5 of the positives "
        + "on the validation split"), chosen.out());
    Cli folds = Cli.run("train", "--date", "2024-06-30", "--lakehouse", lakehouse.toString(), "--dry-run",
        "--set", "training.threshold-folds=5", "--set", "training.threshold-choice=best-f1");
    assertEquals(0, folds.exitCode(), folds.err());
    assertTrue(folds.out().contains("test fraction 0.2, seed 7"), folds.out());
    assertTrue(folds.out().contains("algorithm logistic_regression, threshold: the best F1 on out-of-fold scores of the train "
        + "split (5 folds, one more fit each)"), folds.out());
    Cli search = Cli.run("train", "--date", "2024-06-30", "--lakehouse", lakehouse.toString(), "--dry-run",
        "--set", "training.search.grid=regParam=0.001,0.01,0.1; elasticNetParam=0,1");
    assertEquals(0, search.exitCode(), search.err());
    assertTrue(search.out().contains("algorithm logistic_regression, hyperparameters searched: regParam=0.001,0.01,0.1; "
        + "elasticNetParam=0,1 on 3 folds of the train split (18 fits, then one on every train row), threshold 0.5"),
        search.out());
    Cli costed = Cli.run("train", "--date", "2024-06-30", "--lakehouse", lakehouse.toString(), "--dry-run",
        "--set", "training.validation-fraction=0.2", "--set", "training.threshold-choice=min-cost",
        "--set", "training.false-negative-cost=5");
    assertEquals(0, costed.exitCode(), costed.err());
    assertTrue(costed.out().contains("algorithm logistic_regression, threshold: the lowest cost on the validation split, a missed "
        + "positive costing 5.0 false alarms"), costed.out());

    Cli infer = Cli.run("infer", "--date", "2024-06-30", "--model-version", "3", "--lakehouse", lakehouse.toString(), "--dry-run");
    assertEquals(0, infer.exitCode(), infer.err());
    assertTrue(infer.out().contains("version 3"), infer.out());

    Cli monitor = Cli.run("monitor", "--date", "2024-06-30", "--lookback-days", "60", "--fail-on-alert", "--lakehouse", lakehouse.toString(),
        "--dry-run");
    assertEquals(0, monitor.exitCode(), monitor.err());
    assertTrue(monitor.out().contains("runs after 2024-05-01 up to 2024-06-30 (60 days)"), monitor.out());
    assertTrue(monitor.out().contains("PSI 0.1 warn, 0.25 alert, judged from 200 rows (an alert fails the job)"), monitor.out());

    Cli demo = Cli.run("demo", "--lakehouse", lakehouse.toString(), "--dry-run");
    assertEquals(0, demo.exitCode(), demo.err());
    assertTrue(demo.out().contains("then: features (loans, credit_reports, card_spend)"), demo.out());

    Cli generate = Cli.run("generate", "--date", "2024-05-31", "--scale", "0.5", "--seed", "3", "--lakehouse", lakehouse.toString(),
        "--dry-run");
    assertEquals(0, generate.exitCode(), generate.err());
    assertTrue(generate.out().contains("logical date: 2024-05-31"), "the plan names the date, as every job's does: " + generate.out());
    assertTrue(generate.out().contains("sample data: scale 0.5, seed 3"), generate.out());

    assertFalse(Files.exists(lakehouse), "a dry run creates no lakehouse");
  }

  @Test
  void aDryRunStillRejectsBadArgumentsAndConfiguration() {
    Cli missingPipeline = Cli.run("features", "--pipeline", "no_such_pipeline", "--date", "2024-06-30", "--dry-run");
    assertEquals(ExitCode.NOT_FOUND.code(), missingPipeline.exitCode());
    assertTrue(missingPipeline.err().contains("no_such_pipeline"), missingPipeline.err());
    assertFalse(missingPipeline.hasStackTrace(), missingPipeline.err());

    Cli badKey = Cli.run("train", "--date", "2024-06-30", "--set", "training.no-such-key=1", "--dry-run");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), badKey.exitCode());
    assertFalse(badKey.hasStackTrace(), badKey.err());

    // a threshold of 1 would predict 0 for every row: refused before the training dataset is made
    Cli badThreshold = Cli.run("train", "--date", "2024-06-30", "--set", "training.decision-threshold=1", "--dry-run");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), badThreshold.exitCode());
    assertTrue(badThreshold.err().contains("training.decision-threshold") && badThreshold.err().contains("> 0 and < 1"),
        badThreshold.err());
    assertFalse(badThreshold.hasStackTrace(), badThreshold.err());

    Cli badDepth = Cli.run("train", "--date", "2024-06-30", "--set", "training.gbt.max-depth=40", "--dry-run");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), badDepth.exitCode());
    assertTrue(badDepth.err().contains("training.gbt.max-depth") && badDepth.err().contains("40"), badDepth.err());
    Cli badWeight = Cli.run("train", "--date", "2024-06-30", "--set", "training.class-weight=auto", "--dry-run");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), badWeight.exitCode());
    assertTrue(badWeight.err().contains("training.class-weight") && badWeight.err().contains("balanced"), badWeight.err());
    Cli badRecall = Cli.run("train", "--date", "2024-06-30", "--set", "training.min-recall=50", "--dry-run");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), badRecall.exitCode());
    assertTrue(badRecall.err().contains("training.min-recall") && badRecall.err().contains("50"), badRecall.err());
    assertFalse(badRecall.hasStackTrace(), badRecall.err());
    Cli freeMiss = Cli.run("train", "--date", "2024-06-30", "--set", "training.false-negative-cost=0", "--dry-run");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), freeMiss.exitCode());
    assertTrue(freeMiss.err().contains("training.false-negative-cost"), freeMiss.err());
    assertFalse(freeMiss.hasStackTrace(), freeMiss.err());
    // a threshold chosen on validation rows needs a validation split; the splits together leave rows to train on
    Cli noValidation = Cli.run("train", "--date", "2024-06-30", "--set", "training.threshold-choice=best-f1", "--dry-run");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), noValidation.exitCode());
    assertTrue(noValidation.err().contains("training.threshold-choice best-f1 picks the threshold on the validation split, and "
        + "training.validation-fraction is 0. Set training.validation-fraction (for example 0.2)"), noValidation.err());
    assertFalse(noValidation.hasStackTrace(), noValidation.err());
    assertTrue(noValidation.err().contains("or training.threshold-folds (for example 5) to choose on out-of-fold scores of the "
        + "train split"), noValidation.err());
    // out-of-fold scores need a choice to make, two folds at least, and no validation split beside them
    Map<List<String>, String> badFolds = Map.of(
        List.of("training.threshold-folds=5"), "training.threshold-folds 5 chooses the threshold on out-of-fold scores, and "
            + "training.threshold-choice is fixed: there is nothing to choose.",
        List.of("training.threshold-folds=1", "training.threshold-choice=best-f1"), "training.threshold-folds 1 would fit on "
            + "no rows to score the one fold: use 2 to 20 folds",
        List.of("training.threshold-folds=5", "training.threshold-choice=best-f1", "training.validation-fraction=0.2"),
            "training.threshold-folds 5 chooses the threshold on out-of-fold scores of the train split, and "
            + "training.validation-fraction 0.2 holds out a validation split to choose it on: set one of them, not both",
        List.of("training.threshold-folds=21", "training.threshold-choice=best-f1"), "training.threshold-folds");
    badFolds.forEach((sets, message) -> {
      List<String> args = new java.util.ArrayList<>(List.of("train", "--date", "2024-06-30", "--dry-run"));
      sets.forEach(s -> args.addAll(List.of("--set", s)));
      Cli bad = Cli.run(args.toArray(String[]::new));
      assertEquals(ExitCode.USAGE_OR_CONFIG.code(), bad.exitCode(), sets + ": " + bad.err());
      assertTrue(bad.err().contains(message), sets + ": " + bad.err());
      assertFalse(bad.hasStackTrace(), bad.err());
    });
    // a search grid that cannot be searched, said before anything runs
    Map<List<String>, String> badSearch = Map.of(
        List.of("training.search.grid=regParam=0.1,x"), "training.search.grid: 'x' in the hyperparameter search's values of "
            + "regParam is not a number.",
        List.of("training.search.grid=maxDepth=3,5"), "training.search.grid: logistic_regression has no hyperparameter "
            + "'maxDepth': its hyperparameters are [maxIter, regParam, elasticNetParam].",
        List.of("training.algorithm=gbt", "training.search.grid=maxDepth=3,50"), "training.search.grid: The gbt "
            + "hyperparameter maxDepth must be a whole number from 1 to 30 (MLlib's limit), got 50.0.",
        List.of("training.search.grid=regParam=0.1,1", "training.search.folds=1"), "training.search.folds");
    badSearch.forEach((sets, message) -> {
      List<String> args = new java.util.ArrayList<>(List.of("train", "--date", "2024-06-30", "--dry-run"));
      sets.forEach(s -> args.addAll(List.of("--set", s)));
      Cli bad = Cli.run(args.toArray(String[]::new));
      assertEquals(ExitCode.USAGE_OR_CONFIG.code(), bad.exitCode(), sets + ": " + bad.err());
      assertTrue(bad.err().contains(message), sets + ": " + bad.err());
      assertFalse(bad.hasStackTrace(), bad.err());
    });
    Cli tooMuch = Cli.run("train", "--date", "2024-06-30", "--set", "training.validation-fraction=0.5",
        "--set", "training.test-fraction=0.5", "--dry-run");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), tooMuch.exitCode());
    assertTrue(tooMuch.err().contains("training.validation-fraction 0.5 and training.test-fraction 0.5 leave 0% of the rows "
        + "to train on"), tooMuch.err());

    Cli badDate = Cli.run("infer", "--date", "2024-13-01", "--dry-run");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), badDate.exitCode());
  }

  @Test
  void aDryRunFindsWhatTheJobWouldOtherwiseFindOnlyAfterWriting() {
    // train would have made a dataset and registered a version before trying to move the alias
    Cli alias = Cli.run("train", "--date", "2024-06-30", "--set", "training.promote-alias=bad alias", "--dry-run");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), alias.exitCode(), alias.out());
    assertTrue(alias.err().contains("training.promote-alias: Invalid alias name 'bad alias'"), alias.err());
    // infer would have committed its predictions before measuring their drift
    for (String job : new String[] {"infer", "monitor", "demo"}) {
      String[] date = job.equals("demo") ? new String[0] : new String[] {"--date", "2024-06-30"};
      Cli psi = Cli.run(java.util.stream.Stream.concat(java.util.stream.Stream.of(job),
          java.util.stream.Stream.concat(java.util.Arrays.stream(date), java.util.stream.Stream.of("--set", "monitoring.psi-warn=0.5", "--dry-run")))
          .toArray(String[]::new));
      assertEquals(ExitCode.USAGE_OR_CONFIG.code(), psi.exitCode(), job + ": " + psi.out());
      assertTrue(psi.err().contains("monitoring.psi-warn (0.5) is above monitoring.psi-alert (0.25)"), job + ": " + psi.err());
    }
    Cli ref = Cli.run("infer", "--date", "2024-06-30", "--model-version", "2x", "--dry-run");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), ref.exitCode(), ref.out());
    assertTrue(ref.err().contains("Invalid model version '2x': use a version number (3 or v3), 'latest', '@alias'"), ref.err());
    assertFalse(ref.hasStackTrace(), ref.err());
    // the version as models list shows it
    assertEquals(0, Cli.run("infer", "--date", "2024-06-30", "--model-version", "v2", "--dry-run").exitCode());
  }

  /** monitor's --report is written last: a path it cannot write is a usage error before Spark starts, not after the commit. */
  @Test
  void aMonitoringReportThatCannotBeWrittenIsAUsageErrorBeforeTheJobRuns(@TempDir Path dir) throws IOException {
    Path lakehouse = dir.resolve("lake");
    Path file = Files.writeString(dir.resolve("notes.txt"), "a file, not a folder");
    for (Path report : new Path[] {file.resolve("monitoring.html"), dir}) {
      for (boolean dryRun : new boolean[] {true, false}) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
            "monitor", "--date", "2024-06-30", "--report", report.toString(), "--lakehouse", lakehouse.toString()));
        if (dryRun) {
          args.add("--dry-run");
        }
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(ExitCode.USAGE_OR_CONFIG.code(), r.exitCode(), report + " " + args + ": " + r.out() + r.err());
        assertTrue(r.err().startsWith("error: Cannot write the report to " + report), r.err());
        assertTrue(r.err().contains("Give --report a file"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(r.out().contains("Lakeline monitor ·"), "no Spark session, no run: " + r.out());
      }
    }
    assertFalse(Files.exists(lakehouse), "nothing was written, not even a job-runs record");
  }
}
