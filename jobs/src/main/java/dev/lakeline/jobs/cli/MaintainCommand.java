package dev.lakeline.jobs.cli;

import dev.lakeline.core.Errors;
import dev.lakeline.core.config.LakelineConfig;
import dev.lakeline.core.config.LakelineKeys;
import dev.lakeline.core.runs.JobRun;
import dev.lakeline.featurestore.Maintenance;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.training.ModelRegistry;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description = {
      "Maintenance of the lakehouse's Delta tables (feature groups, predictions, quarantine, Lakeline's own tables): "
          + "compacts small files (OPTIMIZE), deletes the files no retained version needs (VACUUM), brings every feature "
          + "group's history retention to lakehouse.history-retention-days, and checks that every training dataset can "
          + "still be recreated from its sources.",
      "The vacuum keeps every Delta version a training dataset reads, whatever retention is asked for. "
          + "Training datasets themselves are immutable and left as they are; an incomplete one (no manifest: its "
          + "creation was killed) loses its files once idle for the retention.",
      "Unlike the other jobs it counts back from the clock, as Delta's VACUUM does: --date only names the run."
    },
    footer = {"", "Examples:", "  lakeline maintain --check", "  lakeline maintain --table feature_groups/loans --no-vacuum",
        "  lakeline maintain --retain-hours 24"})
final class MaintainCommand extends JobCommand {
  @Option(names = "--date", paramLabel = "YYYY-MM-DD", converter = DateOption.class,
      description = "The logical date of the run (Airflow: {{ ds }}), recorded in the job-runs log. Optional: the vacuum's "
          + "retention counts back from the clock, as Delta's does.")
  java.time.LocalDate date;

  @Option(names = "--check",
      description = "Change nothing: show what the vacuum would delete, which retention each table would get, and whether "
          + "every training dataset can be recreated.")
  boolean check;

