package dev.lakeline.jobs.reports;

import dev.lakeline.training.ModelCard;
import dev.lakeline.training.ModelRegistry;
import dev.lakeline.training.ModelVersion;
import dev.lakeline.training.PermutationImportance;
import dev.lakeline.training.ScoreDistribution;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.ClusteredXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A model version as one self-contained HTML page: its card (what it was trained on, how, with which stack), its test
 * metrics, and — from the scores on the test split kept with the version — the ROC and precision-recall curves, the
 * scores of each class, the calibration by deciles, and the confusion matrix at the model's threshold; for a threshold
 * chosen on a validation split or out-of-fold scores, precision, recall and F1 by threshold on those and on the test
 * split with the choice marked.
 */
public final class ModelReport {
  /** Bins of the score histogram (the stored distribution's bins are merged into these). */
  static final int HISTOGRAM_BINS = 20;

  private static final Color NEGATIVE = new Color(0x1f77b4);
  private static final Color POSITIVE = new Color(0xd62728);

  private ModelReport() {}

  /**
   * The page for {@code version}, with its aliases, its test scores if it was registered with them, and the validation
   * split's scores if its threshold was chosen on them.
   */
  public static String html(ModelVersion version, List<String> aliases, Optional<ScoreDistribution> scores,
      Optional<ScoreDistribution> validationScores) {
    ModelCard c = version.card();
    StringBuilder h = ReportPages.start("Model " + version.label(), "");
    h.append("<h1>Model ").append(ReportPages.esc(version.label())).append("</h1>\n<table>");
    ReportPages.row(h, "aliases", aliases.isEmpty() ? "none" : String.join(", ", aliases));
    ReportPages.row(h, "algorithm", c.algorithm());
    ReportPages.row(h, "label", c.label());
    ReportPages.row(h, "trained for", c.logicalDate() + " (logical date)");
    ReportPages.row(h, "training dataset", dev.lakeline.core.storage.StorageLayout.trainingDatasetLabel(c.trainingDataset()));
    trainingData(c).forEach((k, v) -> ReportPages.row(h, k, v));
    ReportPages.row(h, "read", c.sourceVersions() == null ? "" : new TreeMap<>(c.sourceVersions()).toString());
    ReportPages.row(h, "features", c.features() == null ? "" : String.join(", ", c.features()));
    ReportPages.row(h, "stack", c.versions() == null ? "" : c.versions().toString());
    if (c.runId() != null) {
      ReportPages.row(h, "trained by", "run " + c.runId());
    }
    ReportPages.row(h, "stored at", version.path());
    h.append("</table>\n<h2>Inputs</h2>\n");
    if (c.inputs() == null) {
      h.append("<p>Input schema and transformations: ").append(NOT_RECORDED).append(".</p>\n");
    } else {
      h.append("<table><tr>");
      INPUT_HEADER.forEach(k -> h.append("<th>").append(ReportPages.esc(k)).append("</th>"));
      h.append("</tr>");
      for (List<String> r : inputs(c)) {
        h.append("<tr>");
        r.forEach(cell -> h.append("<td>").append(ReportPages.esc(cell)).append("</td>"));
        h.append("</tr>");
      }
      h.append("</table>\n<p>").append(ReportPages.esc(TRANSFORMATIONS_NOTE)).append("</p>\n");
    }
    h.append("<h2>Test metrics</h2>\n<table>");
    new TreeMap<>(c.metrics() == null ? Map.<String, Double>of() : c.metrics()).forEach((k, v) -> ReportPages.row(h, k, number(v)));
    h.append("</table>\n");
    if (scores.isEmpty()) {
      h.append("<p>This version was registered without its test scores (by hand, or before Lakeline kept them), so "
          + "there are no curves to draw.</p>\n");
    } else {
      curves(h, scores.get(), dev.lakeline.training.Trainer.threshold(c.params()));
    }
    thresholdChoice(h, c, validationScores, scores);
    if (c.params() != null && c.params().containsKey("searchResults")) {
      List<List<String>> rows = searchRows(c.params().get("searchResults"));
      h.append("<h2>Hyperparameter search</h2>\n<p>").append(ReportPages.esc(String.format(Locale.ROOT, "%d combinations of "
          + "%s, each fitted on %s folds of the train split less one and scored (AUC) on the one left out, in turn; the "
          + "best mean AUC was fitted on every train row.", rows.size() - 1, c.params().get("searchGrid"),
          c.params().get("searchFolds")))).append("</p>\n<table><tr>");
      rows.get(0).forEach(k -> h.append("<th>").append(ReportPages.esc(k)).append("</th>"));
      h.append("</tr>");
      for (List<String> r : rows.subList(1, rows.size())) {
        h.append(r.get(r.size() - 1).isEmpty() ? "<tr>" : "<tr style=\"font-weight:bold\">");
        r.forEach(cell -> h.append("<td class=\"n\">").append(ReportPages.esc(cell)).append("</td>"));
        h.append("</tr>");
      }
      h.append("</table>\n");
    }
    return ReportPages.end(h, "Made by lakeline models show --report from the model's card and its scores on the test split.");
  }

