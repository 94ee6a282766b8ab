package dev.lakeline.jobs.cli;

import dev.lakeline.core.Errors;
import dev.lakeline.core.config.LakelineConfig;
import dev.lakeline.core.config.LakelineKeys;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.pipelines.ModelMonitoring;
import dev.lakeline.jobs.reports.MonitoringReport;
import dev.lakeline.jobs.reports.ReportPages;
import dev.lakeline.training.BatchScorer;
import dev.lakeline.training.FeatureDrift;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    description = {
      "Monitoring of the batch predictions: joins the labels known at --date (rows of the view's base group dated more "
          + "than training.label-delay-days before it; the demo: loans) to the predictions of the runs up to that date, leaves "
          + "out the rows each version was trained on, measures each run's AUC, accuracy, precision and recall (the monitoring_performance "
          + "table), and shows each "
          + "run's drift against the model's training data (recorded by infer in the monitoring_drift table).",
      "Exit code 3 with --fail-on-alert when a run's features or scores drifted past monitoring.psi-alert."
    })
final class MonitorCommand extends JobCommand {
  @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", converter = DateOption.class,
      description = "Logical date of the run (Airflow: {{ ds }}): the labels known then, the runs up to it.")
  LocalDate date;

  @Option(names = "--lookback-days", paramLabel = "N", description = "Days of runs before --date to look at (default from monitoring.lookback-days).")
  Integer lookbackDays;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write an HTML page: drift per feature and run, the scores' distribution against training, realised AUC per run.")
  Path report;

  @Option(names = "--fail-on-alert", description = "Fail (exit code 3, data rejected) when any run in the window has a feature or its scores at alert, after writing everything.")
  boolean failOnAlert;

  @Mixin ModelFileOption model;

  @Override
  Map<String, String> overrides() {
    Map<String, String> m = new LinkedHashMap<>();
    if (lookbackDays != null) {
      m.put("monitoring.lookback-days", String.valueOf(lookbackDays));
    }
    model.addTo(m);
    return m;
  }

  @Override
  String logicalDate() {
    return date == null ? null : date.toString();
  }

  @Override
  String title() {
    return "monitor";
  }

  @Override
  void checkArguments() {
    if (report != null) {
      ReportPages.checkWritable(report); // before Spark starts: not after the performance table is written
    }
  }

  @Override
  boolean readsLakehouse() {
    return true;
  }

  @Override
  void checkConfig(dev.lakeline.core.config.LakelineConfig config) {
    dev.lakeline.jobs.pipelines.ModelMonitoring.checkConfig(config);
  }

  @Override
  List<String> plan(LakelineConfig config) {
    int days = config.get(LakelineKeys.MONITORING_LOOKBACK_DAYS);
    return List.of(
        "logical date: " + date,
        "runs after " + date.minusDays(days) + " up to " + date + " (" + days + " days) of model " + config.get(LakelineKeys.MODEL_NAME)
            + ", labels from the base group of feature view "
            + dev.lakeline.jobs.pipelines.ModelFile.load(config.get(LakelineKeys.MODEL_FILE)).viewLabel() + " as it is now (model file "
            + config.get(LakelineKeys.MODEL_FILE) + ")",
        "drift thresholds: PSI " + config.get(LakelineKeys.MONITORING_PSI_WARN) + " warn, " + config.get(LakelineKeys.MONITORING_PSI_ALERT)
            + " alert, judged from " + config.get(LakelineKeys.MONITORING_MIN_ROWS) + " rows" + (failOnAlert ? " (an alert fails the job)" : ""),
        report == null ? "no report" : "report: " + report);
  }

  @Override
  void run(JobContext ctx) {
    ModelMonitoring.Result r = ctx.summary().stage("monitoring", () -> ModelMonitoring.run(ctx, date));
    PrintStream out = ctx.summary().out();
    print(out, r);
    ctx.summary().fact("runs", String.format(Locale.ROOT, "%d with predictions after %s up to %s", r.performance().size(), r.from(), r.date()));
    if (report != null) {
      Path written = ReportPages.write(report, MonitoringReport.html(r, latestDrops(ctx, r)));
      ctx.summary().fact("report", written.toString());
    }
    List<String> alerts = r.alerts();
    ctx.summary().fact("drift alerts", alerts.isEmpty() ? "none" : String.join("; ", alerts));
    if (failOnAlert && !alerts.isEmpty()) {
      throw Errors.rejected(
          "Drift at alert (PSI ≥ monitoring.psi-alert) in %d %s: %s. Everything was written; look at the report "
              + "(--report) and retrain or fix the feature pipeline.", alerts.size(), alerts.size() == 1 ? "place" : "places",
          String.join("; ", alerts));
    }
  }

  /** The kept importance of the latest run's version, feature → AUC drop; empty without one (or without the version). */
  private static Map<String, Double> latestDrops(JobContext ctx, ModelMonitoring.Result r) {
    if (r.drift().isEmpty()) {
      return Map.of();
    }
    try {
      return ModelMonitoring.drops(ctx, ctx.registry().get(r.modelName(), r.drift().get(r.drift().size() - 1).modelVersion()));
    } catch (dev.lakeline.core.LakelineException.NotFound e) {
      return Map.of(); // deleted since it scored
    }
  }

  static void print(PrintStream out, ModelMonitoring.Result r) {
    if (r.performance().isEmpty()) {
      out.printf("%nNo predictions of %s in runs after %s up to %s.%n", r.modelName(), r.from(), r.date());
      return;
    }
    Map<String, ModelMonitoring.RunDrift> drift = new LinkedHashMap<>();
    r.drift().forEach(d -> drift.put(d.runDate() + "/" + d.modelVersion(), d));
    TextTable t = new TextTable(
        "run", "version", "rows", "labelled", "in training", "AUC", "test AUC", "accuracy", "scores PSI", "features at warn / alert");
    for (ModelMonitoring.RunPerformance p : r.performance()) {
      ModelMonitoring.RunDrift d = drift.get(p.runDate() + "/" + p.modelVersion());
      String scores = "-";
      String features = "-";
      if (d != null) {
        scores = d.drift().stream().filter(f -> f.feature().equals(BatchScorer.SCORE)).findFirst()
            .map(f -> String.format(Locale.ROOT, "%.3f%s", f.psi(), f.status().equals(FeatureDrift.OK) ? "" : " " + f.status())).orElse("-");
        long warn = d.drift().stream().filter(f -> !f.feature().equals(BatchScorer.SCORE) && f.status().equals(FeatureDrift.WARN)).count();
        long alert = d.drift().stream().filter(f -> !f.feature().equals(BatchScorer.SCORE) && f.status().equals(FeatureDrift.ALERT)).count();
        boolean judged = d.drift().stream().anyMatch(f -> !f.status().equals(FeatureDrift.FEW_ROWS));
        features = judged ? warn + " / " + alert : "not judged (few rows)";
      }
      t.row(p.runDate(), "v" + p.modelVersion(), String.format(Locale.ROOT, "%,d", p.rows()),
          String.format(Locale.ROOT, "%,d", p.labelled()), String.format(Locale.ROOT, "%,d", p.inTraining()), fixed(p.auc()),
          fixed(p.testAuc()), fixed(p.accuracy()), scores, features);
    }
    out.println();
    t.print(out);
    out.println("AUC, accuracy: over the labelled rows (outcomes known at " + r.date() + ": " + r.labelRows()
        + "), not counting those in the version's own training dataset (in training); "
        + "'-': no labels yet, or one class only.");
  }

  private static String fixed(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }
}
