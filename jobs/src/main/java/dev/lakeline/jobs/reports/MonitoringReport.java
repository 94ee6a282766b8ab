package dev.lakeline.jobs.reports;

import dev.lakeline.jobs.pipelines.ModelMonitoring;
import dev.lakeline.jobs.pipelines.ModelMonitoring.DriftRow;
import dev.lakeline.jobs.pipelines.ModelMonitoring.RunDrift;
import dev.lakeline.jobs.pipelines.ModelMonitoring.RunPerformance;
import dev.lakeline.training.BatchScorer;
import dev.lakeline.training.FeatureDrift;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * What {@code lakeline monitor} found, as one self-contained HTML page: per run, how well the predictions did once
 * labels arrived (AUC against the version's test AUC); the drift of every feature and of the scores in every run, as
 * a grid coloured by status; and for the latest run, the share of rows in each bin against the training data, for
 * the scores and every feature at warn or alert.
 */
public final class MonitoringReport {
  /** The most bin charts drawn for the latest run (the scores first, then the features by PSI, highest first). */
  static final int MAX_BIN_CHARTS = 13;

  private static final Color TRAINING = new Color(0x9e9e9e);
  private static final Color BATCH = new Color(0x1f77b4);
  private static final Color REALISED = new Color(0xd62728);

  private MonitoringReport() {}

  public static String html(ModelMonitoring.Result r) {
    return html(r, Map.of());
  }

  /**
   * The page, with {@code drops} (the latest run's version's kept permutation importance, feature → AUC drop; empty
   * when it was never measured) beside each feature's drift.
   */
  public static String html(ModelMonitoring.Result r, Map<String, Double> drops) {
    StringBuilder h = ReportPages.start("Monitoring " + r.modelName(),
        "td.ok{background:#e8f5e9}td.warn{background:#fff3cd}td.alert{background:#f8d7da}td.few_rows{color:#888;background:#f4f4f4}td.none{color:#bbb}");
    h.append("<h1>Monitoring of ").append(ReportPages.esc(r.modelName())).append("</h1>\n<table>");
    ReportPages.row(h, "runs", "after " + r.from() + " up to " + r.date());
    ReportPages.row(h, "labels", "as known at " + r.date() + ": feature group " + r.labelRows());
    ReportPages.row(h, "drift thresholds", String.format(Locale.ROOT,
        "PSI %.2f warn, %.2f alert (population stability index against the model version's training data); batches under %,d rows "
            + "are not judged", r.thresholds().warn(), r.thresholds().alert(), r.thresholds().minRows()));
    ReportPages.row(h, "tables", r.performancePath() + " · " + r.driftPath());
    h.append("</table>\n");
    if (r.performance().isEmpty()) {
      h.append("<p>No predictions in this window.</p>\n");
      return ReportPages.end(h, "Made by lakeline monitor --report.");
    }
    performance(h, r.performance());
    drift(h, r.drift(), drops);
    return ReportPages.end(h, "Made by lakeline monitor --report from the monitoring_performance and monitoring_drift tables.");
  }

  private static void performance(StringBuilder h, List<RunPerformance> runs) {
    h.append("<h2>Predictions against the labels</h2>\n<table><tr><th>run</th><th>version</th><th>rows</th><th>labelled</th>"
        + "<th>in training</th><th>positives</th><th>AUC</th><th>test AUC</th><th>accuracy</th><th>precision</th><th>recall</th><th>mean score</th></tr>");
    DefaultCategoryDataset auc = new DefaultCategoryDataset();
    for (RunPerformance p : runs) {
      String run = p.runDate() + (runs.stream().filter(q -> q.runDate().equals(p.runDate())).count() > 1 ? " v" + p.modelVersion() : "");
      h.append("<tr><td>").append(p.runDate()).append("</td><td>v").append(p.modelVersion()).append("</td>")
          .append(num(String.format(Locale.ROOT, "%,d", p.rows()))).append(num(String.format(Locale.ROOT, "%,d", p.labelled())))
          .append(num(String.format(Locale.ROOT, "%,d", p.inTraining()))).append(num(String.format(Locale.ROOT, "%,d", p.positives()))).append(num(fixed(p.auc()))).append(num(fixed(p.testAuc())))
          .append(num(fixed(p.accuracy()))).append(num(fixed(p.precision()))).append(num(fixed(p.recall())))
          .append(num(fixed(p.meanScore()))).append("</tr>");
      if (p.auc() != null) {
        auc.addValue(p.auc(), "AUC on the labelled rows", run);
      }
      if (p.testAuc() != null) {
        auc.addValue(p.testAuc(), "test AUC of the version", run);
      }
    }
    h.append("</table>\n<p>Labelled: rows whose outcome is known at the monitoring date (loans issued more than "
        + "training.label-delay-days before it); the metrics count only those. In training: rows of loans in the version's "
        + "own training dataset, never judged. A run too recent for its loans to have outcomes shows '-'.</p>\n");
    if (runs.stream().anyMatch(p -> p.auc() != null)) {
      JFreeChart chart = ChartFactory.createLineChart("AUC per run", "run", "AUC", auc, PlotOrientation.VERTICAL, true, false, false);
      CategoryPlot plot = chart.getCategoryPlot();
      LineAndShapeRenderer lr = new LineAndShapeRenderer(true, true);
      lr.setSeriesPaint(0, REALISED);
      lr.setSeriesStroke(0, new BasicStroke(2f));
      lr.setSeriesPaint(1, Color.GRAY);
      lr.setSeriesStroke(1, ReportPages.DASHED);
      plot.setRenderer(lr);
      plot.getRangeAxis().setRange(0.4, 1.0);
      plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
      h.append("<div class=\"charts\">").append(ReportPages.img(ReportPages.finish(chart), 720, 320, "AUC per run")).append("</div>\n");
    }
  }

  private static void drift(StringBuilder h, List<RunDrift> runs, Map<String, Double> drops) {
    h.append("<h2>Drift against the training data</h2>\n");
    if (runs.isEmpty()) {
      h.append("<p>No drift recorded for these runs (batch inference records it; runs made before Lakeline measured drift have none).</p>\n");
      return;
    }
    Set<String> features = new LinkedHashSet<>();
    runs.forEach(run -> run.rows().forEach(d -> features.add(d.drift().feature())));
    h.append("<p>Population stability index per feature and run (hover for the largest gap between the shares and the null "
        + "rates). Green: below the warning threshold; amber: warn; red: alert; grey: too few rows to judge."
        + (drops.isEmpty() ? "" : " AUC drop: how much the latest run's version leans on the feature (its kept permutation "
            + "importance, lakeline models importance); drift in a feature with a drop near 0 hardly moves the scores.")
        + "</p>\n<table><tr><th>feature</th>");
    if (!drops.isEmpty()) {
      h.append("<th>AUC drop (v").append(runs.get(runs.size() - 1).modelVersion()).append(")</th>");
    }
    for (RunDrift run : runs) {
      h.append("<th>").append(run.runDate()).append(" v").append(run.modelVersion()).append("</th>");
    }
    h.append("</tr>");
    for (String f : features) {
      h.append("<tr><th>").append(ReportPages.esc(f)).append("</th>");
      if (!drops.isEmpty()) {
        Double drop = drops.get(f);
        h.append(drop == null ? "<td class=\"none\">·</td>" : "<td class=\"n\">" + ModelMonitoring.drop(drop) + "</td>");
      }
      for (RunDrift run : runs) {
        FeatureDrift d = run.drift().stream().filter(x -> x.feature().equals(f)).findFirst().orElse(null);
        if (d == null) {
          h.append("<td class=\"none\">·</td>");
        } else {
          h.append("<td class=\"n ").append(d.status()).append("\" title=\"")
              .append(ReportPages.esc(String.format(Locale.ROOT, "%s: largest gap %.3f, nulls %.1f%% (training %.1f%%), %,d rows",
                  d.status(), d.maxGap(), 100 * d.nullRate(), 100 * d.baselineNullRate(), d.rows())))
              .append("\">").append(String.format(Locale.ROOT, "%.3f", d.psi())).append("</td>");
        }
      }
      h.append("</tr>");
    }
    h.append("</table>\n");

    RunDrift latest = runs.get(runs.size() - 1);
    List<DriftRow> shown = new ArrayList<>();
    latest.rows().stream().filter(d -> d.drift().feature().equals(BatchScorer.SCORE)).forEach(shown::add);
    latest.rows().stream()
        .filter(d -> !d.drift().feature().equals(BatchScorer.SCORE) && flagged(d.drift()))
        .sorted((a, b) -> Double.compare(b.drift().psi(), a.drift().psi()))
        .limit(MAX_BIN_CHARTS - shown.size())
        .forEach(shown::add);
    h.append("<h2>The latest run, ").append(latest.runDate()).append(", bin by bin</h2>\n<p>Share of rows per bin: the training data "
        + "(grey; for the scores, the test split) against the run's batch (blue). The bins are the training data's deciles, so "
        + "each grey bar is about 10 %. Shown: the scores");
    long flagged = latest.rows().stream().filter(d -> !d.drift().feature().equals(BatchScorer.SCORE) && flagged(d.drift())).count();
    h.append(flagged == 0 ? "; no feature is at warn or alert in this run." : " and the features at warn or alert.").append("</p>\n");
    h.append("<div class=\"charts\">");
    for (DriftRow d : shown) {
      h.append(ReportPages.img(bins(d), 520, 300, d.drift().feature() + " by bin"));
    }
    h.append("</div>\n");
  }

  /** One column's shares per bin: training against the batch. */
  static JFreeChart bins(DriftRow d) {
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    long tb = d.baselineCounts().stream().mapToLong(Long::longValue).sum();
    long tc = d.counts().stream().mapToLong(Long::longValue).sum();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int i = 0; i < d.bins().size(); i++) {
      String bin = d.bins().get(i);
      if (bin.equals(ModelMonitoring.NULL_BIN) && d.baselineCounts().get(i) == 0 && d.counts().get(i) == 0) {
        continue;
      }
      // category labels must be unique in a dataset
      int n = seen.merge(bin, 1, Integer::sum);
      String key = n == 1 ? bin : bin + " (" + n + ")";
      ds.addValue(tb == 0 ? 0 : 100.0 * d.baselineCounts().get(i) / tb, "training", key);
      ds.addValue(tc == 0 ? 0 : 100.0 * d.counts().get(i) / tc, "batch", key);
    }
    FeatureDrift f = d.drift();
    JFreeChart chart = ChartFactory.createBarChart(
        String.format(Locale.ROOT, "%s · PSI %.3f (%s)", f.feature(), f.psi(), f.status()), null, "% of rows", ds,
        PlotOrientation.VERTICAL, true, false, false);
    BarRenderer r = (BarRenderer) chart.getCategoryPlot().getRenderer();
    r.setBarPainter(new StandardBarPainter());
    r.setShadowVisible(false);
    r.setItemMargin(0.02);
    r.setSeriesPaint(0, TRAINING);
    r.setSeriesPaint(1, BATCH);
    chart.getCategoryPlot().getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    return ReportPages.finish(chart);
  }

  private static boolean flagged(FeatureDrift d) {
    return d.status().equals(FeatureDrift.WARN) || d.status().equals(FeatureDrift.ALERT);
  }

  private static String num(String v) {
    return "<td class=\"n\">" + ReportPages.esc(v) + "</td>";
  }

  private static String fixed(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }
}