  private static void curves(StringBuilder h, ScoreDistribution s, double threshold) {
    long n = s.totalNegatives();
    long p = s.totalPositives();
    h.append("<h2>On the test split</h2>\n<p>").append(String.format(Locale.ROOT, "%,d rows: %,d positive (%.1f%%), %,d negative. ",
            n + p, p, 100.0 * p / Math.max(1, n + p), n))
        .append("Curves from the scores binned to 1/").append(s.bins()).append(".</p>\n<div class=\"charts\">")
        .append(ReportPages.img(roc(s), 480, 400, "ROC curve"))
        .append(ReportPages.img(precisionRecall(s), 480, 400, "precision-recall curve"))
        .append(ReportPages.img(histogram(s), 480, 300, "scores by class"))
        .append(ReportPages.img(calibration(s), 480, 300, "calibration by deciles"))
        .append("</div>\n");
    long[] m = s.confusion(threshold);
    h.append("<h3>Confusion matrix at a score of ").append(ReportPages.esc(String.valueOf(threshold))).append(" (the model's threshold)</h3>\n<table><tr><th></th><th>predicted 0</th><th>predicted 1</th></tr>")
        .append("<tr><th>actual 0</th><td class=\"n\">").append(count(m[0])).append("</td><td class=\"n\">").append(count(m[1])).append("</td></tr>")
        .append("<tr><th>actual 1</th><td class=\"n\">").append(count(m[2])).append("</td><td class=\"n\">").append(count(m[3])).append("</td></tr>")
        .append("</table>\n<p>").append(String.format(Locale.ROOT, "precision %.3f · recall %.3f · accuracy %.3f",
            (double) m[3] / Math.max(1, m[1] + m[3]), (double) m[3] / Math.max(1, m[2] + m[3]), (double) (m[0] + m[3]) / Math.max(1, n + p)))
        .append("</p>\n");
  }

