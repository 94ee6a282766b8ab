package dev.lakeline.jobs.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.lakeline.core.Errors;
import dev.lakeline.core.spark.SqlColumns;
import dev.lakeline.featurestore.FeatureView;
import dev.lakeline.featurestore.SplitSpec;
import dev.lakeline.featurestore.SplitStatistics;
import dev.lakeline.featurestore.TrainingDataset;
import dev.lakeline.featurestore.TrainingDatasetManifest;
import dev.lakeline.featurestore.TrainingDatasetOptions;
import dev.lakeline.featurestore.TrainingDatasetProfile;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.reports.ReportPages;
import dev.lakeline.jobs.reports.TrainingDatasetReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lakeline td …}: training datasets from the command line. */
@Command(
    name = "td",
    mixinStandardHelpOptions = true,
    description = "Training datasets of a feature view: list them, create one (point-in-time rows, a split, a manifest), show its manifest, or recreate it from the manifest.",
    subcommands = {TrainingDatasetCommand.Listing.class, TrainingDatasetCommand.Create.class, TrainingDatasetCommand.Show.class, TrainingDatasetCommand.Recreate.class})
final class TrainingDatasetCommand extends ParentCommand {
  /** The view named on the command line. */
  abstract static class OnView extends StoreCommand {
    @Parameters(index = "0", paramLabel = "VIEW", description = "The feature view's name.")
    String view;

    @picocli.CommandLine.Mixin HelpOption help;

    @Option(names = "--version", paramLabel = "N", defaultValue = "1", description = "The view's version (default ${DEFAULT-VALUE}).")
    int version;
  }

  @Command(name = "list", description = "Lists a view's training datasets: number, split, rows per split, the sources' Delta versions.")
  static final class Listing extends OnView {
    @Override
    void run(JobContext ctx, PrintStream out) {
      java.util.List<TrainingDataset> all = ctx.featureStore().listTrainingDatasets(view, version);
      if (all.isEmpty()) {
        out.printf("feature view %s v%d has no training datasets yet: 'lakeline td create %s' makes one%n", view, version, view);
        return;
      }
      TextTable table = new TextTable("td", "split", "rows", "sources @ Delta version");
      for (TrainingDataset td : all) {
        TrainingDatasetManifest m = td.manifest();
        String rows = String.join(" · ", m.splitNames().stream()
            .map(split -> String.format(Locale.ROOT, "%s %,d", split, m.rowsPerSplit().get(split))).toList());
        String sources = String.join(", ", m.identity().sourceVersions().entrySet().stream()
            .map(e -> e.getKey() + " @ " + e.getValue()).toList());
        table.row("td" + m.number(), m.identity().split().kind().name().toLowerCase(Locale.ROOT) + ", seed " + m.identity().seed(),
            rows, sources);
      }
      table.print(out);
    }
  }

  @Command(name = "create",
      description = "Materialises a training dataset of a view; the same options on the same data return the existing one.")
  static final class Create extends OnView {
    @Option(names = "--filter", paramLabel = "SQL", defaultValue = "true",
        description = "SQL predicate on the base group selecting the labelled rows, e.g. \"issue_date < DATE'2024-06-01'\".")
    String filter;

    @Option(names = "--split", paramLabel = "KIND", description = "random (default), time or entity.")
    String split;

    @Option(names = "--test-fraction", paramLabel = "F", description = "random/entity: share of the test split (default 0.2).")
    Double testFraction;

    @Option(names = "--validation-fraction", paramLabel = "F", description = "random/entity: share of the validation split (default none).")
    Double validationFraction;

    @Option(names = "--entity", paramLabel = "COLUMN", split = ",", description = "entity: the column(s) no entity may cross splits by.")
    List<String> entity;

    @Option(names = "--validation-start", paramLabel = "YYYY-MM-DD", converter = DateOption.class,
        description = "time: validation rows from this date (UTC midnight) on; none without it.")
    LocalDate validationStart;

    @Option(names = "--test-start", paramLabel = "YYYY-MM-DD", converter = DateOption.class, description = "time (required with it): test rows from this date (UTC midnight) on.")
    LocalDate testStart;

