package dev.lakeline.jobs.cli;

import dev.lakeline.featurestore.FeatureView;
import dev.lakeline.featurestore.FeatureViewFiles;
import dev.lakeline.core.Durations;
import dev.lakeline.featurestore.FeatureViewSpec;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.reports.TrainingDatasetReport;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lakeline fv …}: feature views from the command line. */
@Command(
    name = "fv",
    mixinStandardHelpOptions = true,
    description = "Feature views: list them, create one from a definition file (base group, features, point-in-time joins, labels), or show one.",
    subcommands = {FeatureViewCommand.Listing.class, FeatureViewCommand.Create.class, FeatureViewCommand.Show.class})
final class FeatureViewCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(LakelineCli.stdout(spec));
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the lakehouse's feature views: name, version, base, joined groups, features, labels.")
  static final class Listing extends StoreCommand {
    @Override
    void run(JobContext ctx, PrintStream out) {
      java.util.List<FeatureView> views = ctx.featureStore().listFeatureViews();
      if (views.isEmpty()) {
        out.printf("no feature views under %s yet: 'lakeline fv create --file F' makes one%n", ctx.featureStore().layout().root());
        return;
      }
      TextTable table = new TextTable("feature view", "base", "joined", ">features", "labels");
      for (FeatureView v : views) {
        FeatureViewSpec s = v.spec();
        table.row(s.name() + " v" + s.version(), s.base(),
            String.join(", ", s.joins().stream().map(j -> j.group().toString()).toList()), v.featureColumns().size(),
            String.join(", ", s.labels()));
      }
      table.print(out);
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Creates a feature view from a YAML definition (or confirms it exists with that definition); checks every group and column.")
  static final class Create extends StoreCommand {
    @Option(names = "--file", required = true, paramLabel = "FILE",
        description = "The definition: name, version, description, base, features, labels, joins (docs/feature-views.md).")
    Path file;

    @Override
    void run(JobContext ctx, PrintStream out) {
      FeatureView v = ctx.featureStore().createFeatureView(FeatureViewFiles.load(file));
      out.printf("feature view %s v%d: %d features, labels %s%n",
          v.spec().name(), v.spec().version(), v.featureColumns().size(), v.spec().labels());
    }
  }

  @Command(name = "show", description = "Shows a feature view's definition.")
  static final class Show extends StoreCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The view's name.")
    String name;

    @picocli.CommandLine.Mixin HelpOption help;

    @Option(names = "--version", paramLabel = "N", defaultValue = "1", description = "The view's version (default ${DEFAULT-VALUE}).")
    int version;

    @Override
    void run(JobContext ctx, PrintStream out) {
      FeatureView v = ctx.featureStore().getFeatureView(name, version);
      FeatureViewSpec s = v.spec();
      out.printf("feature view %s v%d%s%n", s.name(), s.version(), s.description().isEmpty() ? "" : ": " + s.description());
      out.printf("  base      %s · features %s · labels %s · rows identified by %s%n",
          s.base(), s.baseFeatures(), s.labels(), v.identityColumns());
      for (FeatureViewSpec.Join j : s.joins()) {
        out.printf("  join      %s on %s, %s%s · features %s%s%s%s%n", j.group(), j.baseKeys(),
            TrainingDatasetReport.joinKind(j.staticJoin(), j.strict()),
            j.inner() ? ", inner" : "",
            j.features(), j.prefix().isEmpty() ? "" : " · prefix " + j.prefix(),
            j.maxAge() == null ? "" : " · max age " + Durations.format(j.maxAge()),
            j.defaults().isEmpty() ? "" : " · on a miss " + j.defaults());
      }
      out.printf("  columns   %s%n", v.featureColumns());
      if (!s.transformations().isEmpty()) {
        out.printf("  model-dependent transformations (fitted by training) %s%n", s.transformations());
      }
    }
  }
}