  @Option(names = "--optimize", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Compact small files (OPTIMIZE). On by default; --no-optimize skips it.")
  boolean optimize;

  @Option(names = "--vacuum", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Delete the files no retained version needs (VACUUM). On by default; --no-vacuum skips it.")
  boolean vacuum;

  @Option(names = "--retain-hours", paramLabel = "H",
      description = "Hours of removed files the vacuum keeps. Default: each table's own delta.deletedFileRetentionDuration "
          + "(feature groups: lakehouse.history-retention-days; others: Delta's 7 days). Shorter than a table's own is "
          + "allowed because it is asked for: time travel to older versions then fails, except to those training datasets read.")
  Double retainHours;

  @Option(names = "--table", paramLabel = "PATH",
      description = "Only this table, or the tables under it, relative to the lakehouse root (feature_groups/loans, "
          + "_lakeline/job_runs); repeatable. Default: every table.")
  List<String> tables = new ArrayList<>();

  @Override
  boolean readsLakehouse() {
    return true;
  }

  @Override
  String title() {
    return "maintain";
  }

  @Override
  String logicalDate() {
    return date == null ? null : date.toString();
  }

  @Override
  void checkArguments() {
    if (retainHours != null && (retainHours < 0 || retainHours.isNaN() || retainHours.isInfinite())) {
      throw Errors.config("--retain-hours must be a number of hours, 0 or more; got %s.", retainHours);
    }
  }

  @Override
  List<String> plan(LakelineConfig config) {
    int days = config.get(LakelineKeys.LAKEHOUSE_HISTORY_RETENTION_DAYS);
    List<String> lines = new ArrayList<>();
    lines.add("logical date: " + (date == null ? "none (maintenance counts back from the clock)" : date + " (recorded; maintenance counts back from the clock)"));
    lines.add("tables: " + (tables.isEmpty() ? "every Delta table of the lakehouse except training datasets" : String.join(", ", tables)));
    lines.add("optimize: " + (optimize ? "compact small files" : "no"));
    lines.add("vacuum: " + (!vacuum ? "no" : retainHours == null ? "each table's own retention" : "retain " + retainHours + " hours")
        + (vacuum ? ", keeping every version a training dataset reads" : ""));
    lines.add("feature groups' history retention: " + days + " days (lakehouse.history-retention-days)");
    lines.add(check ? "check only: nothing is changed" : "changes the tables");
    return lines;
  }

  @Override
  void run(JobContext ctx) {
    PrintStream out = ctx.summary().out();
    Maintenance maintenance = Maintenance.of(ctx.featureStore());
    // as a shell completes a folder: feature_groups/loans/ or ./feature_groups/loans names feature_groups/loans
    List<String> only = tables.stream().map(t -> t.strip().replaceAll("^(\\./)+", "").replaceAll("/+$", "")).toList();
    Maintenance.Options options = new Maintenance.Options(optimize, vacuum, retainHours, check, only);
    Maintenance.Result result = ctx.summary().stage(check ? "check" : "maintenance", () -> maintenance.run(options,
        t -> ctx.summary().progress("%s %s", t.error() == null ? "✔" : "✘", t.table())));
    print(out, result);
    // model versions whose training stopped before their card (with --table only the tables named are looked at)
    List<ModelRegistry.IncompleteVersion> models = only.isEmpty()
        ? ctx.registry().incomplete(options.incompleteIdleHours(), options.deletesIncomplete(), Maintenance.now()) : List.of();
    for (ModelRegistry.IncompleteVersion m : models) {
      out.printf("incomplete model version %s (no %s: its training stopped, or is still running; %d files, last written %s ago): %s%n",
          m.version(), ModelRegistry.CARD_FILE, m.files(), hours(m.idleHours()), fate(m.deleted(), "a training"));
    }
    recordChanged(ctx, result);
    long compacted = result.tables().stream().mapToLong(Maintenance.TableResult::filesCompacted).sum();
    long vacuumed = result.tables().stream().mapToLong(Maintenance.TableResult::filesVacuumed).sum();
    ctx.summary().fact("tables", Integer.toString(result.tables().size()));
    if (!check) {
      ctx.summary().fact("files compacted", Long.toString(compacted));
    }
    ctx.summary().fact(check ? "files to delete" : "files deleted", Long.toString(vacuumed));
    ctx.summary().fact("training datasets", (result.datasets().size() - result.notRecreatable().size()) + " of "
        + result.datasets().size() + " recreatable");
    if (!result.incomplete().isEmpty()) {
      long deleted = result.incomplete().stream().filter(Maintenance.IncompleteDataset::deleted).count();
      ctx.summary().fact("incomplete datasets", incompleteCount(result.incomplete().size(), deleted));
    }
    if (!models.isEmpty()) {
      long deleted = models.stream().filter(ModelRegistry.IncompleteVersion::deleted).count();
      ctx.summary().fact("incomplete model versions", incompleteCount(models.size(), deleted));
    }
    if (!result.failed().isEmpty()) {
      StringBuilder why = new StringBuilder();
      result.failed().forEach(t -> why.append(String.format("%n  %s: %s", t.table(), t.error())));
      throw Errors.conflict("Maintenance of %d of %d tables failed:%s%nThe other tables are maintained. Rerun with "
          + "--table for those (a concurrent writer's commit conflicts with OPTIMIZE and with a retention change).",
          result.failed().size(), result.tables().size(), why);
    }
  }

  /**
   * The tables maintenance committed to (OPTIMIZE, VACUUM, a retention change), with their new Delta versions and
   * rows, as the summary's tables and so the job-runs log's outputs; none with {@code --check}.
   */
  private static void recordChanged(JobContext ctx, Maintenance.Result result) {
    for (Maintenance.TableResult t : result.tables()) {
      if (t.changed()) {
        String path = ctx.layout().root() + "/" + t.table();
        long rows = ctx.spark().read().format("delta").option("versionAsOf", t.version()).load(path).count();
        ctx.summary().table(new JobRun.RunOutput(t.table(), path, t.version(), rows, false));
      }
    }
  }

  private void print(PrintStream out, Maintenance.Result result) {
    out.println();
    if (result.tables().isEmpty()) {
      out.println("No Delta tables in this lakehouse yet: nothing to maintain ('lakeline demo' or 'lakeline features' make them).");
      return;
    }
    TextTable table = new TextTable("table", "kind", ">version", ">files", ">compacted", check ? ">would delete" : ">deleted",
        ">retained", "history", "kept for");
    for (Maintenance.TableResult t : result.tables()) {
      if (t.error() != null) {
        table.row(t.table(), t.kind(), "", "", "", "", "", "", "failed: " + t.error());
        continue;
      }
      table.row(t.table(), t.kind(), t.version(), t.filesBefore() == t.filesAfter() ? t.filesAfter() : t.filesBefore() + " → " + t.filesAfter(),
          optimize && !check ? t.filesCompacted() : "–", vacuum ? t.filesVacuumed() : "–", hours(t.retainedHours()), t.history(),
          t.keptFor() == null ? "" : t.keptFor());
    }
    table.print(out);
    out.println();
    if (result.datasets().isEmpty()) {
      out.println("training datasets: none yet");
    }
    for (Maintenance.DatasetCheck d : result.datasets()) {
      out.printf("training dataset %s: %s%n", d.dataset(), d.recreatable() ? "recreatable (every source version is there)"
          : "NOT recreatable: " + d.problem() + " (its stored rows are intact; td recreate will fail)");
    }
    for (Maintenance.IncompleteDataset d : result.incomplete()) {
      String idle = hours(d.idleHours());
      out.printf("incomplete training dataset %s (no manifest: its creation stopped, or is still running; %d files, last written %s ago): %s%n",
          d.dataset(), d.files(), idle, fate(d.deleted(), "a creation"));
    }
  }

  /** What became of an incomplete dataset or model version's files; {@code writer}: what may still be writing them. */
  private String fate(boolean deleted, String writer) {
    return deleted ? "files deleted, its number stays claimed"
        : check || !vacuum ? "left as it is (" + (check ? "--check" : "--no-vacuum") + ")"
        : "kept: " + writer + " may still be running; deleted once idle for the vacuum's retention";
  }

  /** The summary's count of incomplete datasets or model versions, with how many were deleted when that was possible. */
  private String incompleteCount(int found, long deleted) {
    return found + (check || !vacuum ? "" : ", " + deleted + " deleted");
  }

  private static String hours(Double h) {
    if (h == null) {
      return "–";
    }
    return h >= 48 ? String.format(Locale.ROOT, "%.0f d", h / 24) : String.format(Locale.ROOT, "%.1f h", h);
  }
}