    @Option(names = "--gap-days", paramLabel = "N", description = "time: days before each boundary whose rows are dropped (default 0).")
    Integer gapDays;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "The seed of a random or entity split (default ${DEFAULT-VALUE}); not with --split time.")
    long seed;

    @Override
    void run(JobContext ctx, PrintStream out) {
      SplitSpec spec = splitSpec();
      FeatureView v = ctx.featureStore().getFeatureView(view, version);
      out.printf("building a training dataset of %s v%d: %s joined with %s, split %s …%n", view, version,
          v.spec().base(), v.spec().joins().isEmpty() ? "nothing" : String.join(", ", v.spec().joins().stream().map(j -> j.group().toString()).toList()),
          spec.describe());
      TrainingDataset td = v.createTrainingDataset(new TrainingDatasetOptions(filter, spec, seed));
      boolean reused = td.existed();
      out.printf("training dataset %s → %s%s%n", td.label(), td.path(),
          reused ? " (unchanged: made before with the same options from the same Delta versions)" : "");
      printSplits(out, td.manifest());
      PrintStream err = LakelineCli.stderr(this.spec);
      td.manifest().emptySplitWarnings().forEach(w -> err.println("warning: training dataset " + td.label() + ": " + w));
    }

    /** The split the options describe; an option of another kind of split is an error, never ignored. */
    private SplitSpec splitSpec() {
      String kind = split == null ? "random" : split.toLowerCase(Locale.ROOT);
      if (!List.of("random", "time", "entity").contains(kind)) {
        throw Errors.config("Unknown --split '%s': use random, time or entity.", split);
      }
      Map<String, Object> given = new java.util.LinkedHashMap<>();
      given.put("--entity", entity);
      given.put("--test-fraction", testFraction);
      given.put("--validation-fraction", validationFraction);
      given.put("--validation-start", validationStart);
      given.put("--test-start", testStart);
      given.put("--gap-days", gapDays);
      for (Map.Entry<String, Object> option : given.entrySet()) {
        List<String> kinds = SPLITS_OF.get(option.getKey());
        if (option.getValue() != null && !kinds.contains(kind)) {
          throw Errors.config("%s is an option of --split %s, not of --split %s%s: leave it out, or choose --split %s.",
              option.getKey(), String.join(" or ", kinds), kind, split == null ? " (the default)" : "", String.join(" or ", kinds));
        }
      }
      if (kind.equals("time") && this.spec.commandLine().getParseResult().hasMatchedOption("--seed")) {
        throw Errors.config("--seed is an option of --split random or entity, not of --split time (a time split is not "
            + "random): leave it out, or choose --split random or entity.");
      }
      double test = testFraction == null ? 0.2 : testFraction;
      double validation = validationFraction == null ? 0 : validationFraction;
      return switch (kind) {
        case "entity" -> {
          if (entity == null || entity.isEmpty()) {
            throw Errors.config("--split entity needs --entity COLUMN[,COLUMN]: the entity no split may share.");
          }
          yield SplitSpec.byEntity(entity, validation, test);
        }
        case "time" -> {
          if (testStart == null) {
            throw Errors.config("--split time needs --test-start YYYY-MM-DD (and optionally --validation-start, --gap-days).");
          }
          yield SplitSpec.byTime(midnight(validationStart), midnight(testStart), Duration.ofDays(gapDays == null ? 0 : gapDays));
        }
        default -> SplitSpec.random(validation, test);
      };
    }

    /** The kinds of split each split option belongs to. */
    private static final Map<String, List<String>> SPLITS_OF = Map.of(
        "--entity", List.of("entity"),
        "--test-fraction", List.of("random", "entity"),
        "--validation-fraction", List.of("random", "entity"),
        "--validation-start", List.of("time"),
        "--test-start", List.of("time"),
        "--gap-days", List.of("time"));

    private static Instant midnight(LocalDate date) {
      return date == null ? null : date.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
  }

  /** The training dataset named on the command line. */
  abstract static class OnDataset extends OnView {
    @Parameters(index = "1", paramLabel = "N", description = "The dataset's number (td<N>).")
    int number;

