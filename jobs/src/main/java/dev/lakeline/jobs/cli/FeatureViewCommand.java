package dev.lakeline.jobs.cli;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import dev.lakeline.core.Errors;
import dev.lakeline.core.storage.LakeFiles;
import dev.lakeline.featurestore.FeatureView;
import dev.lakeline.featurestore.FeatureViewFiles;
import dev.lakeline.core.Durations;
import dev.lakeline.featurestore.FeatureViewSpec;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.reports.TrainingDatasetReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lakeline fv …}: feature views from the command line. */
@Command(
    name = "fv",
    mixinStandardHelpOptions = true,
    description = "Feature views: list them, create one from a definition file (base group, features, point-in-time joins, labels), "
        + "show one, or read its batch data for inference.",
    subcommands = {FeatureViewCommand.Listing.class, FeatureViewCommand.Create.class, FeatureViewCommand.Show.class,
        FeatureViewCommand.Read.class})
final class FeatureViewCommand extends ParentCommand {
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
      var spec = FeatureViewFiles.load(file);
      boolean existed = dev.lakeline.core.storage.LakeFiles.of(ctx.spark()).exists(
          ctx.featureStore().layout().featureView(spec.name(), spec.version()));
      FeatureView v = ctx.featureStore().createFeatureView(spec);
      out.printf("%sfeature view %s v%d: %d features, labels %s%s%n", existed ? "" : "created ",
          v.spec().name(), v.spec().version(), v.featureColumns().size(), v.spec().labels(),
          existed ? " (exists with this definition, unchanged)" : "");
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

  @Command(name = "read",
      description = {"Batch data of a feature view for inference: its base rows of a time range, or the latest row of "
          + "every entity as of a time, or the rows a filter selects; every joined group's features point-in-time, labels "
          + "left out. Prints the first rows, or writes them all to --output.",
          "Times are UTC: YYYY-MM-DD, 'YYYY-MM-DD HH:MM:SS' or an ISO-8601 instant."})
  static final class Read extends StoreCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The view's name.")
    String name;

    @picocli.CommandLine.Mixin HelpOption help;

    @Option(names = "--version", paramLabel = "N", defaultValue = "1", description = "The view's version (default ${DEFAULT-VALUE}).")
    int version;

    @Option(names = "--start", paramLabel = "TIME", description = "Base rows with event time at or after this (with --end).")
    String start;

    @Option(names = "--end", paramLabel = "TIME", description = "… and before this (exclusive).")
    String end;

    @Option(names = "--latest-as-of", paramLabel = "TIME",
        description = "Instead: each entity's latest base row at or before this time, every group read as of it.")
    String latestAsOf;

    @Option(names = "--filter", paramLabel = "SQL", description = "Instead: the base rows this SQL condition selects.")
    String filter;

