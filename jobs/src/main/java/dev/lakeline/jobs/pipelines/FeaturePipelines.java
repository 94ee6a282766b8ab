package dev.lakeline.jobs.pipelines;

import dev.lakeline.core.Errors;
import dev.lakeline.core.Messages;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.delta.WriteMode;
import dev.lakeline.core.runs.JobRun;
import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.featurestore.CommitInfo;
import dev.lakeline.featurestore.FeatureGroup;
import dev.lakeline.featurestore.InsertResult;
import dev.lakeline.jobs.JobContext;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs feature pipelines for one logical date, or for every date of a range (a backfill), and reports on the job's
 * summary. Every pipeline is validated before anything is written, so a configuration error writes nothing.
 *
 * <p>A backfill runs the dates in order, printing a line per date, and stops at the first failure with the command
 * that resumes from that date. Dates whose batches are all in their groups' commit history are reported as
 * unchanged without being computed (unless {@code recompute}), so a resumed backfill skips the work already done;
 * groups rewritten as of each date ({@code up_to_date}) always end as of the range's last date. A pipeline whose
 * groups are all replaced by each date's batch (mode overwrite) computes only the last date: the earlier dates'
 * batches would be thrown away.
 */
public final class FeaturePipelines {
  private FeaturePipelines() {}

  /** Runs each pipeline for {@code date}, in order; stops at the first failure. */
  public static List<PipelineRun> run(JobContext ctx, List<FeaturePipeline> pipelines, LocalDate date) {
    validateAll(ctx, pipelines);
    List<PipelineRun> runs = new ArrayList<>();
    for (FeaturePipeline p : pipelines) {
      PipelineRun r = p.runValidated(ctx, date);
      for (PipelineRun.GroupRun g : r.groups()) {
        InsertResult ir = g.result();
        ctx.summary().progress(
            "%-20s %s v%d, %,d rows%s%s",
            g.group(),
            ir.skipped() ? "unchanged at" : "committed",
            ir.deltaVersion(),
            ir.rows(),
            ir.quarantinedRows() > 0 ? String.format(Locale.ROOT, ", %,d held back in quarantine", ir.quarantinedRows()) : "",
            ir.validation().success() ? "" : " — warnings:\n" + ir.validation().failureSummary());
      }
      reportBadRows(ctx, r);
      runs.add(r);
    }
    summarise(ctx, pipelines, lastRuns(runs));
    return runs;
  }

