package dev.lakeline.jobs.reports;

import dev.lakeline.featurestore.SplitSpec;
import dev.lakeline.featurestore.SplitStatistics;
import dev.lakeline.featurestore.TrainingDataset;
import dev.lakeline.featurestore.TrainingDatasetManifest;
import dev.lakeline.featurestore.TrainingDatasetProfile;
import java.awt.Color;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.ClusteredXYBarRenderer;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.time.SimpleTimePeriod;
import org.jfree.data.time.TimeTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A training dataset as one self-contained HTML page (charts are PNGs inside it, drawn with JFreeChart): what it was
 * built from, its rows per split over event time (a time split's boundaries and gaps show at a glance; a random split
 * shows every split everywhere), the labels' mean per split, and every numeric feature's histogram per split as a
 * share of the split's rows, so that a feature that drifts between splits, or is missing in one, stands out.
 */
public final class TrainingDatasetReport {
  /** Split colours, the same in every chart and report: train, validation, test, then any other split. */
  private static final Color[] COLOURS = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x9467bd), new Color(0x8c564b)
  };

  private static Color colour(String split, List<String> splits) {
    int known = List.of("train", "validation", "test").indexOf(split);
    return COLOURS[known >= 0 ? known : Math.min(3 + splits.indexOf(split), COLOURS.length - 1)];
  }

  private TrainingDatasetReport() {}

  /** The page for {@code td}, from its manifest and {@code profile}. */
  public static String html(TrainingDataset td, TrainingDatasetProfile profile) {
    TrainingDatasetManifest m = td.manifest();
    StringBuilder h = ReportPages.start("Training dataset " + td.label(), "");
    h.append("<h1>Training dataset ").append(ReportPages.esc(td.label())).append("</h1>\n<table>");
    ReportPages.row(h, "view", m.identity().view() + " v" + m.identity().viewVersion());
    TrainingDatasetManifest.Spine spine = m.spine();
    ReportPages.row(h, "spine", spine.group() + " @ Delta v" + spine.deltaVersion() + " · keys " + spine.keys() + " · time "
        + spine.eventTime() + " · " + rowsText(m.identity().filter()));
    for (TrainingDatasetManifest.JoinedGroup j : m.joins()) {
      ReportPages.row(h, "joined", j.group() + " @ Delta v" + j.deltaVersion() + " on " + j.baseKeys() + ", "
          + joinKind(j.staticJoin(), j.strict()));
    }
    ReportPages.row(h, "split", splitText(m));
    ReportPages.row(h, "features", String.join(", ", m.features()));
    ReportPages.row(h, "labels", String.join(", ", m.labels()));
    ReportPages.row(h, "stored at", td.path());
    h.append("</table>\n<h2>Splits</h2>\n<table><tr><th>split</th><th>rows</th><th>event time</th></tr>");
    for (String split : profile.splits()) {
      SplitStatistics s = m.statistics().get(split);
      h.append("<tr><td>").append(ReportPages.esc(split)).append("</td><td class=\"n\">")
          .append(String.format(Locale.ROOT, "%,d", m.rowsPerSplit().get(split))).append("</td><td>")
          .append(s == null || s.eventTimeMin() == null ? "" : ReportPages.esc(s.eventTimeMin() + " … " + s.eventTimeMax()))
          .append("</td></tr>");
    }
    h.append("</table>\n<div class=\"charts\">");
    h.append(ReportPages.img(timeline(profile, spine.eventTime()), 1000, 320, "rows per " + profile.period() + " and split"));
    h.append("</div>\n");
    if (!profile.labelMeans().isEmpty()) {
      h.append("<h2>Labels</h2>\n<div class=\"charts\">")
          .append(ReportPages.img(labels(profile), 480, 280, "label means per split")).append("</div>\n");
    }
    if (!profile.histograms().isEmpty()) {
      h.append("<h2>Numeric features</h2>\n<p>Each bar is the share of a split's non-null values in that bin; the "
          + "caption gives each split's nulls and mean.</p>\n<div class=\"charts\">");
      for (TrainingDatasetProfile.Histogram hist : profile.histograms()) {
        h.append("<figure style=\"margin:0\">").append(ReportPages.img(histogram(profile, hist), 480, 260, hist.feature() + " per split"))
            .append("<figcaption style=\"font-size:0.85em\">").append(ReportPages.esc(caption(m, profile, hist.feature())))
            .append("</figcaption></figure>");
      }
      h.append("</div>\n");
    }
    return ReportPages.end(h, "Made by lakeline td show --report from the manifest and the stored rows.");
  }

  private static JFreeChart timeline(TrainingDatasetProfile p, String eventTime) {
    TimeTableXYDataset ds = new TimeTableXYDataset(TimeZone.getTimeZone(ZoneOffset.UTC));
    List<LocalDate> periods = p.periods();
    for (String split : p.splits()) {
      List<Long> counts = p.rowsPerPeriod().get(split);
      for (int i = 0; i < periods.size(); i++) {
        LocalDate end = p.periodEnd(i);
        ds.add(new SimpleTimePeriod(date(periods.get(i)), new Date(date(end).getTime() - 1)), counts.get(i), split);
      }
    }
    JFreeChart chart = ChartFactory.createXYBarChart(
        "Rows per " + p.period() + " of " + eventTime + ", by split", eventTime, true, "rows", ds,
        PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    StackedXYBarRenderer r = new StackedXYBarRenderer(0.1);
    style(r, p.splits());
    plot.setRenderer(r);
    ((DateAxis) plot.getDomainAxis()).setTimeZone(TimeZone.getTimeZone(ZoneOffset.UTC));
    return ReportPages.finish(chart);
  }

  private static JFreeChart labels(TrainingDatasetProfile p) {
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    for (Map.Entry<String, Map<String, Double>> label : p.labelMeans().entrySet()) {
      for (String split : p.splits()) {
        Double mean = label.getValue().get(split);
        ds.addValue(mean, split, label.getKey());
      }
    }
    JFreeChart chart = ChartFactory.createBarChart("Mean of each label per split", "label", "mean", ds);
    CategoryPlot plot = chart.getCategoryPlot();
    BarRenderer r = (BarRenderer) plot.getRenderer();
    r.setBarPainter(new StandardBarPainter());
    r.setShadowVisible(false);
    for (int i = 0; i < p.splits().size(); i++) {
      r.setSeriesPaint(i, colour(p.splits().get(i), p.splits()));
    }
    return ReportPages.finish(chart);
  }

  private static JFreeChart histogram(TrainingDatasetProfile p, TrainingDatasetProfile.Histogram h) {
    XYSeriesCollection ds = new XYSeriesCollection();
    double width = h.binWidth();
    for (String split : p.splits()) {
      List<Long> counts = h.counts().get(split);
      long total = counts.stream().mapToLong(Long::longValue).sum();
      XYSeries s = new XYSeries(split, false, true);
      for (int b = 0; b < counts.size(); b++) {
        s.add(h.min() + (b + 0.5) * width, total == 0 ? 0 : 100.0 * counts.get(b) / total);
      }
      ds.addSeries(s);
    }
    ds.setIntervalWidth(width);
    JFreeChart chart = ChartFactory.createXYBarChart(h.feature(), h.feature(), false, "% of the split's values", ds,
        PlotOrientation.VERTICAL, true, false, false);
    ClusteredXYBarRenderer r = new ClusteredXYBarRenderer(0.05, false);
    style(r, p.splits());
    chart.getXYPlot().setRenderer(r);
    return ReportPages.finish(chart);
  }

  private static String caption(TrainingDatasetManifest m, TrainingDatasetProfile p, String feature) {
    StringBuilder c = new StringBuilder(feature).append(": ");
    for (int i = 0; i < p.splits().size(); i++) {
      String split = p.splits().get(i);
      SplitStatistics s = m.statistics().get(split);
      SplitStatistics.FeatureStatistics fs = s == null ? null : s.features().get(feature);
      if (fs == null) {
        continue;
      }
      c.append(i == 0 ? "" : " · ").append(split).append(String.format(Locale.ROOT, " %,d null%s", fs.nulls(), fs.nulls() == 1 ? "" : "s"))
          .append(fs.mean() == null ? "" : String.format(Locale.ROOT, ", mean %.4g", fs.mean()));
    }
    return c.toString();
  }

  private static void style(XYBarRenderer r, List<String> splits) {
    r.setBarPainter(new StandardXYBarPainter());
    r.setShadowVisible(false);
    r.setDrawBarOutline(false);
    for (int i = 0; i < splits.size(); i++) {
      r.setSeriesPaint(i, colour(splits.get(i), splits));
    }
  }

  private static Date date(LocalDate d) {
    return Date.from(d.atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  /** How a group is joined, in words: static, or point-in-time at or strictly before the base time. */
  public static String joinKind(boolean staticJoin, boolean strict) {
    return staticJoin ? "static (key alone)" : strict ? "point-in-time, strictly before" : "point-in-time, at or before";
  }

  /**
   * The split in words, with its seed when it has one: a time split is not random, and its manifest's seed (the
   * default, recorded for every dataset) played no part.
   */
  public static String splitText(TrainingDatasetManifest m) {
    SplitSpec split = m.identity().split();
    return split.describe() + (split.kind() == SplitSpec.Kind.TIME ? "" : " · seed " + m.identity().seed());
  }

  /** Which base rows a dataset holds, in words: "all rows", or "rows where" and the filter. */
  public static String rowsText(String filter) {
    return filter == null || filter.isBlank() || filter.strip().equalsIgnoreCase("true") ? "all rows" : "rows where " + filter;
  }
}
