package dev.lakeline.jobs.reports;

import dev.lakeline.core.runs.JobRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The job-runs log as one self-contained HTML page: each run's wall time split into its stages (oldest at the top,
 * failed and rejected runs marked), then the runs as a table coloured by status, with their errors and the tables
 * they wrote.
 */
public final class RunsReport {
  private RunsReport() {}

  /** {@code runs}: newest first, as {@code JobRuns.list} gives them; {@code scope} says which runs they are. */
  public static String html(List<JobRun> runs, String scope, String table) {
    StringBuilder h = ReportPages.start("Lakeline job runs",
        "td.succeeded{background:#e8f5e9}td.rejected{background:#fff3cd}td.failed{background:#f8d7da}td.stopped{background:#e2e3e5}td.err{color:#a00;max-width:420px}");
    h.append("<h1>Job runs</h1>\n<table>");
    ReportPages.row(h, "runs", runs.size() + " · " + scope);
    ReportPages.row(h, "table", table);
    h.append("</table>\n");
    if (runs.isEmpty()) {
      h.append("<p>No runs recorded.</p>\n");
      return ReportPages.end(h, "Made by lakeline runs list --report.");
    }
    h.append("<div class=\"charts\">").append(ReportPages.img(stages(runs), 900, Math.max(220, 70 + 26 * runs.size()),
        "wall time per run and stage")).append("</div>\n");
    h.append("<table><tr><th>recorded at</th><th>command</th><th>date</th><th>status</th><th>seconds</th>"
        + "<th>tables (Delta version, rows)</th><th>run</th><th>error</th></tr>");
    for (JobRun r : runs) {
      List<String> outputs = new ArrayList<>();
      r.outputs().forEach(o -> outputs.add(String.format(Locale.ROOT, "%s v%d, %,d%s", o.name(), o.version(), o.rows(),
          o.unchanged() ? " (unchanged)" : "")));
      h.append("<tr><td>").append(ReportPages.esc(r.recordedAt())).append("</td><td>").append(ReportPages.esc(r.command()))
          .append("</td><td>").append(ReportPages.esc(r.logicalDate() == null ? "-" : r.logicalDate()))
          .append("</td><td class=\"").append(r.status().label()).append("\">").append(r.status().label())
          .append(r.exitCode() == 0 ? "" : " (" + r.exitCode() + ")").append("</td><td class=\"n\">")
          .append(String.format(Locale.ROOT, "%.1f", r.seconds())).append("</td><td>")
          .append(ReportPages.esc(String.join("; ", outputs))).append("</td><td>").append(ReportPages.esc(r.runId()))
          .append("</td><td class=\"err\">").append(ReportPages.esc(r.error() == null ? "" : r.error())).append("</td></tr>");
    }
    h.append("</table>\n");
    return ReportPages.end(h, "Made by lakeline runs list --report from the job_runs table.");
  }

  /** One horizontal bar per run, oldest at the top, split into its stages; the rest of its time as "other". */
  static JFreeChart stages(List<JobRun> newestFirst) {
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    List<JobRun> runs = new ArrayList<>(newestFirst);
    java.util.Collections.reverse(runs);
    Map<String, Integer> seen = new LinkedHashMap<>();
    List<String> stageNames = new ArrayList<>();
    runs.forEach(r -> r.stages().forEach(s -> {
      if (!stageNames.contains(s.name())) {
        stageNames.add(s.name());
      }
    }));
    for (JobRun r : runs) {
      String label = r.command() + " " + (r.logicalDate() == null ? "" : r.logicalDate())
          + (r.status().label().equals("succeeded") ? "" : " ✘ " + r.status().label());
      int n = seen.merge(label, 1, Integer::sum);
      String key = n == 1 ? label : label + " (" + n + ")"; // category labels must be unique
      double staged = 0;
      for (String stage : stageNames) {
        double seconds = r.stages().stream().filter(s -> s.name().equals(stage)).mapToDouble(JobRun.RunStage::seconds).sum();
        ds.addValue(seconds, stage, key);
        staged += seconds;
      }
      ds.addValue(Math.max(0, r.seconds() - staged), "other (session, summary, record)", key);
    }
    JFreeChart chart = ChartFactory.createStackedBarChart("Wall time per run", null, "seconds", ds,
        PlotOrientation.HORIZONTAL, true, false, false);
    StackedBarRenderer renderer = (StackedBarRenderer) chart.getCategoryPlot().getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setSeriesPaint(stageNames.size(), new java.awt.Color(0xcccccc));
    return ReportPages.finish(chart);
  }
}
