package dev.lakeline.jobs.reports;

import dev.lakeline.validation.Decision;
import dev.lakeline.validation.ExpectationResult;
import dev.lakeline.validation.Severity;
import dev.lakeline.validation.ValidationReport;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A feature group's validation history as one self-contained HTML page, what Great Expectations' Data Docs show for
 * a suite: the batches and the gate's decision on each (rows per batch, coloured by decision), a grid of every
 * expectation against every batch (passed, failed, failed as a warning, or not in that batch's suite; a cell's tooltip
 * says what was observed), the trend of every measured value across the batches with the expectation's bounds drawn
 * in (a mean creeping towards its limit shows before it fails), and the failed expectations of each batch.
 */
public final class ValidationHistoryReport {
  /** Most trend charts on one page; the grid still shows every expectation. */
  static final int MAX_TRENDS = 40;

  private static final Color PASSED = new Color(0x2ca02c);
  private static final Color FAILED = new Color(0xd62728);
  private static final Map<Decision, Color> DECISION_COLOURS =
      Map.of(Decision.INGESTED, PASSED, Decision.QUARANTINED, new Color(0xff7f0e), Decision.REJECTED, FAILED);

  private ValidationHistoryReport() {}

  /** The page for {@code group}'s reports, given newest first (as {@code ValidationReports.history} returns them). */
  public static String html(String group, List<ValidationReport> newestFirst) {
    List<ValidationReport> batches = new ArrayList<>(newestFirst);
    Collections.reverse(batches);
    List<String> names = batchNames(batches);
    StringBuilder h = ReportPages.start("Validation reports of " + group,
        "table.grid td{text-align:center;padding:2px 6px;border:1px solid #fff}"
            + "td.pass{background:#d4edda}td.fail{background:#f5b7b1}td.warn{background:#fde2a7}td.none{background:#eee;color:#999}"
            + "pre{background:#f8f8f8;padding:8px;white-space:pre-wrap}");
    h.append("<h1>Validation reports of feature group ").append(ReportPages.esc(group)).append("</h1>\n<table>");
    ReportPages.row(h, "batches", batches.size() + " (oldest first below), " + decisionCounts(batches));
    ReportPages.row(h, "feature group versions", distinct(batches, r -> "v" + r.featureGroupVersion()));
    ReportPages.row(h, "suites", distinct(batches, r -> r.result().suite()));
    ReportPages.row(h, "policies", distinct(batches, r -> r.policy().name()));
    ReportPages.row(h, "rows validated", String.format(Locale.ROOT, "%,d", batches.stream().mapToLong(ValidationReport::rows).sum()));
    h.append("</table>\n<div class=\"charts\">")
        .append(ReportPages.img(rowsPerBatch(batches, names), 1000, 320, "rows per batch by decision"))
        .append("</div>\n");
    batchTable(h, batches, names);
    grid(h, batches);
    trends(h, batches);
    failures(h, batches, names);
    return ReportPages.end(h, "Made by lakeline validation history --report from the validation reports table.");
  }