    @Option(names = "--output", paramLabel = "PATH", description = "Write every row here (a new folder or table) instead of printing.")
    String output;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "parquet",
        description = "--output's format: parquet (default), delta, csv (with a header) or json.")
    String format;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
        description = "Rows to print (default ${DEFAULT-VALUE}); not with --output, which writes every row.")
    int limit;

    @Override
    void run(JobContext ctx, PrintStream out) {
      int forms = (start != null || end != null ? 1 : 0) + (latestAsOf != null ? 1 : 0) + (filter != null ? 1 : 0);
      if (forms != 1) {
        throw Errors.config("Say which base rows to read, one way: --start T --end T (a time range), --latest-as-of T "
            + "(the latest per entity) or --filter SQL (--filter true for all of them).");
      }
      if ((start == null) != (end == null)) {
        throw Errors.config("A time range needs both ends: --start %s --end %s.", start == null ? "?" : start, end == null ? "?" : end);
      }
      if (output != null && !List.of("parquet", "delta", "csv", "json").contains(format)) {
        throw Errors.config("Unknown --format '%s': use parquet, delta, csv or json.", format);
      }
      if (output == null && spec.commandLine().getParseResult().hasMatchedOption("--format")) {
        throw Errors.config("--format is the format of --output; give --output PATH too, or leave --format out to print rows.");
      }
      if (output != null && spec.commandLine().getParseResult().hasMatchedOption("--limit")) {
        throw Errors.config("--limit is the number of rows to print; --output writes every row. Leave out --limit, or --output "
            + "to print the first rows.");
      }
      if (output == null) {
        requireLimit(limit, "rows");
      }
      if (output != null && output.isBlank()) {
        throw Errors.config("--output is empty: give the path of a new folder or table.");
      }
      if (output != null && LakeFiles.of(ctx.spark()).exists(output)) {
        throw Errors.conflict("%s already exists: give --output a new path, or delete it first.", output);
      }
      if (output != null) {
        requireLocalFolderFor(output);
      }
      FeatureView v = ctx.featureStore().getFeatureView(name, version);
      String base = v.spec().base().name();
      String time = v.identityColumns().get(v.identityColumns().size() - 1);
      FeatureView.FeatureFrame frame;
      String rows;
      if (start != null) {
        Instant from = utc("--start", start);
        Instant to = utc("--end", end);
        frame = v.batchData(from, to);
        rows = String.format("%s rows with %s in [%s, %s)", base, time, from, to);
      } else if (latestAsOf != null) {
        Instant at = utc("--latest-as-of", latestAsOf);
        frame = v.latestFeatures(at);
        rows = String.format("the latest %s row per %s at or before %s", base, v.identityColumns().subList(0, v.identityColumns().size() - 1), at);
      } else {
        frame = v.batchData(filter);
        String which = TrainingDatasetReport.rowsText(filter);
        rows = which.startsWith("all") ? "all " + base + " rows" : base + " " + which;
      }
      out.printf("batch data of feature view %s v%d: %s · %d features · groups at Delta versions %s%n",
          name, version, rows, v.featureColumns().size(), frame.sourceVersions());
      Dataset<Row> data = frame.data();
      if (output == null) {
        out.println(data.showString(limit, 40, false).stripTrailing());
        return;
      }
      // the rows are counted as they are written (no second read of the output)
      Observation written = new Observation("fv_read");
      DataFrameWriter<Row> writer = data.observe(written, count(lit(1)).as("rows")).write().format(format).mode(SaveMode.ErrorIfExists);
      if (format.equals("csv")) {
        writer = writer.option("header", "true");
      }
      writer.save(output);
      long count;
      try {
        count = ((Number) written.getAsJava().get("rows")).longValue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the count of the rows written to " + output, e);
      }
      out.printf("wrote %,d rows (%s) to %s%n", count, String.join(", ", data.columns()), output);
    }

    /**
     * For a local {@code --output}: its nearest existing ancestor must be a folder, so that a path under a file fails
     * here, in one line, and not in the middle of the Spark write (remote stores are left to the write itself).
     */
    private static void requireLocalFolderFor(String output) {
      Path target;
      try {
        target = output.startsWith("file:") ? Path.of(java.net.URI.create(output))
            : output.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") ? null : Path.of(output);
      } catch (IllegalArgumentException e) { // a bad URI, or an InvalidPathException
        throw Errors.config("--output '%s' is not a path: give the path of a new folder or table.", output);
      }
      if (target == null) {
        return;
      }
      Path folder = dev.lakeline.jobs.reports.ReportPages.nearestExisting(target.toAbsolutePath().getParent());
      if (folder != null && !java.nio.file.Files.isDirectory(folder)) {
        throw Errors.config("Cannot write --output %s: %s is a file, not a folder. Give --output a path under a folder.", output, folder);
      }
      if (folder != null && !java.nio.file.Files.isWritable(folder)) {
        throw Errors.config("Cannot write --output %s: the folder %s is not writable. Give --output a path you can write to.", output, folder);
      }
    }

    /** A UTC time: a date (its midnight), a date and time, or an ISO-8601 instant. */
    private static Instant utc(String option, String value) {
      try {
        return dev.lakeline.core.UtcTimes.parse(value);
      } catch (DateTimeParseException e) {
        throw Errors.config("%s '%s' is not a time: use YYYY-MM-DD, 'YYYY-MM-DD HH:MM:SS' (UTC) or an ISO-8601 instant.", option, value);
      }
    }
  }
}