  /**
   * For a version whose threshold was chosen on a validation split or on out-of-fold scores: the choice and what it gave
   * there and on the test split, and a chart of precision, recall and F1 by threshold on both with the chosen threshold
   * marked.
   */
  private static void thresholdChoice(StringBuilder h, ModelCard c, Optional<ScoreDistribution> validation,
      Optional<ScoreDistribution> test) {
    Map<String, Double> m = c.metrics() == null ? Map.of() : c.metrics();
    String choice = c.params() == null ? null : c.params().get("thresholdChoice");
    if (choice == null || !m.containsKey("validation_rows")) {
      return; // a fixed threshold
    }
    double threshold = dev.lakeline.training.Trainer.threshold(c.params());
    boolean outOfFold = c.params().containsKey("thresholdFolds");
    StringBuilder said = new StringBuilder(String.format(Locale.ROOT, "%s chose %s on %s, %s: there, %s.", choice, threshold,
        choiceRows(c.params(), m), outOfFold ? "each fold scored by the model fitted on the other folds, then the model fitted "
            + "on every train row" : "neither trained nor tested on", validationMetrics(m)));
    if (m.containsKey("recall")) {
      said.append(String.format(Locale.ROOT, " On the test split at it: precision %s · recall %.3f.",
          m.containsKey("precision") ? String.format(Locale.ROOT, "%.3f", m.get("precision")) : "none (no row predicted positive)",
          m.get("recall")));
    }
    h.append(outOfFold ? "<h2>The threshold, chosen on out-of-fold scores</h2>\n<p>"
        : "<h2>The threshold, chosen on the validation split</h2>\n<p>").append(ReportPages.esc(said.toString())).append("</p>\n");
    if (validation.isEmpty()) {
      h.append("<p>The validation split's scores were not kept with this version (it was registered before Lakeline "
          + "kept them), so there is no chart of the choice.</p>\n");
      return;
    }
    String chosenOn = outOfFold ? "out-of-fold" : "validation";
    h.append("<div class=\"charts\">").append(ReportPages.img(byThreshold(validation.get(), chosenOn, test, threshold), 720,
        400, "precision, recall and F1 by threshold"));
    double falseNegativeCost = falseNegativeCost(choice);
    if (falseNegativeCost > 0) {
      h.append(ReportPages.img(costByThreshold(validation.get(), chosenOn, test, falseNegativeCost, threshold), 720, 400,
          "cost per row by threshold"));
    }
    h.append("</div>\n");
  }

  /** The missed positive's cost of a card's {@code thresholdChoice} ("min-cost 5.0"), or 0 for the other choices. */
  private static double falseNegativeCost(String choice) {
    String prefix = "min-cost ";
    try {
      return choice.startsWith(prefix) ? Double.parseDouble(choice.substring(prefix.length()).trim()) : 0;
    } catch (NumberFormatException handWritten) {
      return 0;
    }
  }

