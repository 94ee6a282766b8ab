package dev.lakeline.jobs.cli;

import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.reports.ModelReport;
import dev.lakeline.jobs.reports.ReportPages;
import dev.lakeline.training.AliasMove;
import dev.lakeline.training.ModelCard;
import dev.lakeline.training.ModelRegistry;
import dev.lakeline.training.ModelVersion;
import dev.lakeline.training.ScoreDistribution;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lakeline models …}: the model registry from the command line. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "The model registry: list models and their versions, show a version's card, move aliases "
        + "(champion, challenger, …) and read their log, delete a version, compare two versions on the same rows, measure which features a version leans on.",
    footer = {"", "A model version is named by REF: a number, latest, @alias or best:<metric> (for example best:areaUnderROC)."},
    subcommands = {ModelsCommand.Listing.class, ModelsCommand.Show.class, ModelsCommand.Alias.class, ModelsCommand.Aliases.class,
        ModelsCommand.Delete.class, ModelsCommand.Compare.class, ModelsCommand.Importance.class})
final class ModelsCommand extends ParentCommand {
  /** The metrics a version table shows, when a card has them. */
  private static final List<String> SHOWN_METRICS = List.of("areaUnderROC", "areaUnderPR", "accuracy", "rmse", "r2");

  /** Version numbers an alias map points at, as "champion → v3, challenger → v4", or per version its aliases. */
  private static Map<Integer, List<String>> byVersion(Map<String, Integer> aliases) {
    Map<Integer, List<String>> out = new TreeMap<>();
    aliases.forEach((alias, v) -> out.computeIfAbsent(v, k -> new ArrayList<>()).add("@" + alias));
    return out;
  }

  private static String metric(ModelCard card, String name) {
    Double v = card.metrics() == null ? null : card.metrics().get(name);
    return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Without MODEL: every model with its number of versions, latest version and aliases. With MODEL: its versions.")
  static final class Listing extends StoreCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "A model's name.")
    String model;