  /** A short unique name per batch: its logical date, or its position; a repeated date gets its position too. */
  private static List<String> batchNames(List<ValidationReport> batches) {
    List<String> names = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < batches.size(); i++) {
      String date = batches.get(i).logicalDate();
      String name = date == null ? "batch " + (i + 1) : date;
      if (!seen.add(name)) {
        name = name + " (" + (i + 1) + ")";
        seen.add(name);
      }
      names.add(name);
    }
    return names;
  }

  private static String decisionCounts(List<ValidationReport> batches) {
    Map<Decision, Long> counts = batches.stream().collect(Collectors.groupingBy(ValidationReport::decision, Collectors.counting()));
    List<String> parts = new ArrayList<>();
    for (Decision d : Decision.values()) {
      if (counts.containsKey(d)) {
        parts.add(counts.get(d) + " " + d);
      }
    }
    return String.join(" · ", parts);
  }

  private static String distinct(List<ValidationReport> batches, Function<ValidationReport, String> f) {
    return String.join(", ", batches.stream().map(f).collect(Collectors.toCollection(TreeSet::new)));
  }

  private static JFreeChart rowsPerBatch(List<ValidationReport> batches, List<String> names) {
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    List<Decision> present = new ArrayList<>();
    for (Decision d : Decision.values()) {
      if (batches.stream().anyMatch(r -> r.decision() == d)) {
        present.add(d);
      }
    }
    for (Decision d : present) {
      for (int i = 0; i < batches.size(); i++) {
        ValidationReport r = batches.get(i);
        ds.addValue(r.decision() == d ? r.rows() : 0, d.name(), names.get(i));
      }
    }
    JFreeChart chart = ChartFactory.createStackedBarChart(
        "Rows per batch, by the gate's decision", "batch (oldest first)", "rows", ds, PlotOrientation.VERTICAL, true, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    StackedBarRenderer r = (StackedBarRenderer) plot.getRenderer();
    r.setBarPainter(new StandardBarPainter());
    r.setShadowVisible(false);
    r.setMaximumBarWidth(0.08);
    for (int i = 0; i < present.size(); i++) {
      r.setSeriesPaint(i, DECISION_COLOURS.get(present.get(i)));
    }
    if (batches.size() > 8) {
      plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    return ReportPages.finish(chart);
  }

  private static void batchTable(StringBuilder h, List<ValidationReport> batches, List<String> names) {
    h.append("<h2>Batches</h2>\n<table><tr><th>#</th><th>batch</th><th>id</th><th>version</th><th>decision</th>"
        + "<th>policy</th><th>Delta version</th><th>rows</th><th>passed</th><th>report</th></tr>");
    for (int i = 0; i < batches.size(); i++) {
      ValidationReport r = batches.get(i);
      h.append("<tr><td class=\"n\">").append(i + 1).append("</td><td>").append(ReportPages.esc(names.get(i)))
          .append("</td><td>").append(ReportPages.esc(r.batchId())).append("</td><td>v").append(r.featureGroupVersion())
          .append("</td><td style=\"color:#").append(hex(DECISION_COLOURS.get(r.decision()))).append("\">").append(r.decision())
          .append("</td><td>").append(r.policy()).append("</td><td>").append(r.deltaVersion() == null ? "none" : "v" + r.deltaVersion())
          .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%,d", r.rows()))
          .append("</td><td class=\"n\">").append(r.result().successful()).append('/').append(r.result().evaluated())
          .append("</td><td><code>").append(ReportPages.esc(r.reportId())).append("</code></td></tr>");
    }
    h.append("</table>\n");
  }

  /** Every expectation (in the order first met) against every batch. */
  private static void grid(StringBuilder h, List<ValidationReport> batches) {
    Map<String, Severity> labels = new LinkedHashMap<>();
    for (ValidationReport r : batches) {
      for (ExpectationResult e : r.result().results()) {
        labels.putIfAbsent(e.label(), e.expectation().severity());
      }
    }
    h.append("<h2>Expectations by batch</h2>\n<p>✓ passed · ✗ failed (an error) · ! failed as a warning · · not in that "
        + "batch's suite. Hover over a cell for what was observed.</p>\n<table class=\"grid\"><tr><th>expectation</th>");
    for (int i = 0; i < batches.size(); i++) {
      h.append("<th title=\"").append(ReportPages.esc(batches.get(i).batchId())).append("\">").append(i + 1).append("</th>");
    }
    h.append("</tr>\n");
    for (Map.Entry<String, Severity> label : labels.entrySet()) {
      h.append("<tr><th>").append(ReportPages.esc(label.getKey()))
          .append(label.getValue() == Severity.WARNING ? " <small>(warning)</small>" : "").append("</th>");
      for (ValidationReport r : batches) {
        ExpectationResult e = r.result().results().stream().filter(x -> x.label().equals(label.getKey())).findFirst().orElse(null);
        if (e == null) {
          h.append("<td class=\"none\">·</td>");
          continue;
        }
        String kind = e.success() ? "pass" : e.expectation().severity() == Severity.WARNING ? "warn" : "fail";
        String mark = e.success() ? "✓" : kind.equals("warn") ? "!" : "✗";
        String title = e.raisedException() ? "could not be evaluated: " + e.exceptionMessage() : e.detail();
        h.append("<td class=\"").append(kind).append("\" title=\"").append(ReportPages.esc(title)).append("\">").append(mark).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  /** What an expectation measured in one batch, and whether it passed there. */
  private record Point(int batch, double value, boolean passed) {}

  /**
   * One chart per expectation that measured a number in at least two batches: its observed value (a row count, a
   * mean, …) with its {@code min_value}/{@code max_value} drawn in, or else the share of unexpected rows with what
   * {@code mostly} allows.
   */
  private static void trends(StringBuilder h, List<ValidationReport> batches) {
    Map<String, List<Point>> observed = new LinkedHashMap<>();
    Map<String, List<Point>> unexpected = new LinkedHashMap<>();
    Map<String, ExpectationResult> last = new LinkedHashMap<>();
    // batches where an expectation failed with nothing to draw (no values, NaN, could not be evaluated)
    Map<String, List<Integer>> noValue = new LinkedHashMap<>();
    for (int i = 0; i < batches.size(); i++) {
      for (ExpectationResult e : batches.get(i).result().results()) {
        if (e.observedValue() instanceof Number n && Double.isFinite(n.doubleValue())) {
          observed.computeIfAbsent(e.label(), k -> new ArrayList<>()).add(new Point(i + 1, n.doubleValue(), e.success()));
          last.put(e.label(), e);
        } else if (e.unexpectedPercent() != null) {
          unexpected.computeIfAbsent(e.label(), k -> new ArrayList<>()).add(new Point(i + 1, e.unexpectedPercent(), e.success()));
          last.put(e.label(), e);
        } else if (!e.success()) {
          noValue.computeIfAbsent(e.label(), k -> new ArrayList<>()).add(i + 1);
        }
      }
    }
    List<String> charts = new ArrayList<>();
    List<String> gaps = new ArrayList<>();
    int skipped = 0;
    for (Map.Entry<String, ExpectationResult> e : last.entrySet()) {
      String label = e.getKey();
      boolean isObserved = observed.containsKey(label);
      List<Point> points = isObserved ? observed.get(label) : unexpected.get(label);
      List<Integer> missing = isObserved ? noValue.getOrDefault(label, List.of()) : List.of();
      if (points.size() + missing.size() < 2 || !isObserved && points.stream().allMatch(p -> p.value() == 0)) {
        continue; // one point is no trend; a share of unexpected rows that was always 0 is in the grid
      }
      if (charts.size() == MAX_TRENDS) {
        skipped++;
        continue;
      }
      charts.add(ReportPages.img(trend(label, points, missing, isObserved, e.getValue().expectation().kwargs()), 480, 240,
          label + " over batches"));
      if (!missing.isEmpty()) {
        gaps.add(ReportPages.esc(label) + " in batch " + String.join(", ", missing.stream().map(b -> "#" + b).toList()));
      }
    }
    if (charts.isEmpty()) {
      if (batches.size() < 2) {
        h.append("<p>The trends of measured values appear from the second batch on.</p>\n");
      }
      return;
    }
    h.append("<h2>Measured values over the batches</h2>\n<p>Green points passed, red failed; dashed lines are the "
        + "expectation's bounds (for a share of unexpected rows, what <code>mostly</code> allows).")
        .append(skipped > 0 ? " The first " + MAX_TRENDS + " expectations are drawn; " + skipped + " more are in the grid." : "")
        .append(gaps.isEmpty() ? "" : " A red dashed vertical line marks a batch where the expectation failed with no value to "
            + "draw (no values, NaN, or it could not be evaluated): " + String.join("; ", gaps) + ".")
        .append("</p>\n<div class=\"charts\">");
    charts.forEach(h::append);
    h.append("</div>\n");
  }

  private static JFreeChart trend(
      String label, List<Point> points, List<Integer> missing, boolean observedValue, Map<String, Object> kwargs) {
    XYSeries all = new XYSeries("value", true, true);
    XYSeries passed = new XYSeries("passed", false, true);
    XYSeries failed = new XYSeries("failed", false, true);
    for (Point p : points) {
      all.add(p.batch(), p.value());
      (p.passed() ? passed : failed).add(p.batch(), p.value());
    }
    for (int b : missing) {
      all.add(b, null); // the line breaks there, rather than joining its neighbours as if nothing had happened
    }
    XYSeriesCollection ds = new XYSeriesCollection();
    ds.addSeries(all);
    ds.addSeries(passed);
    ds.addSeries(failed);
    JFreeChart chart = ChartFactory.createXYLineChart(label, "batch (#)", observedValue ? "observed value" : "% of rows unexpected",
        ds, PlotOrientation.VERTICAL, false, false, false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
    r.setSeriesLinesVisible(0, true);
    r.setSeriesShapesVisible(0, false);
    r.setSeriesPaint(0, Color.GRAY);
    for (int s = 1; s <= 2; s++) {
      r.setSeriesLinesVisible(s, false);
      r.setSeriesShapesVisible(s, true);
      r.setSeriesPaint(s, s == 1 ? PASSED : FAILED);
      r.setSeriesShape(s, new Ellipse2D.Double(-4, -4, 8, 8));
    }
    plot.setRenderer(r);
    plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    for (int b : missing) {
      ValueMarker m = new ValueMarker(b, FAILED, ReportPages.DASHED);
      m.setLabel("no value");
      m.setLabelAnchor(RectangleAnchor.BOTTOM);
      m.setLabelTextAnchor(TextAnchor.BOTTOM_CENTER);
      m.setLabelBackgroundColor(new Color(255, 255, 255, 0));
      plot.addDomainMarker(m);
    }
    if (observedValue) {
      bound(plot, kwargs.get("min_value"), "min");
      bound(plot, kwargs.get("max_value"), "max");
    } else if (kwargs.get("mostly") instanceof Number mostly) {
      bound(plot, 100.0 * (1.0 - mostly.doubleValue()), "allowed");
    }
    return ReportPages.finish(chart);
  }

  /** A dashed line at a numeric bound, kept in view. */
  private static void bound(XYPlot plot, Object value, String name) {
    if (!(value instanceof Number n)) {
      return;
    }
    ValueMarker m = new ValueMarker(n.doubleValue(), Color.DARK_GRAY, ReportPages.DASHED);
    m.setLabel(name + " " + show(n.doubleValue()));
    m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    m.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
    m.setLabelBackgroundColor(new Color(255, 255, 255, 0));
    plot.addRangeMarker(m);
    NumberAxis axis = (NumberAxis) plot.getRangeAxis();
    double v = n.doubleValue();
    if (v < axis.getLowerBound() || v > axis.getUpperBound()) {
      double lo = Math.min(axis.getLowerBound(), v);
      double hi = Math.max(axis.getUpperBound(), v);
      double pad = (hi - lo) * 0.05 + 1e-9;
      axis.setRange(lo - pad, hi + pad);
    }
  }

  private static void failures(StringBuilder h, List<ValidationReport> batches, List<String> names) {
    boolean any = false;
    for (int i = batches.size() - 1; i >= 0; i--) {
      ValidationReport r = batches.get(i);
      if (r.result().success() && r.decision() != Decision.QUARANTINED) {
        continue; // a QUARANTINED batch held rows back even when every expectation passed (within mostly): its summary says which
      }
      if (!any) {
        h.append("<h2>Failed expectations and quarantined rows, newest batch first</h2>\n");
      }
      h.append("<details").append(any ? "" : " open").append("><summary>#").append(i + 1).append(' ')
          .append(ReportPages.esc(names.get(i))).append(" — ").append(r.decision()).append(", ")
          .append(r.result().unsuccessful()).append(" failed</summary><pre>").append(ReportPages.esc(r.summary()))
          .append("</pre></details>\n");
      any = true;
    }
  }

  private static String show(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4g", v);
  }

  private static String hex(Color c) {
    return String.format(Locale.ROOT, "%06x", c.getRGB() & 0xffffff);
  }
}