  /**
   * Runs the pipelines for every date from {@code from} to {@code to} (both included), date by date. With {@code
   * recompute} false, a date whose batches were all committed before is skipped and reported as unchanged. A {@link
   * #lastDateOnly} pipeline skips every date before {@code to}, whatever {@code recompute}.
   */
  public static List<PipelineRun> backfill(
      JobContext ctx, List<FeaturePipeline> pipelines, LocalDate from, LocalDate to, boolean recompute) {
    checkBackfill(pipelines, from, to);
    validateAll(ctx, pipelines);
    Map<String, Committed> committed = recompute ? Map.of() : committedBatches(ctx, pipelines);
    Set<String> lastDateOnly = lastDateOnly(ctx.layout(), pipelines);
    Set<String> computed = new HashSet<>();
    long total = ChronoUnit.DAYS.between(from, to) + 1;
    List<PipelineRun> runs = new ArrayList<>();
    int done = 0;
    for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
      done++;
      long start = System.nanoTime();
      List<String> parts = new ArrayList<>();
      try {
        for (FeaturePipeline p : pipelines) {
          if (lastDateOnly.contains(p.name()) && date.isBefore(to)) {
            // why, the first time; then briefly, so that a long backfill's lines stay short
            parts.add(p.name() + ": " + (date.equals(from) ? skippedBeforeTheLastDate(p, to) : "skipped (computed for " + to + " only)"));
            continue;
          }
          if (!recompute && canSkip(ctx, p, date, to, committed, computed.contains(p.name()))) {
            parts.add(p.name() + ": unchanged (already committed)");
            continue;
          }
          computed.add(p.name());
          PipelineRun r = p.runValidated(ctx, date);
          runs.add(r);
          parts.add(p.name() + ": " + describe(r));
          reportBadRows(ctx, r);
        }
      } catch (RuntimeException e) {
        ctx.summary().progress("[%d/%d] %s ✘ failed after %.1f s: %s", done, total, date, seconds(start), Messages.firstLine(e));
        ctx.summary().progress(
            "Backfill stopped at %s; %s. Resume from it: lakeline features%s --from %s --to %s "
                + "(with the same other options; dates already committed are skipped).",
            date, committedBefore(pipelines, lastDateOnly, computed, date, from), pipelineOptions(pipelines), date, to);
        throw e;
      }
      ctx.summary().progress("[%d/%d] %s %s · %.1f s", done, total, date, String.join(" · ", parts), seconds(start));
    }
    summariseBackfill(ctx, pipelines, runs);
    ctx.summary().fact("dates", String.format(Locale.ROOT, "%s … %s (%d dates)", from, to, total));
    return runs;
  }

  /**
   * What a backfill that failed at {@code date} had committed: the dates before it ("the dates before it are
   * committed"), none when it is the first; and which pipelines committed nothing because they compute only the last
   * date and had not yet run.
   */
  static String committedBefore(
      List<FeaturePipeline> pipelines, Set<String> lastDateOnly, Set<String> computed, LocalDate date, LocalDate from) {
    List<String> waiting = pipelines.stream().map(FeaturePipeline::name)
        .filter(n -> lastDateOnly.contains(n) && !computed.contains(n)).toList();
    String before = date.isAfter(from) ? "the dates before it are committed" : "it is the range's first date";
    if (waiting.isEmpty()) {
      return before;
    }
    boolean all = waiting.size() == pipelines.size();
    String names = String.join(", ", waiting);
    String why = (waiting.size() == 1 ? "computes" : "compute") + " the last date only";
    return all
        ? "nothing of the range was committed: " + names + " " + why
        : before + ", except by " + names + ", which " + why + " and committed nothing";
  }

  /**
   * Throws a ConfigError unless a backfill of {@code pipelines} from {@code from} to {@code to} makes sense: a
   * non-empty range, and pipelines that select rows by date. Needs no Spark, so {@code --dry-run} checks it too.
   */
  public static void checkBackfill(List<FeaturePipeline> pipelines, LocalDate from, LocalDate to) {
    if (to.isBefore(from)) {
      throw Errors.config("The backfill range is empty: --from %s is after --to %s.", from, to);
    }
    for (FeaturePipeline p : pipelines) {
      if (!p.dated()) {
        throw Errors.config(
            "%s: pipeline '%s' reads every row whatever the date (no source.date_column), so every date of a backfill "
                + "would compute the same batch. Run it with --date, or give its source a date_column.",
            p.location(), p.name());
      }
    }
  }

  /** The {@code --pipeline} options that name {@code pipelines} again; none for the bundled ones (the default). */
  static String pipelineOptions(List<FeaturePipeline> pipelines) {
    StringBuilder out = new StringBuilder();
    for (FeaturePipeline p : pipelines) {
      if (!p.location().startsWith("classpath:")) {
        out.append(" --pipeline ").append(p.location().contains(" ") ? "'" + p.location() + "'" : p.location());
      }
    }
    return out.toString();
  }

  private static void validateAll(JobContext ctx, List<FeaturePipeline> pipelines) {
    if (pipelines.isEmpty()) {
      throw Errors.config("No feature pipeline to run: pass --pipeline FILE (a pipeline file, docs/feature-pipelines.md).");
    }
    Set<String> names = new HashSet<>();
    for (FeaturePipeline p : pipelines) {
      if (!names.add(p.name())) {
        throw Errors.config("Two pipelines are named '%s' (%s); pipeline names identify their batches, so they must differ.", p.name(), p.location());
      }
      p.validate(ctx.spark(), ctx.layout());
    }
  }

  /**
   * "committed loans v1 @ Delta v5, 1,000 rows" for each group, or "unchanged loans v1 @ Delta v5 (batch already
   * committed, nothing written)" when its batch was found committed with the same content, plus the bad rows kept.
   */
  static String describe(PipelineRun r) {
    List<String> out = new ArrayList<>();
    for (PipelineRun.GroupRun g : r.groups()) {
      InsertResult ir = g.result();
      out.add(ir.skipped()
          ? String.format(Locale.ROOT, "unchanged %s @ Delta v%d (batch already committed, nothing written)", g.group(), ir.deltaVersion())
          : String.format(Locale.ROOT, "committed %s @ Delta v%d, %,d rows", g.group(), ir.deltaVersion(), ir.rows()));
    }
    if (r.badRows() > 0) {
      out.add(String.format(Locale.ROOT, "%,d bad rows kept", r.badRows()));
    }
    return String.join(", ", out);
  }

  private static void reportBadRows(JobContext ctx, PipelineRun r) {
    if (r.badRows() > 0) {
      String line = String.format(Locale.ROOT, "%s %s: %,d %s could not be read, kept with their reason in %s",
          r.pipeline(), r.date(), r.badRows(), r.badRows() == 1 ? "row" : "rows", r.badRowsPath());
      ctx.summary().progress("%s", line);
      ctx.summary().fact("bad rows", line);
    }
  }

  /** A group's committed batch ids, and the batch of its latest commit. */
  private record Committed(Set<String> batches, String latest) {}

  /**
   * The batch ids in each group's commit history, by group path: one history read per group. An {@code on_date}
   * batch committed without a row (a date whose source rows had not landed yet) does not count: the backfill computes
   * that date again, so rows that arrived since are loaded rather than skipped as "already committed".
   */
  private static Map<String, Committed> committedBatches(JobContext ctx, List<FeaturePipeline> pipelines) {
    Map<String, Committed> out = new LinkedHashMap<>();
    for (FeaturePipeline p : pipelines) {
      boolean slices = p.source().rows() == SourceSpec.Rows.ON_DATE;
      for (GroupTarget g : p.featureGroups()) {
        String path = ctx.layout().featureGroup(g.spec().name(), g.spec().version());
        Set<String> ids = new HashSet<>();
        String latest = null;
        if (DeltaCommits.exists(ctx.spark(), path)) {
          for (CommitInfo c : ctx.featureStore().getFeatureGroup(g.spec().name(), g.spec().version()).history(Integer.MAX_VALUE)) {
            if (c.batchId() != null) {
              latest = latest == null ? c.batchId() : latest; // history is newest first
              if (!(slices && c.rowsAdded() == 0 && c.rowsUpdated() == 0 && c.rowsDeleted() == 0)) {
                ids.add(c.batchId());
              }
            }
          }
        }
        out.put(path, new Committed(ids, latest));
      }
    }
    return out;
  }

  /** Why a date before {@code last} of a {@link #lastDateOnly} pipeline is not computed. */
  private static String skippedBeforeTheLastDate(FeaturePipeline p, LocalDate last) {
    return p.featureGroups().size() == 1
        ? "skipped — each date's batch replaces the whole group (mode overwrite); the last date, " + last + ", writes it"
        : "skipped — each date's batches replace its groups whole (mode overwrite); the last date, " + last + ", writes them";
  }

  /**
   * The names of the pipelines whose dates before the range's last a backfill does not compute: their source's rows
   * are a snapshot ({@code up_to_date}; {@code all} is refused for backfills) and every one of their groups is written
   * with mode overwrite, so each date's batch replaces the whole group and only the last date's would remain. A
   * pipeline one of whose groups is the source of a pipeline of the backfill (its own included) runs every date: that
   * reader sees the group as of each date.
   */
  public static Set<String> lastDateOnly(StorageLayout layout, List<FeaturePipeline> pipelines) {
    Set<String> out = new HashSet<>();
    for (FeaturePipeline p : pipelines) {
      boolean overwritten = p.source().rows() != SourceSpec.Rows.ON_DATE
          && p.featureGroups().stream().allMatch(g -> g.mode() == WriteMode.OVERWRITE);
      if (overwritten && p.featureGroups().stream().noneMatch(g -> readByAnyOf(pipelines, layout, g))) {
        out.add(p.name());
      }
    }
    return out;
  }

  /** Whether the source of one of {@code pipelines} is {@code group}'s table or under it. */
  private static boolean readByAnyOf(List<FeaturePipeline> pipelines, StorageLayout layout, GroupTarget group) {
    String table = StorageLayout.comparable(layout.featureGroup(group.spec().name(), group.spec().version()));
    for (FeaturePipeline q : pipelines) {
      String source = StorageLayout.comparable(q.source().location(layout));
      if (source.equals(table) || source.startsWith(table + "/")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the date can be skipped because its batches are committed. A date's batch of {@code rows: on_date} is a
   * slice that later dates leave alone. With {@code up_to_date} each batch is the group as of its date, and the
   * group must end as of the range's last date: once this backfill has recomputed an earlier date, every later date
   * is recomputed too, and the last date is skipped only if its batch is the group's latest commit.
   */
  private static boolean canSkip(
      JobContext ctx, FeaturePipeline p, LocalDate date, LocalDate last, Map<String, Committed> committed, boolean computedEarlier) {
    boolean snapshots = p.source().rows() != SourceSpec.Rows.ON_DATE;
    if (snapshots && computedEarlier) {
      return false;
    }
    for (GroupTarget g : p.featureGroups()) {
      Committed c = committed.get(ctx.layout().featureGroup(g.spec().name(), g.spec().version()));
      String batch = p.batchId(g, date);
      if (c == null || !c.batches().contains(batch)) {
        return false;
      }
      if (snapshots && date.equals(last) && !batch.equals(c.latest())) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, PipelineRun.GroupRun> lastRuns(List<PipelineRun> runs) {
    Map<String, PipelineRun.GroupRun> last = new LinkedHashMap<>();
    for (PipelineRun r : runs) {
      for (PipelineRun.GroupRun g : r.groups()) {
        last.put(g.path(), g);
      }
    }
    return last;
  }

  /** One table line per group: its last insert of this job, or its state when every date was skipped. */
  private static void summarise(JobContext ctx, List<FeaturePipeline> pipelines, Map<String, PipelineRun.GroupRun> last) {
    for (FeaturePipeline p : pipelines) {
      for (GroupTarget g : p.featureGroups()) {
        String path = ctx.layout().featureGroup(g.spec().name(), g.spec().version());
        PipelineRun.GroupRun run = last.get(path);
        if (run != null) {
          ctx.summary().table(new JobRun.RunOutput(
              "feature group " + run.group(), path, run.result().deltaVersion(), run.result().rows(), run.result().skipped()));
        } else if (DeltaCommits.exists(ctx.spark(), path)) {
          FeatureGroup group = ctx.featureStore().getFeatureGroup(g.spec().name(), g.spec().version());
          ctx.summary().table(new JobRun.RunOutput(
              "feature group " + g.spec().label(), path, group.deltaVersion(), group.read().count(), true));
        }
      }
    }
  }

  /**
   * One table line per group: the rows this backfill wrote to it, summed over its dates, and the group's Delta version
   * at the end. A group none of whose dates wrote anything (every batch committed before) is unchanged with 0 rows.
   */
  private static void summariseBackfill(JobContext ctx, List<FeaturePipeline> pipelines, List<PipelineRun> runs) {
    Map<String, Long> written = new LinkedHashMap<>();
    for (PipelineRun r : runs) {
      for (PipelineRun.GroupRun g : r.groups()) {
        if (!g.result().skipped()) {
          written.merge(g.path(), g.result().rows(), Long::sum);
        }
      }
    }
    ctx.summary().rowsColumn("rows written", "(unchanged: every date's batch already committed)");
    for (FeaturePipeline p : pipelines) {
      for (GroupTarget g : p.featureGroups()) {
        String path = ctx.layout().featureGroup(g.spec().name(), g.spec().version());
        if (DeltaCommits.exists(ctx.spark(), path)) {
          ctx.summary().table(new JobRun.RunOutput("feature group " + g.spec().label(), path,
              DeltaCommits.currentVersion(ctx.spark(), path), written.getOrDefault(path, 0L), !written.containsKey(path)));
        }
      }
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