    @Override
    void run(JobContext ctx, PrintStream out) {
      ModelRegistry registry = ctx.registry();
      if (model == null) {
        List<String> models = registry.models();
        if (models.isEmpty()) {
          out.printf("no models under %s yet: 'lakeline train --date D' registers one%n", ctx.layout().root());
          return;
        }
        TextTable table = new TextTable("model", ">versions", ">latest", "aliases");
        for (String name : models) {
          List<ModelVersion> versions = registry.versions(name);
          table.row(name, versions.size(), "v" + versions.get(versions.size() - 1).version(),
              String.join(", ", registry.describeAliases(name)));
        }
        table.print(out);
        return;
      }
      List<ModelVersion> versions = registry.versions(model);
      if (versions.isEmpty()) {
        throw noSuchModel(registry, model, ctx);
      }
      List<String> metrics = new ArrayList<>();
      for (String m : SHOWN_METRICS) {
        if (versions.stream().anyMatch(v -> v.card().metrics() != null && v.card().metrics().containsKey(m))) {
          metrics.add(m);
        }
      }
      List<String> header = new ArrayList<>(List.of("version", "algorithm", "trained for"));
      metrics.forEach(m -> header.add(">" + m));
      header.add("aliases");
      header.add("training dataset");
      TextTable table = new TextTable(header.toArray(String[]::new));
      Map<String, Integer> current = registry.aliases(model);
      Map<Integer, List<String>> aliases = byVersion(current);
      for (ModelVersion v : versions) {
        List<Object> row = new ArrayList<>(List.of("v" + v.version(), v.card().algorithm(), v.card().logicalDate()));
        metrics.forEach(m -> row.add(metric(v.card(), m)));
        row.add(String.join(", ", aliases.getOrDefault(v.version(), List.of())));
        row.add(StorageLayout.trainingDatasetLabel(v.card().trainingDataset()));
        table.row(row.toArray());
      }
      table.print(out);
      // an alias whose version is gone has no row above: said below, with how to move it
      List<Integer> listed = versions.stream().map(ModelVersion::version).toList();
      current.forEach((alias, v) -> {
        if (!listed.contains(v)) {
          out.printf("%s: resolves to nothing; point it at a version with 'lakeline models alias %s %s <version>'%n",
              ModelRegistry.describeAlias(alias, v, false), model, alias);
        }
      });
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "One model version's card: algorithm and parameters, test metrics, training dataset and the Delta "
          + "versions it read, features, label, versions of the stack, aliases.")
  static final class Show extends StoreCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's name.")
    String model;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REF", defaultValue = "latest",
        description = "Which version (default ${DEFAULT-VALUE}): a number, latest, @alias or best:<metric>.")
    String ref;

    @Option(names = "--report", paramLabel = "FILE",
        description = "Also write an HTML page with charts from the version's test scores: ROC and precision-recall "
            + "curves, scores by class, calibration, the confusion matrix.")
    Path report;

    @Override
    void run(JobContext ctx, PrintStream out) {
      if (report != null) {
        ReportPages.checkWritable(report); // before anything is read or printed
      }
      ModelRegistry registry = ctx.registry();
      Integer number = number(ref);
      // a deleted version: the registry's message says by whom and when, also when it was the model's last
      if (registry.versions(model).isEmpty() && (number == null || registry.deleted(model, number).isEmpty())) {
        throw noSuchModel(registry, model, ctx);
      }
      ModelVersion v = registry.resolve(model, ref);
      ModelCard c = v.card();
      List<String> aliases = byVersion(registry.aliases(model)).getOrDefault(v.version(), List.of());
      out.printf("model %s → %s%n", v.label(), v.path());
      out.printf("  aliases     %s%n", aliases.isEmpty() ? "none" : String.join(", ", aliases));
      out.printf("  algorithm   %s%n", c.algorithm());
      out.printf("  trained for %s (logical date) · label %s%n", c.logicalDate(), c.label());
      out.printf("  dataset     %s%n", dataset(ctx, c.trainingDataset()));
      ModelReport.trainingData(c).forEach((k, value) -> out.printf("  %-11s %s%n", k, value));
      out.printf("  read        %s%n", c.sourceVersions() == null ? "" : new TreeMap<>(c.sourceVersions()));
      out.printf("  features    %s%n", c.features());
      out.printf("  stack       %s%n", c.versions());
      if (c.runId() != null) {
        out.printf("  trained by  run %s (lakeline runs show %s)%n", c.runId(), c.runId());
      }
      if (c.inputs() == null) {
        out.printf("  inputs      %s%n", ModelReport.NOT_RECORDED);
      } else {
        out.println("  inputs");
        TextTable inputs = new TextTable(ModelReport.INPUT_HEADER.toArray(String[]::new));
        ModelReport.inputs(c).forEach(r -> inputs.row(r.toArray()));
        inputs.print(out, "    ");
        out.printf("    (%s)%n", ModelReport.TRANSFORMATIONS_NOTE);
      }
      out.printf("  importance  %s%n", registry.importance(v).map(ModelsCommand::importance)
          .orElse("not measured (lakeline models importance " + model + " " + v.version() + ")"));
      out.println("  metrics");
      new TreeMap<>(c.metrics() == null ? Map.<String, Double>of() : c.metrics())
          .forEach((k, value) -> out.printf(Locale.ROOT, "    %-22s %s%n", k, ModelReport.number(value)));
      out.println("  parameters");
      Map<String, String> params = new TreeMap<>(c.params() == null ? Map.<String, String>of() : c.params());
      String searched = params.remove("searchResults");
      params.forEach((k, value) -> out.printf("    %-22s %s%n", k, value));
      if (searched != null) {
        List<List<String>> rows = ModelReport.searchRows(searched);
        out.printf("  search      %d combinations, each fitted on %s folds of the train split less one and scored on the "
            + "one left out, in turn%n", rows.size() - 1, params.get("searchFolds"));
        TextTable table = new TextTable(rows.get(0).stream().map(h -> h.equals("mean AUC") ? ">" + h : h).toArray(String[]::new));
        rows.subList(1, rows.size()).forEach(r -> table.row(r.toArray()));
        table.print(out, "    ");
      }
      if (report != null) {
        Optional<ScoreDistribution> scores = registry.scores(v);
        out.printf("%n  report      %s%s%n", ReportPages.write(report, ModelReport.html(v, aliases, scores, registry.validationScores(v))),
            scores.isEmpty() ? " (the card only: this version has no stored test scores)" : "");
      }
    }
  }

  @Command(name = "alias", mixinStandardHelpOptions = true,
      description = "Points an alias at a version (or --remove it); every move goes to the model's alias log.")
  static final class Alias extends StoreCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's name.")
    String model;

    @Parameters(index = "1", paramLabel = "ALIAS", description = "The alias: letters, digits, _ and -, e.g. champion.")
    String alias;

    @Parameters(index = "2", arity = "0..1", paramLabel = "REF", description = "The version: a number, latest, @alias or best:<metric>.")
    String ref;

    @Option(names = "--remove", description = "Remove the alias instead.")
    boolean remove;

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "", description = "Why, for the log.")
    String reason;

    @Override
    void run(JobContext ctx, PrintStream out) {
      if (remove == (ref != null)) {
        throw dev.lakeline.core.Errors.config("Give the version the alias should point at (REF), or --remove, not both: "
            + "'lakeline models alias %s %s 3' or 'lakeline models alias %s %s --remove'.", model, alias, model, alias);
      }
      ModelRegistry registry = ctx.registry();
      if (registry.versions(model).isEmpty()) {
        throw noSuchModel(registry, model, ctx);
      }
      if (remove) {
        out.printf("%s %s%n", model, registry.removeAlias(model, alias, reason).describe());
        return;
      }
      ModelVersion v = registry.resolve(model, ref);
      AliasMove move = registry.setAlias(model, alias, v.version(), reason);
      out.println(move == null ? model + " " + alias + ": already v" + v.version() + " (nothing logged)" : model + " " + move.describe());
    }
  }

  @Command(name = "aliases", mixinStandardHelpOptions = true, description = "A model's aliases now, and the log of every move.")
  static final class Aliases extends StoreCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's name.")
    String model;

    @Override
    void run(JobContext ctx, PrintStream out) {
      ModelRegistry registry = ctx.registry();
      if (registry.versions(model).isEmpty()) {
        throw noSuchModel(registry, model, ctx);
      }
      List<String> now = registry.describeAliases(model);
      if (now.isEmpty()) {
        out.printf("model %s has no aliases%n", model);
      } else {
        now.forEach(out::println);
      }
      List<AliasMove> log = registry.aliasLog(model);
      if (log.isEmpty()) {
        return;
      }
      out.println();
      TextTable table = new TextTable(">#", "move", "reason", "by", "at");
      for (AliasMove m : log) {
        table.row(m.sequence(), m.describe(), m.reason(), m.movedBy(), m.movedAt());
      }
      table.print(out);
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = {
        "Deletes a model version: its folder (the MLlib model, card, test scores, drift baseline). Refused while an "
            + "alias points at it (exit 5): move the alias first (lakeline models alias). The card is kept as "
            + "_deleted/v<n>.json with who deleted it and why, and the number is never given to another version, so "
            + "predictions and monitoring that name it stay unambiguous.",
        "The card goes first: once it is removed, nothing lists, resolves or scores with the version, so a delete "
            + "stopped midway never leaves half a version; running it again removes the rest."},
      footer = {"", "Examples:", "  lakeline models delete loan_default 2 --check",
          "  lakeline models delete loan_default 2 --reason \"trained on the wrong window\""})
  static final class Delete extends StoreCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's name.")
    String model;

    @Parameters(index = "1", paramLabel = "VERSION",
        description = "The version's number (3 or v3, as models list shows it). Not latest, @alias or best:<metric>: "
            + "what they name can change between looking and deleting.")
    String version;

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "", description = "Why, kept with the deleted card.")
    String reason;

    @Option(names = "--check", description = "Change nothing: say what would be removed, or why the delete is refused.")
    boolean check;

    @Override
    void checkArguments() {
      if (number(version) == null) {
        throw dev.lakeline.core.Errors.config("models delete takes a version number (3 or v3), not '%s': a reference such as "
            + "latest or @champion can name another version by the time it is deleted. 'lakeline models list %s' lists "
            + "the numbers.", version, model);
      }
    }

    @Override
    void run(JobContext ctx, PrintStream out) {
      ModelRegistry registry = ctx.registry();
      int number = number(version);
      if (registry.versions(model).isEmpty() && registry.deleted(model, number).isEmpty()) {
        throw noSuchModel(registry, model, ctx);
      }
      ModelRegistry.Deletion d = registry.delete(model, number, reason, check);
      String what = String.format("%s (%d files)", String.join(", ", d.entries()), d.files());
      if (!d.deleted()) {
        out.printf("check: nothing deleted; deleting %s would remove %s%n", d.version(), what);
      } else if (d.resumed()) {
        out.printf("deleted the rest of %s, which an earlier delete left: %s%n", d.version(), what);
      } else {
        out.printf("deleted %s: %s; its card is kept in _deleted/v%d.json, and v%d is never given to another version%n",
            d.version(), what, number, number);
      }
    }
  }

  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = {
        "Two versions of a model measured on the same rows, as promotion measures them: REF's test split less every "
            + "row OTHER was trained on. Each version's metrics on its own test split are no fair comparison: another "
            + "window holds other (drifted) rows, and a test split may hold rows the other version was trained on.",
        "Each version decides at its own threshold (precision, recall, accuracy); AUC, AUC-PR, log loss and Brier score "
            + "judge its scores."},
      footer = {"", "Examples:", "  lakeline models compare loan_default latest @champion",
          "  lakeline models compare loan_default 3 1 --report compare.html"})
  static final class Compare extends ModelFileCommand {
    /** The metrics compared, in the order shown. */
    static final List<String> METRICS =
        List.of("areaUnderROC", "areaUnderPR", "accuracy", "precision", "recall", "logLoss", "brierScore");

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's name.")
    String model;

    @Parameters(index = "1", paramLabel = "REF",
        description = "The version to measure, on whose test split: a number, latest, @alias or best:<metric>.")
    String ref;

    @Parameters(index = "2", arity = "0..1", paramLabel = "OTHER", defaultValue = "@champion",
        description = "The version to measure it against (default ${DEFAULT-VALUE}).")
    String other;

    @Option(names = "--report", paramLabel = "FILE",
        description = "Also write an HTML page: the metrics side by side, both versions' ROC and precision-recall curves "
            + "on the same rows.")
    Path report;


    @Override
    void run(JobContext ctx, PrintStream out) {
      if (report != null) {
        ReportPages.checkWritable(report);
      }
      ModelVersion a = version(ctx, model, ref);
      ModelVersion b = version(ctx, model, other);
      if (a.version() == b.version()) {
        throw dev.lakeline.core.Errors.config("%s and %s are both %s: compare two different versions ('lakeline models list "
            + "%s' lists them).", ref, other, a.label(), model);
      }
      dev.lakeline.jobs.pipelines.SameRows.Measured m =
          dev.lakeline.jobs.pipelines.SameRows.measure(ctx, definition(ctx), a, b, report != null);
      if (!m.available()) {
        throw dev.lakeline.core.Errors.rejected("%s and %s cannot be measured on the same rows: %s.", a.label(), b.label(),
            m.rows());
      }
      String va = "v" + a.version();
      String vb = "v" + b.version();
      out.printf(Locale.ROOT, "%s %s against %s on %s (%,d positive)%n", model, va, vb, m.rows(), m.positives());
      TextTable table = new TextTable("metric", ">" + va, ">" + vb, ">" + va + " − " + vb, "better");
      table.row("threshold", dev.lakeline.training.Trainer.threshold(a.card().params()),
          dev.lakeline.training.Trainer.threshold(b.card().params()), "", "");
      for (List<String> row : ModelReport.comparisonRows(METRICS, m.candidate(), m.holder(), va, vb)) {
        table.row(row.toArray());
      }
      table.print(out);
      if (report != null) {
        out.printf("%n  report      %s%n", ReportPages.write(report, ModelReport.comparison(model, a, b, m.rows(), m.positives(),
            METRICS, m.candidate(), m.holder(), m.candidateScores(), m.holderScores())));
      }
    }
  }

  @Command(name = "importance", mixinStandardHelpOptions = true,
      description = "Which features a version leans on: its permutation importance on its own test split. The rows are "
          + "scored as they are, then once more per feature with that feature's values shuffled among the rows; the "
          + "feature's importance is how much the AUC drops, averaged over --repeats shuffles. Works for every algorithm, "
          + "and a categorical feature counts once.")
  static final class Importance extends ModelFileCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's name.")
    String model;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REF", defaultValue = "latest",
        description = "Which version (default ${DEFAULT-VALUE}): a number, latest, @alias or best:<metric>.")
    String ref;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "5",
        description = "Shuffles per feature, 1 to 50 (default ${DEFAULT-VALUE}); the table gives their mean drop and its "
            + "standard deviation.")
    int repeats;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "20000",
        description = "Measure on at most N rows of the test split (default ${DEFAULT-VALUE}), a seeded sample of a larger one.")
    int rows;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
        description = "Seed of the sample and the shuffles (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--report", paramLabel = "FILE",
        description = "Also write an HTML page: the table and a bar chart of each feature's drop with its spread.")
    Path report;


    @Override
    void run(JobContext ctx, PrintStream out) {
      if (report != null) {
        ReportPages.checkWritable(report);
      }
      if (repeats < 1 || repeats > dev.lakeline.training.PermutationImportance.MAX_REPEATS) {
        throw dev.lakeline.core.Errors.config("--repeats must be 1 to %d, not %d.",
            dev.lakeline.training.PermutationImportance.MAX_REPEATS, repeats);
      }
      if (rows < dev.lakeline.training.PermutationImportance.MIN_ROWS) {
        throw dev.lakeline.core.Errors.config("--rows must be at least %d, not %d.",
            dev.lakeline.training.PermutationImportance.MIN_ROWS, rows);
      }
      ModelVersion v = version(ctx, model, ref);
      dev.lakeline.jobs.pipelines.SameRows.Importance m =
          dev.lakeline.jobs.pipelines.SameRows.importance(ctx, definition(ctx), v, seed, repeats, rows);
      dev.lakeline.training.PermutationImportance.Result r = m.result();
      out.printf(Locale.ROOT, "%s v%d on %s, %,d positive: AUC %.4f as scored; each feature's values shuffled %d time%s "
          + "among the rows (seed %d)%n", model, v.version(), m.rows(), r.positives(), r.auc(), r.repeats(),
          r.repeats() == 1 ? "" : "s", r.seed());
      TextTable table = new TextTable("feature", ">AUC drop", ">± sd", ">AUC shuffled", "");
      for (List<String> row : ModelReport.importanceRows(r)) {
        table.row(row.toArray());
      }
      table.print(out);
      out.printf("%n%s%n", ModelReport.IMPORTANCE_READING);
      out.printf("Kept with %s: 'lakeline models show' lists the largest drops, and the drift line of every inference it "
          + "scores gives a flagged feature's drop.%n", v.label());
      if (report != null) {
        out.printf("%n  report      %s%n", ReportPages.write(report, ModelReport.importance(model, v, m.rows(), r)));
      }
    }
  }

  /**
   * A registry command that also reads the model file ({@code --model-file}, else {@code model.file}): where its
   * versions' rows come from, their on-demand features and label.
   */
  abstract static class ModelFileCommand extends StoreCommand {
    @picocli.CommandLine.Mixin ModelFileOption modelFile;

    @Override
    Map<String, String> overrides() {
      Map<String, String> out = new java.util.HashMap<>();
      modelFile.addTo(out);
      return out;
    }

    /** The model file the configuration names, loaded and checked. */
    static dev.lakeline.jobs.pipelines.ModelDefinition definition(JobContext ctx) {
      return dev.lakeline.jobs.pipelines.ModelFile.load(ctx.config().get(dev.lakeline.core.config.LakelineKeys.MODEL_FILE));
    }
  }

  /** Version {@code ref} of {@code model}; not found, naming the models there are, when the model has no version. */
  static ModelVersion version(JobContext ctx, String model, String ref) {
    ModelRegistry registry = ctx.registry();
    if (registry.versions(model).isEmpty()) {
      throw noSuchModel(registry, model, ctx);
    }
    return registry.resolve(model, ref);
  }

  /** The version number {@code ref} names exactly ({@code 3} or {@code v3}), or null for any other reference. */
  static Integer number(String ref) {
    String r = ref == null ? "" : ref.strip();
    return r.matches("[vV]?[0-9]{1,9}") ? Integer.valueOf(r.replaceFirst("^[vV]", "")) : null;
  }

  /**
   * The card's training dataset as "view v1 td3" and how to look at it, or that it is gone; the card's own path when
   * it names no dataset folder. The card holds the absolute path of the lakehouse it was trained in, which is stale in
   * a copied or moved lakehouse, so the dataset is looked up by its name here.
   */
  static String dataset(JobContext ctx, String cardPath) {
    return StorageLayout.trainingDatasetFolder(cardPath).map(d -> {
      try {
        ctx.featureStore().getTrainingDataset(d.view(), d.version(), d.number());
        return String.format("%s (lakeline td show %s %d --version %d)", d.label(), d.view(), d.number(), d.version());
      } catch (dev.lakeline.core.LakelineException.NotFound e) {
        return d.label() + " (no longer in this lakehouse)";
      }
    }).orElse(cardPath);
  }

  /** A kept importance in a line: the largest AUC drops first, and what it was measured on. */
  static String importance(dev.lakeline.training.PermutationImportance.Result r) {
    List<dev.lakeline.training.PermutationImportance.Feature> top = r.features().subList(0, Math.min(5, r.features().size()));
    return String.format(Locale.ROOT, "AUC drop %s%s (%,d test rows, %d shuffle%s each; models importance)",
        String.join(" · ", top.stream().map(f -> String.format(Locale.ROOT, "%s %.3f", f.feature(), f.drop())).toList()),
        r.features().size() > top.size() ? " · …" : "", r.rows(), r.repeats(), r.repeats() == 1 ? "" : "s");
  }

  /** Not found: {@code model} has no versions; names the models there are. */
  static dev.lakeline.core.LakelineException.NotFound noSuchModel(ModelRegistry registry, String model, JobContext ctx) {
    List<String> models = registry.models();
    return dev.lakeline.core.Errors.notFound("There is no model %s under %s. %s", model, ctx.layout().root(),
        models.isEmpty() ? "No model has been trained there yet (lakeline train --date <day>)." : "Its models: " + String.join(", ", models) + ".");
  }
}
