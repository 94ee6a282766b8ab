package dev.lakeline.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lakeline.core.Errors;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.lineage.Lineage;
import dev.lakeline.jobs.lineage.Lineage.Commit;
import dev.lakeline.jobs.lineage.Lineage.DatasetNode;
import dev.lakeline.jobs.lineage.Lineage.GroupRead;
import dev.lakeline.jobs.lineage.Lineage.ModelNode;
import dev.lakeline.jobs.lineage.Lineage.PredictionBatch;
import dev.lakeline.jobs.reports.LineageReport;
import dev.lakeline.jobs.reports.ReportPages;
import dev.lakeline.training.ModelRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lakeline lineage model|group}: where a model version came from, and what a feature group's commit fed. */
@Command(
    name = "lineage",
    mixinStandardHelpOptions = true,
    description = "Lineage from the lakehouse's own records: a model version back to the feature-group commits its training "
        + "data was read from, or a feature group's commit forward to the training datasets, model versions and "
        + "predictions made from it.",
    subcommands = {LineageCommand.OfModel.class, LineageCommand.OfGroup.class})
final class LineageCommand extends ParentCommand {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Command(name = "model", mixinStandardHelpOptions = true,
      description = "A model version's lineage: its training dataset, the Delta version of every feature group it read with "
          + "the commits (batches, runs, validation reports) up to it, and the dates it scored.",
      footer = {"", "Examples:", "  lakeline lineage model loan_default @champion", "  lakeline lineage model loan_default 2 --report v2-lineage.html"})
  static final class OfModel extends StoreCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's name.")
    String model;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REF", defaultValue = "latest",
        description = "Which version (default ${DEFAULT-VALUE}): a number, latest, @alias or best:<metric>.")
    String ref;

    @Option(names = "--commits", paramLabel = "N", defaultValue = "3",
        description = "How many of each group's commits up to the version read to list, newest first (default ${DEFAULT-VALUE}).")
    int commits;

    @picocli.CommandLine.Mixin Output output;

    @Override
    void checkArguments() {
      if (commits < 0) {
        throw Errors.config("--commits must be 0 or more (how many of each group's commits to list); got %d.", commits);
      }
    }

    @Override
    void run(JobContext ctx, PrintStream out) {
      output.checkWritable();
      ModelRegistry registry = ctx.registry();
      Integer number = ModelsCommand.number(ref);
      if (registry.versions(model).isEmpty() && (number == null || registry.deleted(model, number).isEmpty())) {
        throw ModelsCommand.noSuchModel(registry, model, ctx);
      }
      Lineage.ModelLineage l = lineage(ctx).ofModel(model, ref, commits);
      if (!output.write(out, () -> LineageReport.html(l, ctx.layout().root()), l)) {
        print(out, l);
      }
    }

    private static void print(PrintStream out, Lineage.ModelLineage l) {
      ModelNode m = l.model();
      out.printf("model %s%s · trained for %s%s%s%n", m.label(), m.aliases().isEmpty() ? "" : " (" + String.join(", ", m.aliases()) + ")",
          m.logicalDate() == null ? "(no logical date)" : m.logicalDate(), m.runId() == null ? "" : " by run " + m.runId(),
          m.auc() == null ? "" : String.format(Locale.ROOT, " · test AUC %.3f", m.auc()));
      DatasetNode d = l.dataset();
      if (d != null) {
        out.printf("└─ training dataset %s · %s · %s%n", d.label(), rows(d), d.path());
      } else {
        out.printf("└─ training dataset %s: no longer in this lakehouse; the groups below are the versions its card records%n",
            dev.lakeline.core.storage.StorageLayout.trainingDatasetLabel(m.trainingDataset()));
      }
      for (int i = 0; i < l.reads().size(); i++) {
        GroupRead r = l.reads().get(i);
        boolean last = i == l.reads().size() - 1;
        out.printf("   %s %-7s %s%n", last ? "└─" : "├─", r.role(), r.label());
        List<Commit> commits = l.commits().getOrDefault(r.group(), List.of());
        String bar = last ? "    " : "│   ";
        if (commits.isEmpty() && l.earlierCommits().getOrDefault(r.group(), 0) == 0) {
          out.printf("   %s   (its history is not readable here: the group is gone, or this lakehouse is a copy without it)%n", bar);
        }
        for (Commit c : commits) {
          out.printf("   %s   %s%n", bar, c.summary());
        }
        int earlier = l.earlierCommits().getOrDefault(r.group(), 0);
        if (earlier > 0) {
          out.printf("   %s   … %d earlier commit%s (lakeline fg history %s)%n", bar, earlier, earlier == 1 ? "" : "s", history(r.group()));
        }
      }
      out.println();
      if (l.predictions().isEmpty()) {
        out.printf("No predictions in the table are scored by %s.%n", m.label());
        return;
      }
      out.printf("predictions scored by %s:%n", m.label());
      predictionsTable(l.predictions(), false).print(out);
    }
  }

  @Command(name = "group",
      description = "What a feature group's commit fed (a bad batch's, say): the training datasets that read that Delta "
          + "version or a later one still holding rows it wrote, the model versions trained on them and where their aliases "
          + "point, and the predictions that read those rows at inference or were scored by one of those versions.",
      footer = {"", "Examples:", "  lakeline lineage group credit_reports --delta-version 3", "  lakeline lineage group loans --json"})
  static final class OfGroup extends StoreCommand {
    @Parameters(index = "0", paramLabel = "GROUP", description = "The feature group's name.")
    String group;

    @picocli.CommandLine.Mixin HelpOption help; // --version is the group's, as in fg

    @Option(names = "--version", paramLabel = "N", defaultValue = "1", description = "The group's version (default ${DEFAULT-VALUE}).")
    int version;

    @Option(names = "--delta-version", paramLabel = "D",
        description = "The commit to follow: what read Delta version D or a later one (lakeline fg history lists them). "
            + "Default: every version.")
    Long deltaVersion;

    @picocli.CommandLine.Mixin Output output;

    @Override
    void run(JobContext ctx, PrintStream out) {
      output.checkWritable();
      Lineage.Impact impact = lineage(ctx).ofGroup(group, version, deltaVersion);
      if (!output.write(out, () -> LineageReport.html(impact, ctx.layout().root()), impact)) {
        print(out, impact);
      }
    }

    private static void print(PrintStream out, Lineage.Impact i) {
      String from = i.fromVersion() == null ? "at any Delta version (0 to " + i.latestVersion() + ")"
          : "at Delta version " + i.fromVersion() + " or later (now " + i.latestVersion() + ")";
      out.printf("feature group %s, read %s%n", i.group(), from);
      if (i.commit() != null) {
        out.printf("  commit: %s%n", i.commit().summary());
      }
      out.println();
      if (i.datasets().isEmpty()) {
        out.println("training datasets: none read it.");
      } else {
        out.printf("training datasets that read it: %d%n", i.datasets().size());
        boolean commit = i.fromVersion() != null;
        TextTable t = commit ? new TextTable("dataset", "read as", ">rows of commit " + i.fromVersion(), ">rows", "path")
            : new TextTable("dataset", "read as", ">rows", "path");
        for (Lineage.AffectedDataset a : i.datasets()) {
          DatasetNode d = a.dataset();
          String rows = String.format(Locale.ROOT, "%,d", d.rows());
          String readAs = a.readAs();
          if (commit) {
            t.row(d.label(), readAs, a.rowsOfCommit() == null ? "not tracked" : String.format(Locale.ROOT, "%,d", a.rowsOfCommit()), rows, d.path());
          } else {
            t.row(d.label(), readAs, rows, d.path());
          }
        }
        t.print(out);
      }
      if (!i.withoutItsRows().isEmpty()) {
        out.printf("not affected: %s read a later version in which no row of commit %d remained (replaced or deleted since)%n",
            i.withoutItsRows().stream().map(a -> a.dataset().label() + " (@ Delta " + a.readVersion() + ")").collect(Collectors.joining(", ")),
            i.fromVersion());
      }
      out.println();
      if (i.models().isEmpty()) {
        out.println("model versions: none trained on them.");
      } else {
        out.printf("model versions trained on them: %d%n", i.models().size());
        TextTable t = new TextTable("version", "aliases now", "trained for", ">test AUC", "dataset", "run");
        for (ModelNode m : i.models()) {
          t.row(m.label(), m.aliases().isEmpty() ? "-" : String.join(", ", m.aliases()), m.logicalDate(),
              m.auc() == null ? "" : String.format(Locale.ROOT, "%.3f", m.auc()),
              dev.lakeline.core.storage.StorageLayout.trainingDatasetLabel(m.trainingDataset()), m.runId() == null ? "-" : m.runId());
        }
        t.print(out);
      }
      out.println();
      if (i.predictions().isEmpty()) {
        out.println("predictions: none read it or were scored by those versions.");
      } else {
        out.printf("predictions made from it: %d date%s%n", i.predictions().size(), i.predictions().size() == 1 ? "" : "s");
        predictionsTable(i.predictions(), true).print(out);
      }
      if (!i.unrecorded().isEmpty()) {
        out.printf("%nnot known: %d date%s of predictions whose commits do not record the group versions inference read "
            + "(written before Lakeline recorded them): %s%n", i.unrecorded().size(), i.unrecorded().size() == 1 ? "" : "s",
            i.unrecorded().stream().map(PredictionBatch::label).collect(Collectors.joining(", ")));
      }
      if (!i.models().isEmpty() || !i.predictions().isEmpty()) {
        out.printf("%nTo redo them once the group is mended: a new training dataset and version (lakeline train --date D), "
            + "then inference for the dates above (lakeline infer --date D); 'lakeline models alias' moves an alias back.%n");
      }
    }
  }

  /** {@code --json} and {@code --report FILE}, the same for both subcommands. */
  static final class Output {
    @Option(names = "--json", description = "Print it as JSON, every field.")
    boolean json;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write it as an HTML page with its graph.")
    Path report;

    /** Before anything is read or printed: a page that could not be written fails first. */
    void checkWritable() {
      if (report != null) {
        ReportPages.checkWritable(report);
      }
    }

    /**
     * Writes the page when asked (saying where, unless the output is JSON) and prints {@code value} as JSON when asked;
     * true when it printed the JSON, which is then the whole output.
     */
    boolean write(PrintStream out, java.util.function.Supplier<String> html, Object value) {
      if (report != null) {
        Path written = ReportPages.write(report, html.get());
        if (!json) {
          out.printf("report: %s%n", written);
        }
      }
      if (json) {
        try {
          out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("Cannot write the lineage as JSON", e);
        }
      }
      return json;
    }
  }

  private static Lineage lineage(JobContext ctx) {
    return Lineage.of(ctx.spark(), ctx.layout(), ctx.featureStore(), ctx.registry());
  }

  private static String rows(DatasetNode d) {
    return String.format(Locale.ROOT, "%,d rows (%s)", d.rows(), d.rowsPerSplit().entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue())).collect(Collectors.joining(" · ")));
  }

  /** {@code fg history}'s arguments for a "name vN" group. */
  private static String history(String group) {
    int at = group.lastIndexOf(" v");
    return at < 0 ? group : group.substring(0, at) + " --version " + group.substring(at + 2);
  }

  private static TextTable predictionsTable(List<PredictionBatch> batches, boolean reasons) {
    TextTable t = reasons ? new TextTable("date", "model", ">version", ">rows", ">Delta", "why", "run")
        : new TextTable("date", ">rows", ">Delta", "feature groups read", "run");
    for (PredictionBatch p : batches) {
      String delta = p.deltaVersion() < 0 ? "-" : Long.toString(p.deltaVersion());
      String rows = String.format(Locale.ROOT, "%,d", p.rows());
      String run = p.runId() == null ? "-" : p.runId();
      if (reasons) {
        t.row(p.date(), p.model(), "v" + p.modelVersion(), rows, delta, String.join("; ", p.reasons()), run);
      } else {
        t.row(p.date(), rows, delta, p.groupsRead(), run);
      }
    }
    return t;
  }
}