    /** The dataset; a number below 1 is a usage error naming the dataset number (not a "version"). */
    TrainingDataset dataset(JobContext ctx) {
      if (number < 1) {
        throw Errors.config("Training dataset numbers start at 1 (td1, td2, …; 'lakeline td list %s' shows them); got %d.", view, number);
      }
      return ctx.featureStore().getTrainingDataset(view, version, number);
    }
  }

  @Command(name = "show", description = "Shows a training dataset's manifest: sources and their Delta versions, the split, rows and statistics.")
  static final class Show extends OnDataset {
    @Option(names = "--json", description = "Print the whole manifest as JSON (what manifest.json holds).")
    boolean json;

    @Option(names = "--report", paramLabel = "FILE",
        description = "Also write an HTML report with charts: rows per split over event time, label means, and every numeric feature's histogram per split.")
    Path report;

    @Option(names = "--bins", paramLabel = "N", defaultValue = "20", description = "--report: bins per histogram (default ${DEFAULT-VALUE}).")
    int bins;

    @Override
    void run(JobContext ctx, PrintStream out) {
      // options that would be ignored, or fail after the manifest was printed, are refused before anything is read
      if (json && report != null) {
        throw Errors.config("--json prints the manifest alone and writes no report: leave out --json or --report.");
      }
      if (report == null && spec.commandLine().getParseResult().hasMatchedOption("--bins")) {
        throw Errors.config("--bins is the number of bins of --report's histograms; give --report FILE too, or leave --bins out.");
      }
      if (report != null) {
        ReportPages.checkWritable(report); // before anything is read or printed
      }
      if (report != null && bins < 1) {
        throw Errors.config("--bins must be 1 or more (bins per histogram of --report); got %d.", bins);
      }
      TrainingDataset td = dataset(ctx);
      TrainingDatasetManifest m = td.manifest();
      if (json) {
        out.println(m.toJson());
        return;
      }
      TrainingDatasetManifest.Spine spine = m.spine();
      out.printf("training dataset %s → %s%n", td.label(), td.path());
      out.printf("  view      %s v%d%n", m.identity().view(), m.identity().viewVersion());
      out.printf("  spine     %s @ Delta v%d · keys %s · time %s · %s%n",
          spine.group(), spine.deltaVersion(), spine.keys(), spine.eventTime(), TrainingDatasetReport.rowsText(m.identity().filter()));
      for (TrainingDatasetManifest.JoinedGroup j : m.joins()) {
        out.printf("  joined    %s @ Delta v%d on %s, %s%n", j.group(), j.deltaVersion(), j.baseKeys(),
            TrainingDatasetReport.joinKind(j.staticJoin(), j.strict()));
      }
      out.printf("  split     %s%n", TrainingDatasetReport.splitText(m));
      out.printf("  features  %s · labels %s%n", m.features(), m.labels());
      printSplits(out, m);
      printStatistics(out, m);
      if (report != null) {
        TrainingDatasetProfile profile = td.profile(bins);
        out.printf("%n  report    %s%n", ReportPages.write(report, TrainingDatasetReport.html(td, profile)));
      }
    }
  }

  @Command(name = "recreate",
      description = "Rebuilds a training dataset from its manifest (the same Delta versions) and checks that it equals the stored rows.")
  static final class Recreate extends OnDataset {
    @Override
    void run(JobContext ctx, PrintStream out) {
      TrainingDataset td = dataset(ctx);
      Dataset<Row> stored = td.read();
      Dataset<Row> rebuilt = ctx.featureStore().recreateTrainingDataset(view, version, number);
      Comparison c = compare(stored, rebuilt);
      if (c.missing() + c.extra() > 0) {
        throw Errors.conflict("Recreating %s gave different rows: %,d stored rows missing, %,d extra. Were its sources' "
            + "Delta versions vacuumed or rewritten?", td.label(), c.missing(), c.extra());
      }
      out.printf("training dataset %s recreated from its manifest: %,d rows, identical to the stored ones%n", td.label(), c.stored());
    }
  }

  /** The stored rows, and the rows each side holds more often than the other (as {@code EXCEPT ALL} counts them). */
  record Comparison(long stored, long missing, long extra) {}

