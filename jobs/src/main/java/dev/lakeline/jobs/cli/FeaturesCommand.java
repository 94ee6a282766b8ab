package dev.lakeline.jobs.cli;

import dev.lakeline.core.Errors;
import dev.lakeline.core.config.LakelineConfig;
import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.loans.LoanCatalog;
import dev.lakeline.jobs.pipelines.FeaturePipeline;
import dev.lakeline.jobs.pipelines.FeaturePipelineFile;
import dev.lakeline.jobs.pipelines.FeaturePipelines;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "features",
    mixinStandardHelpOptions = true,
    description = {
      "Feature pipeline: a raw source (parquet, csv, json or delta) → the configured transformation steps → feature "
          + "groups, each batch through its expectation suite. A pipeline file says all of it (docs/feature-pipelines.md).",
      "Runs the --pipeline files (default: the demo's bundled loans, credit_reports and card_spend) for the logical "
          + "date --date, or for every date from --from to --to: a backfill that prints a line per date, stops at the "
          + "first failure and resumes with --from <that date>, skipping the dates already committed (and, for an "
          + "up_to_date pipeline whose groups are all mode overwrite, every date but the last, whose batch replaces "
          + "theirs).",
      "Rerunning a date changes nothing: its batches are already committed (reported as unchanged).",
      ""
    },
    footer = {
      "",
      "--config FILE is the Lakeline configuration, as for every command; a pipeline file given as --config "
          + "(conf/pipelines/<name>.yaml) is taken as --pipeline, and the configuration comes from its default place.",
      "Examples:",
      "  lakeline features --pipeline conf/pipelines/loans.yaml --date 2024-06-30",
      "  lakeline features --pipeline credit_reports --from 2024-06-01 --to 2024-06-30"
    })
final class FeaturesCommand extends JobCommand {
  @Option(names = "--date", paramLabel = "YYYY-MM-DD", converter = DateOption.class,
      description = "Logical date of the run (Airflow: {{ ds }}): the pipeline reads the source's rows for it.")
  LocalDate date;

  @Option(names = "--from", paramLabel = "YYYY-MM-DD", converter = DateOption.class,
      description = "Backfill: the first logical date (with --to; both included).")
  LocalDate from;

  @Option(names = "--to", paramLabel = "YYYY-MM-DD", converter = DateOption.class,
      description = "Backfill: the last logical date.")
  LocalDate to;

  @Option(names = "--pipeline", paramLabel = "FILE|NAME",
      description = "A pipeline file (repeatable, run in order): a path, classpath:<resource>, or a name for "
          + "conf/pipelines/<name>.yaml (else the bundled one). Default: the demo's pipelines.")
  List<String> pipelines = new ArrayList<>();

  @Option(names = "--recompute",
      description = "Backfill: recompute the dates already committed too (their batches stay no-ops when nothing changed).")
  boolean recompute;

  private List<FeaturePipeline> loaded;

  @Override
  String logicalDate() {
    return date != null ? date.toString() : from == null || to == null ? null : from + ".." + to;
  }

  @Override
  String title() {
    return "features";
  }

  @Override
  void checkArguments() {
    if (common.config != null && FeaturePipelineFile.isPipelineFile(common.config)) {
      pipelines.add(0, common.config);
      common.config = null;
    }
    boolean range = from != null || to != null;
    if (date == null && !range) {
      throw Errors.config("Give the logical date: --date YYYY-MM-DD, or --from and --to for a backfill over a range of dates.");
    }
    if (date != null && range) {
      throw Errors.config("Give either --date (one logical date) or --from and --to (a backfill), not both.");
    }
    if (range && (from == null || to == null)) {
      throw Errors.config("A backfill needs both --from and --to (both dates included).");
    }
    if (recompute && !range) {
      throw Errors.config("--recompute is for a backfill (--from and --to): it recomputes the dates already committed. "
          + "A --date run always computes its date; drop --recompute.");
    }
    if (range && to.isBefore(from)) {
      throw Errors.config("The backfill range is empty: --from %s is after --to %s.", from, to);
    }
    // loaded before Spark starts: a missing or invalid pipeline file costs no session
    loaded = pipelines.isEmpty()
        ? LoanCatalog.pipelines()
        : pipelines.stream().map(FeaturePipelineFile::resolve).map(FeaturePipeline::load).toList();
    if (range) {
      FeaturePipelines.checkBackfill(loaded, from, to); // so that --dry-run finds an undated pipeline too
    }
  }

  @Override
  List<String> plan(LakelineConfig config) {
    List<String> lines = new ArrayList<>();
    lines.add(date != null ? "logical date: " + date
        : "backfill: " + from + " to " + to + (recompute ? ", recomputing committed dates" : ", skipping committed dates"));
    Set<String> lastDateOnly = date != null
        ? Set.of()
        : FeaturePipelines.lastDateOnly(new StorageLayout(config.lakehouseRoot()), loaded);
    for (FeaturePipeline p : loaded) {
      lines.add("pipeline " + p.name() + " (" + p.location() + "): " + p.source().format().name().toLowerCase(java.util.Locale.ROOT)
          + " " + (p.source().path() != null ? p.source().path() : "<lakehouse>/raw/" + p.source().name()) + " → " + p.steps().steps().size() + " steps ("
          + String.join(", ", p.steps().steps().stream().map(dev.lakeline.transformations.Step::name).toList()) + ") → "
          + String.join(", ", p.featureGroups().stream().map(g -> g.spec().name() + " v" + g.spec().version()
              + " (" + g.modeName() + ")").toList())
          + (lastDateOnly.contains(p.name()) ? "; computed for " + to + " only (each date's batch replaces the whole "
              + (p.featureGroups().size() == 1 ? "group)" : "groups)") : ""));
    }
    return lines;
  }

  @Override
  void run(JobContext ctx) {
    List<FeaturePipeline> list = loaded;
    ctx.summary().stage("feature pipeline", () -> date != null
        ? FeaturePipelines.run(ctx, list, date)
        : FeaturePipelines.backfill(ctx, list, from, to, recompute));
  }
}
