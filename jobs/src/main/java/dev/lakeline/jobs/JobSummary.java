package dev.lakeline.jobs;

import dev.lakeline.core.runs.JobRun.RunOutput;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Progress lines while a job runs, and the summary at its end: the stages with their wall time, the tables
 * written with their Delta versions and row counts, and free-form facts (model version, metrics, locations).
 */
public final class JobSummary {
  private record Stage(String name, long millis) {}

  private final PrintStream out;
  private final List<Stage> stages = new ArrayList<>();
  private final List<RunOutput> tables = new ArrayList<>();
  private final List<String[]> facts = new ArrayList<>();
  private java.util.function.Consumer<String> stageListener = name -> {};
  private String rowsHeading = "rows";
  private String unchangedNote = "(unchanged: same batch already committed)";

  public JobSummary(PrintStream out) {
    this.out = out;
  }

  /** Told the name of each stage as it starts, and null when it ends (the job's Spark job descriptions). */
  public void onStage(java.util.function.Consumer<String> listener) {
    this.stageListener = listener;
  }

  /** Runs one stage, printing its start and end, and records its wall time. */
  public <T> T stage(String name, Supplier<T> body) {
    out.printf(Locale.ROOT, "▶ %s …%n", name);
    out.flush();
    long start = System.nanoTime();
    stageListener.accept(name);
    T result;
    try {
      result = body.get();
    } finally {
      stageListener.accept(null);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    stages.add(new Stage(name, millis));
    out.printf(Locale.ROOT, "✔ %s (%.1f s)%n", name, millis / 1000.0);
    return result;
  }

  /** Where progress and the summary go. */
  public PrintStream out() {
    return out;
  }

  public void progress(String format, Object... args) {
    out.printf(Locale.ROOT, "  " + format + "%n", args);
    out.flush();
  }

  /** A table the job wrote (or found already written, when the batch was a rerun); the job-runs log records them too. */
  public void table(RunOutput line) {
    tables.add(line);
  }

  /**
   * What the tables' rows column holds, when not the rows of the job's one batch per table ("rows"): its heading and
   * the note of a table the job found written already (a backfill: "rows written", the sum over its dates).
   */
  public void rowsColumn(String heading, String unchanged) {
    this.rowsHeading = heading;
    this.unchangedNote = unchanged;
  }

  public void fact(String key, String value) {
    facts.add(new String[] {key, value});
  }

  public List<RunOutput> tables() {
    return List.copyOf(tables);
  }

  /** The facts so far, in order (a later fact of the same name replaces the earlier one). */
  public java.util.Map<String, String> facts() {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    facts.forEach(f -> m.put(f[0], f[1]));
    return m;
  }

  /** The stages so far with their milliseconds, in order. */
  public java.util.Map<String, Long> stageMillis() {
    java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
    stages.forEach(st -> m.merge(st.name(), st.millis(), Long::sum));
    return m;
  }

  /** Milliseconds of a stage, or -1. */
  public long millis(String stage) {
    return stages.stream().filter(s -> s.name().equals(stage)).mapToLong(Stage::millis).findFirst().orElse(-1);
  }

  /** Prints the summary. */
  public void print(String title) {
    out.println();
    out.println("── " + title + " " + "─".repeat(Math.max(3, 70 - title.length())));
    if (!tables.isEmpty()) {
      int width = Math.max(10, rowsHeading.length());
      // as wide as the longest name ("training dataset loan_default v1 td1" is 36), so the numbers stay in their columns
      int names = Math.max(34, tables.stream().mapToInt(t -> t.name().length()).max().orElse(0));
      out.printf(Locale.ROOT, "%-" + names + "s %8s %" + width + "s  %s%n", "table", "version", rowsHeading, "");
      for (RunOutput t : tables) {
        out.printf(
            Locale.ROOT,
            "%-" + names + "s %8d %," + width + "d  %s%n",
            t.name(),
            t.version(),
            t.rows(),
            t.unchanged() ? unchangedNote : "");
      }
      out.println();
    }
    for (String[] f : facts) {
      out.printf(Locale.ROOT, "%-22s %s%n", f[0] + ":", f[1]);
    }
    if (!stages.isEmpty()) {
      out.println();
      out.printf(Locale.ROOT, "%-34s %10s%n", "stage", "wall time");
      long total = 0;
      for (Stage s : stages) {
        out.printf(Locale.ROOT, "%-34s %9.1fs%n", s.name(), s.millis() / 1000.0);
        total += s.millis();
      }
      out.printf(Locale.ROOT, "%-34s %9.1fs%n", "total", total / 1000.0);
    }
    out.flush();
  }
}