  /**
   * Compares two row multisets in one pass: the rebuilt rows (which a point-in-time join computes) are read once,
   * not once per {@code exceptAll}. Each row counts +1 stored, -1 rebuilt; grouped by every column (nulls equal, as in
   * {@code EXCEPT ALL}), a positive sum is stored rows the rebuild lacks, a negative one rebuilt rows not stored.
   */
  static Comparison compare(Dataset<Row> stored, Dataset<Row> rebuilt) {
    String side = "__lakeline_side";
    Column[] columns = Arrays.stream(stored.columns()).map(SqlColumns::col).toArray(Column[]::new);
    Dataset<Row> both = stored.select(columns).withColumn(side, lit(1))
        .unionAll(rebuilt.select(columns).withColumn(side, lit(-1)));
    Column d = col("__lakeline_d");
    Row r = both.groupBy(columns)
        .agg(sum(side).as("__lakeline_d"), sum(when(col(side).gt(0), 1).otherwise(0)).as("__lakeline_n"))
        .agg(sum(when(d.gt(0), d).otherwise(0)), sum(when(d.lt(0), d.multiply(-1)).otherwise(0)), sum("__lakeline_n"))
        .first();
    return new Comparison(r.isNullAt(2) ? 0 : r.getLong(2), r.isNullAt(0) ? 0 : r.getLong(0), r.isNullAt(1) ? 0 : r.getLong(1));
  }

  /** The splits in train, validation, test order: rows and event-time range. */
  static void printSplits(PrintStream out, TrainingDatasetManifest m) {
    out.printf("  %-12s %10s   %s%n", "split", "rows", "event time");
    for (String split : m.splitNames()) {
      SplitStatistics s = m.statistics().get(split);
      out.printf(Locale.ROOT, "  %-12s %,10d   %s%n", split, m.rowsPerSplit().get(split),
          s == null || s.eventTimeMin() == null ? "" : s.eventTimeMin() + " … " + s.eventTimeMax());
    }
  }

  /** Per numeric feature and split: the mean and the nulls, so a feature that drifts across splits stands out. */
  static void printStatistics(PrintStream out, TrainingDatasetManifest m) {
    List<String> splits = m.splitNames();
    java.util.Set<String> features = new java.util.TreeSet<>();
    splits.forEach(split -> {
      SplitStatistics s = m.statistics().get(split);
      if (s != null) {
        features.addAll(s.features().keySet());
      }
    });
    if (features.isEmpty()) {
      return;
    }
    List<String> rows = m.features().stream().filter(features::contains).toList();
    String[][] cells = new String[rows.size()][splits.size()];
    int[] widths = new int[splits.size()];
    for (int c = 0; c < splits.size(); c++) {
      SplitStatistics s = m.statistics().get(splits.get(c));
      widths[c] = splits.get(c).length();
      for (int r = 0; r < rows.size(); r++) {
        SplitStatistics.FeatureStatistics fs = s == null ? null : s.features().get(rows.get(r));
        cells[r][c] = fs == null ? "" : mean(fs.mean()) + String.format(Locale.ROOT, " (%,d)", fs.nulls());
        widths[c] = Math.max(widths[c], cells[r][c].length());
      }
    }
    int first = Math.max(7, rows.stream().mapToInt(String::length).max().orElse(0));
    out.printf("%n  numeric features: mean (nulls) per split%n");
    StringBuilder head = new StringBuilder(String.format("  %-" + first + "s", "feature"));
    for (int c = 0; c < splits.size(); c++) {
      head.append(String.format("   %" + widths[c] + "s", splits.get(c)));
    }
    out.println(head);
    for (int r = 0; r < rows.size(); r++) {
      StringBuilder line = new StringBuilder(String.format("  %-" + first + "s", rows.get(r)));
      for (int c = 0; c < splits.size(); c++) {
        line.append(String.format("   %" + widths[c] + "s", cells[r][c]));
      }
      out.println(line);
    }
  }

  private static String mean(Double mean) {
    if (mean == null) {
      return "–";
    }
    double a = Math.abs(mean);
    return String.format(Locale.ROOT, a != 0 && (a < 0.01 || a >= 1e9) ? "%.3g" : "%,.2f", mean);
  }
}