  /**
   * The cost per row by threshold, false alarms counting 1 and missed positives {@code c}: the line of the scores the
   * threshold was chosen on thick, the test split's thin, the cost of flagging no row (on the scores chosen on) as a
   * level, the choice marked.
   */
  private static JFreeChart costByThreshold(ScoreDistribution chosenOnScores, String chosenOn, Optional<ScoreDistribution> test,
      double c, double threshold) {
    XYSeriesCollection ds = new XYSeriesCollection();
    ds.addSeries(series(chosenOn + " cost", chosenOnScores.costByThreshold(c)));
    test.ifPresent(t -> ds.addSeries(series("test cost", t.costByThreshold(c))));
    JFreeChart chart = ChartFactory.createXYLineChart(String.format(Locale.ROOT,
        "Cost per row by threshold (a false alarm 1, a missed positive %s)", c == Math.rint(c) ? String.valueOf((long) c)
            : String.valueOf(c)), "threshold", "cost per row", ds,
        PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    r.setSeriesPaint(0, NEGATIVE);
    r.setSeriesStroke(0, new BasicStroke(2f));
    r.setSeriesPaint(1, lighter(NEGATIVE));
    r.setSeriesStroke(1, new BasicStroke(1f));
    plot.setRenderer(r);
    plot.getDomainAxis().setRange(0, 1);
    long rows = chosenOnScores.totalNegatives() + chosenOnScores.totalPositives();
    double none = c * chosenOnScores.totalPositives() / Math.max(1, rows);
    ValueMarker flagNone = new ValueMarker(none, Color.GRAY, ReportPages.DASHED);
    flagNone.setLabel(String.format(Locale.ROOT, "flagging none %.3f", none));
    flagNone.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
    flagNone.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
    plot.addRangeMarker(flagNone);
    markChosen(plot, threshold);
    return ReportPages.finish(chart);
  }

  /** A dashed line at the chosen threshold, labelled with it. */
  private static void markChosen(XYPlot plot, double threshold) {
    ValueMarker chosen = new ValueMarker(threshold, Color.DARK_GRAY, ReportPages.DASHED);
    chosen.setLabel("chosen " + threshold);
    chosen.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    chosen.setLabelTextAnchor(TextAnchor.TOP_LEFT);
    plot.addDomainMarker(chosen);
  }

  /**
   * The rows a card's threshold was chosen on: "1,657 validation rows", or "6,906 train rows' out-of-fold scores (5
   * folds)".
   */
  public static String choiceRows(Map<String, String> params, Map<String, Double> m) {
    long rows = m.getOrDefault("validation_rows", 0.0).longValue();
    String folds = params == null ? null : params.get("thresholdFolds");
    return folds == null ? String.format(Locale.ROOT, "%,d validation rows", rows)
        : String.format(Locale.ROOT, "%,d train rows' out-of-fold scores (%s folds)", rows, folds);
  }

  /**
   * What a chosen threshold gives on the validation split, from the card's metrics: "precision 0.414 · recall 0.695 ·
   * F1 0.519", and " · cost 0.506 per row" under min-cost.
   */
  public static String validationMetrics(Map<String, Double> m) {
    return String.format(Locale.ROOT, "precision %.3f · recall %.3f · F1 %.3f%s", m.getOrDefault("validation_precision", Double.NaN),
        m.getOrDefault("validation_recall", Double.NaN), m.getOrDefault("validation_f1", Double.NaN),
        m.containsKey("validation_cost") ? String.format(Locale.ROOT, " · cost %.3f per row", m.get("validation_cost")) : "");
  }

  private static final Color F1 = new Color(0x2ca02c);

  private static Color lighter(Color c) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), 140);
  }

  /**
   * Precision, recall and F1 by threshold: the lines of the scores the threshold was chosen on ({@code chosenOn}:
   * "validation", "out-of-fold") thick, the test split's thin, the choice marked.
   */
  private static JFreeChart byThreshold(ScoreDistribution validation, String chosenOn, Optional<ScoreDistribution> test,
      double threshold) {
    XYSeriesCollection ds = new XYSeriesCollection();
    List<double[]> v = validation.byThreshold();
    ds.addSeries(series(chosenOn + " precision", v.stream().map(p -> new double[] {p[0], p[1]}).toList()));
    ds.addSeries(series(chosenOn + " recall", v.stream().map(p -> new double[] {p[0], p[2]}).toList()));
    ds.addSeries(series(chosenOn + " F1", v.stream().map(p -> new double[] {p[0], p[3]}).toList()));
    if (test.isPresent()) {
      List<double[]> t = test.get().byThreshold();
      ds.addSeries(series("test precision", t.stream().map(p -> new double[] {p[0], p[1]}).toList()));
      ds.addSeries(series("test recall", t.stream().map(p -> new double[] {p[0], p[2]}).toList()));
    }
    JFreeChart chart = ChartFactory.createXYLineChart("Precision, recall and F1 by threshold", "threshold", "", ds,
        PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    Color[] colours = {NEGATIVE, POSITIVE, F1, lighter(NEGATIVE), lighter(POSITIVE)};
    for (int i = 0; i < ds.getSeriesCount(); i++) {
      r.setSeriesPaint(i, colours[i]);
      r.setSeriesStroke(i, new BasicStroke(i < 3 ? 2f : 1f));
    }
    plot.setRenderer(r);
    plot.getDomainAxis().setRange(0, 1);
    plot.getRangeAxis().setRange(0, 1.02);
    markChosen(plot, threshold);
    return ReportPages.finish(chart);
  }

  /**
   * The rows of a comparison's table: per metric, its name, both versions' values, their difference and which is
   * better as promotion judges ({@link ModelRegistry#better}: {@code nameA}, {@code nameB} or "equal"; empty when either
   * lacks the metric, such as a precision with no row predicted positive).
   */
  public static List<List<String>> comparisonRows(List<String> metrics, Map<String, Double> a, Map<String, Double> b,
      String nameA, String nameB) {
    List<List<String>> out = new ArrayList<>();
    for (String metric : metrics) {
      Double x = a.get(metric);
      Double y = b.get(metric);
      String name = metric + (ModelRegistry.lowerIsBetter(metric) ? " (lower is better)" : "");
      if (x == null || y == null) {
        out.add(List.of(name, x == null ? "none" : fixed(x), y == null ? "none" : fixed(y), "", ""));
        continue;
      }
      int better = ModelRegistry.better(metric, x, y);
      out.add(List.of(name, fixed(x), fixed(y), String.format(Locale.ROOT, "%+.4f", x - y),
          better > 0 ? nameA : better < 0 ? nameB : "equal"));
    }
    return out;
  }

  private static String fixed(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /**
   * The page of two versions measured on the same rows ({@code rows}, in words): their metrics side by side, and, from
   * their scores on those rows, both ROC and both precision-recall curves on one chart each.
   */
  public static String comparison(String model, ModelVersion a, ModelVersion b, String rows, long positives,
      List<String> metrics, Map<String, Double> ma, Map<String, Double> mb, ScoreDistribution sa, ScoreDistribution sb) {
    String va = "v" + a.version();
    String vb = "v" + b.version();
    StringBuilder h = ReportPages.start("Model " + model + ": " + va + " against " + vb, "");
    h.append("<h1>Model ").append(ReportPages.esc(model)).append(": ").append(va).append(" against ").append(vb)
        .append("</h1>\n<p>").append(ReportPages.esc(String.format(Locale.ROOT, "Both measured on %s (%,d positive): the "
            + "rows promotion compares them on. Each decides at its own threshold: %s at %s, %s at %s.", rows, positives,
            va, dev.lakeline.training.Trainer.threshold(a.card().params()), vb,
            dev.lakeline.training.Trainer.threshold(b.card().params())))).append("</p>\n<table><tr><th>metric</th><th>")
        .append(va).append("</th><th>").append(vb).append("</th><th>").append(va).append(" − ").append(vb)
        .append("</th><th>better</th></tr>");
    for (List<String> r : comparisonRows(metrics, ma, mb, va, vb)) {
      h.append("<tr>");
      for (int i = 0; i < r.size(); i++) {
        h.append(i >= 1 && i <= 3 ? "<td class=\"n\">" : "<td>").append(ReportPages.esc(r.get(i))).append("</td>");
      }
      h.append("</tr>");
    }
    h.append("</table>\n");
    for (ModelVersion v : List.of(a, b)) {
      ModelCard c = v.card();
      h.append("<p>").append(ReportPages.esc(String.format(Locale.ROOT, "v%d: %s, trained for %s on %s%s.", v.version(),
          c.algorithm(), c.logicalDate(), dev.lakeline.core.storage.StorageLayout.trainingDatasetLabel(c.trainingDataset()),
          c.metrics() != null && c.metrics().containsKey("areaUnderROC") ? String.format(Locale.ROOT,
              " (AUC %.4f on its own test split)", c.metrics().get("areaUnderROC")) : ""))).append("</p>\n");
    }
    if (sa != null && sb != null) {
      XYSeriesCollection roc = new XYSeriesCollection();
      roc.addSeries(series(String.format(Locale.ROOT, "%s (AUC %.3f)", va, sa.areaUnderRoc()), sa.roc()));
      roc.addSeries(series(String.format(Locale.ROOT, "%s (AUC %.3f)", vb, sb.areaUnderRoc()), sb.roc()));
      roc.addSeries(series("chance", List.of(new double[] {0, 0}, new double[] {1, 1})));
      XYSeriesCollection pr = new XYSeriesCollection();
      pr.addSeries(series(va, sa.precisionRecall()));
      pr.addSeries(series(vb, sb.precisionRecall()));
      double base = (double) sa.totalPositives() / Math.max(1, sa.totalNegatives() + sa.totalPositives());
      pr.addSeries(series(String.format(Locale.ROOT, "base rate %.3f", base), List.of(new double[] {0, base}, new double[] {1, base})));
      h.append("<div class=\"charts\">")
          .append(ReportPages.img(lines(ChartFactory.createXYLineChart("ROC on the same rows", "false-positive rate",
              "true-positive rate", roc, PlotOrientation.VERTICAL, true, false, false), 2), 480, 400, "ROC curves"))
          .append(ReportPages.img(lines(ChartFactory.createXYLineChart("Precision and recall on the same rows", "recall",
              "precision", pr, PlotOrientation.VERTICAL, true, false, false), 2), 480, 400, "precision-recall curves"))
          .append("</div>\n");
    }
    return ReportPages.end(h, "Made by lakeline models compare --report: both versions scored on the same rows.");
  }

  /**
   * A card's hyperparameter search results as table rows, the header first: each searched hyperparameter, the mean AUC
   * over the held-out folds, and "chosen" by the one the model was fitted with.
   */
  public static List<List<String>> searchRows(String searchResults) {
    List<dev.lakeline.training.ParamSearch.Scored> scored = dev.lakeline.training.ParamSearch.results(searchResults);
    List<List<String>> out = new ArrayList<>();
    List<String> header = new ArrayList<>(scored.get(0).params().keySet());
    header.add("mean AUC");
    header.add("");
    out.add(header);
    for (dev.lakeline.training.ParamSearch.Scored s : scored) {
      List<String> row = new ArrayList<>(s.params().values());
      row.add(String.format(Locale.ROOT, "%.4f", s.meanAuc()));
      row.add(s.chosen() ? "chosen" : "");
      out.add(row);
    }
    return out;
  }

  /** How to read a permutation importance table, printed under it and on its page. */
  public static final String IMPORTANCE_READING = "A feature's drop is how much the AUC falls when its values are "
      + "shuffled among the rows. Near 0: the model does not lean on it here (a small negative drop is noise). Two "
      + "features that carry the same information share it: shuffling one leaves the other, so both can look small.";

  private static final int IMPORTANCE_BAR = 24;

  /**
   * The rows of a permutation importance table: feature, AUC drop, its standard deviation over the shuffles, the mean
   * AUC shuffled, and a bar of the drop (scaled to the largest; none for a drop of 0 or less).
   */
  public static List<List<String>> importanceRows(PermutationImportance.Result r) {
    double largest = r.features().stream().mapToDouble(PermutationImportance.Feature::drop).max().orElse(0);
    List<List<String>> out = new ArrayList<>();
    for (PermutationImportance.Feature f : r.features()) {
      int bar = largest <= 0 || f.drop() <= 0 ? 0 : (int) Math.max(1, Math.round(IMPORTANCE_BAR * f.drop() / largest));
      out.add(List.of(f.feature(), String.format(Locale.ROOT, "%.4f", f.drop()), String.format(Locale.ROOT, "%.4f", f.sd()),
          String.format(Locale.ROOT, "%.4f", r.auc() - f.drop()), "█".repeat(bar)));
    }
    return out;
  }

  /** The page of a version's permutation importance: the table, and a bar chart of the drops with their spread. */
  public static String importance(String model, ModelVersion v, String rows, PermutationImportance.Result r) {
    String title = String.format(Locale.ROOT, "Model %s v%d: which features it leans on", model, v.version());
    StringBuilder h = ReportPages.start(title, "");
    h.append("<h1>").append(ReportPages.esc(title)).append("</h1>\n<p>").append(ReportPages.esc(String.format(Locale.ROOT,
        "Permutation importance on %s, %,d positive. AUC %.4f as scored; each feature's values shuffled %d time%s among "
            + "the rows (seed %d), and the rows scored again.", rows, r.positives(), r.auc(), r.repeats(),
        r.repeats() == 1 ? "" : "s", r.seed()))).append("</p>\n");
    DefaultStatisticalCategoryDataset ds = new DefaultStatisticalCategoryDataset();
    for (PermutationImportance.Feature f : r.features()) {
      ds.add(f.drop(), f.sd(), "AUC drop", f.feature());
    }
    JFreeChart chart = ChartFactory.createBarChart("AUC drop when the feature is shuffled", null, "AUC drop (mean ± sd of "
        + r.repeats() + ")", ds, PlotOrientation.HORIZONTAL, false, false, false);
    StatisticalBarRenderer bars = new StatisticalBarRenderer();
    bars.setBarPainter(new StandardBarPainter());
    bars.setShadowVisible(false);
    bars.setSeriesPaint(0, NEGATIVE);
    bars.setErrorIndicatorPaint(Color.DARK_GRAY);
    chart.getCategoryPlot().setRenderer(bars);
    chart.getCategoryPlot().setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_LEFT);
    chart.getCategoryPlot().getRangeAxis().setLowerBound(Math.min(0, r.features().stream()
        .mapToDouble(f -> f.drop() - f.sd()).min().orElse(0)));
    h.append(ReportPages.img(ReportPages.finish(chart), 720, Math.max(220, 60 + 26 * r.features().size()),
        "AUC drop per feature"));
    h.append("\n<table><tr><th>feature</th><th>AUC drop</th><th>± sd</th><th>AUC shuffled</th></tr>");
    for (List<String> row : importanceRows(r)) {
      h.append("<tr><td>").append(ReportPages.esc(row.get(0))).append("</td>");
      for (int i = 1; i <= 3; i++) {
        h.append("<td class=\"n\">").append(row.get(i)).append("</td>");
      }
      h.append("</tr>");
    }
    h.append("</table>\n<p>").append(ReportPages.esc(IMPORTANCE_READING)).append("</p>\n");
    return ReportPages.end(h, "Made by lakeline models importance --report: the version scored on its own test split, "
        + "then once per feature with its values shuffled.");
  }

  private static JFreeChart roc(ScoreDistribution s) {
    XYSeriesCollection ds = new XYSeriesCollection();
    ds.addSeries(series(String.format(Locale.ROOT, "model (AUC %.3f)", s.areaUnderRoc()), s.roc()));
    ds.addSeries(series("chance", List.of(new double[] {0, 0}, new double[] {1, 1})));
    return lines(ChartFactory.createXYLineChart("ROC", "false-positive rate", "true-positive rate", ds,
        PlotOrientation.VERTICAL, true, false, false));
  }

  private static JFreeChart precisionRecall(ScoreDistribution s) {
    XYSeriesCollection ds = new XYSeriesCollection();
    ds.addSeries(series("model", s.precisionRecall()));
    double base = (double) s.totalPositives() / Math.max(1, s.totalNegatives() + s.totalPositives());
    ds.addSeries(series(String.format(Locale.ROOT, "base rate %.3f", base), List.of(new double[] {0, base}, new double[] {1, base})));
    return lines(ChartFactory.createXYLineChart("Precision and recall", "recall", "precision", ds,
        PlotOrientation.VERTICAL, true, false, false));
  }

  private static JFreeChart calibration(ScoreDistribution s) {
    XYSeriesCollection ds = new XYSeriesCollection();
    XYSeries model = series("deciles of the score", s.calibration(10));
    ds.addSeries(model);
    ds.addSeries(series("calibrated", List.of(new double[] {0, 0}, new double[] {1, 1})));
    JFreeChart chart = lines(ChartFactory.createXYLineChart("Calibration", "mean score", "share of positives", ds,
        PlotOrientation.VERTICAL, true, false, false));
    ((XYLineAndShapeRenderer) chart.getXYPlot().getRenderer()).setSeriesShapesVisible(0, true);
    return chart;
  }

  /** Per class, the share of its rows in each score bin: how far apart the model puts the two. */
  private static JFreeChart histogram(ScoreDistribution s) {
    XYSeries neg = new XYSeries("label 0", false);
    XYSeries pos = new XYSeries("label 1", false);
    long n = Math.max(1, s.totalNegatives());
    long p = Math.max(1, s.totalPositives());
    int per = Math.max(1, s.bins() / HISTOGRAM_BINS);
    for (int start = 0; start < s.bins(); start += per) {
      long a = 0;
      long b = 0;
      for (int i = start; i < Math.min(s.bins(), start + per); i++) {
        a += s.negatives()[i];
        b += s.positives()[i];
      }
      double centre = (start + per / 2.0) / s.bins();
      neg.add(centre, 100.0 * a / n);
      pos.add(centre, 100.0 * b / p);
    }
    XYSeriesCollection ds = new XYSeriesCollection();
    ds.addSeries(neg);
    ds.addSeries(pos);
    ds.setIntervalWidth((double) per / s.bins());
    JFreeChart chart = ChartFactory.createXYBarChart("Scores by class", "score", false, "% of the class's rows", ds,
        PlotOrientation.VERTICAL, true, false, false);
    ClusteredXYBarRenderer r = new ClusteredXYBarRenderer(0.05, false);
    r.setBarPainter(new StandardXYBarPainter());
    r.setShadowVisible(false);
    r.setDrawBarOutline(false);
    r.setSeriesPaint(0, NEGATIVE);
    r.setSeriesPaint(1, POSITIVE);
    chart.getXYPlot().setRenderer(r);
    chart.getXYPlot().getDomainAxis().setRange(0, 1);
    return ReportPages.finish(chart);
  }

  private static XYSeries series(String name, List<double[]> points) {
    XYSeries s = new XYSeries(name, false);
    points.forEach(pt -> s.add(pt[0], pt[1]));
    return s;
  }

  /** The model's line solid, the reference line dashed and grey; both axes over [0, 1]. */
  private static JFreeChart lines(JFreeChart chart) {
    return lines(chart, 1);
  }

  /**
   * The first {@code models} series solid (one per model version, the first thicker), the others dashed grey
   * references; both axes over [0, 1].
   */
  private static JFreeChart lines(JFreeChart chart, int models) {
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    Color[] colours = {POSITIVE, NEGATIVE};
    for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
      r.setSeriesPaint(i, i < models ? colours[i] : Color.GRAY);
      r.setSeriesStroke(i, i < models ? new BasicStroke(i == 0 ? 2f : 1.5f) : ReportPages.DASHED);
    }
    plot.setRenderer(r);
    plot.getDomainAxis().setRange(0, 1);
    plot.getRangeAxis().setRange(0, 1.02);
    return ReportPages.finish(chart);
  }

  /** What {@code models show} and the page say of a field that a card written by an earlier Lakeline lacks. */
  public static final String NOT_RECORDED = "not recorded (the card was written before Lakeline recorded it)";

  /** The columns of {@link #inputs}. */
  public static final List<String> INPUT_HEADER = List.of("feature", "Spark type", "kind", "declared transformation");

  /** What training does to the inputs beyond the declared transformations (Trainer), said under the inputs. */
  public static final String TRANSFORMATIONS_NOTE = "Numeric features are imputed with the training split's median "
      + "before any declared scaler; categorical features without a declared encoder are indexed and one-hot encoded. "
      + "Every transformation is fitted on the train split and saved inside the model.";

  /**
   * How the card's training rows were chosen and split, as (what, text) in display order: the dataset's filter, the
   * time range of its rows, the split and its seed; one row saying "not recorded" for a card written before these were.
   */
  public static Map<String, String> trainingData(ModelCard c) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    ModelCard.TrainingData d = c.trainingData();
    if (d == null) {
      out.put("training rows", NOT_RECORDED);
      return out;
    }
    out.put("rows where", d.filter() == null || d.filter().isBlank() ? "all rows of the base group" : d.filter());
    out.put("time range", d.earliest() == null ? "no rows"
        : day(d.earliest()) + " to " + day(d.latest()) + " (" + d.eventTime() + " of the dataset's rows)");
    out.put("split", (d.split() == null ? "not recorded" : d.split().describe()) + " · seed " + d.seed());
    return out;
  }

  /** The card's inputs, a row per feature ({@link #INPUT_HEADER}); empty when the card did not record them. */
  public static List<List<String>> inputs(ModelCard c) {
    if (c.inputs() == null) {
      return List.of();
    }
    return c.inputs().stream().map(i -> List.of(i.name(), i.type(), i.kind(),
        i.transformation() == null ? "none declared" : i.transformation())).toList();
  }

  /** An instant at UTC midnight as its day; any other time as it is. */
  private static String day(String time) {
    return time.endsWith("T00:00:00Z") ? time.substring(0, time.length() - "T00:00:00Z".length()) : time;
  }

  /** A metric as shown: whole numbers with thousands separators (row counts), else four decimals. */
  public static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String count(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }
}
