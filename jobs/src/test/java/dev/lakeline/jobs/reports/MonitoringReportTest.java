package dev.lakeline.jobs.reports;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.jobs.pipelines.ModelMonitoring;
import dev.lakeline.training.DriftThresholds;
import dev.lakeline.training.FeatureDrift;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The monitoring page's drift table, with and without the version's kept importance beside it. */
class MonitoringReportTest {
  private static ModelMonitoring.Result result() {
    LocalDate day = LocalDate.parse("2024-06-30");
    List<String> bins = List.of("(-inf, 1]", "(1, inf)", "null");
    ModelMonitoring.DriftRow spend = new ModelMonitoring.DriftRow(
        new FeatureDrift("spend_count_30d", "numeric", 700, 0.366, 0.2, 0.06, 0, FeatureDrift.ALERT), bins, List.of(50L, 44L, 6L), List.of(30L, 70L, 0L));
    ModelMonitoring.DriftRow rate = new ModelMonitoring.DriftRow(
        new FeatureDrift("int_rate", "numeric", 700, 0.02, 0.01, 0, 0, FeatureDrift.OK), bins, List.of(50L, 50L, 0L), List.of(52L, 48L, 0L));
    ModelMonitoring.DriftRow purpose = new ModelMonitoring.DriftRow(
        new FeatureDrift("purpose", "categorical", 700, 0.01, 0.01, 0, 0, FeatureDrift.OK), bins, List.of(50L, 50L, 0L), List.of(50L, 50L, 0L));
    return new ModelMonitoring.Result("loan_default", day, day.minusDays(30),
        List.of(new ModelMonitoring.RunPerformance("loan_default", 3, day, 700, 0, 0, null, 0.77, null, null, null, 0.2, 0)),
        List.of(new ModelMonitoring.RunDrift(day, 3, List.of(spend, rate, purpose))), "perf", "drift", new DriftThresholds(0.1, 0.25, 200),
        day.minusDays(90), "loans v1");
  }

  @Test
  void eachFeatureHasTheLatestVersionsAucDropBesideItsDriftWhenTheImportanceIsKept() {
    String page = MonitoringReport.html(result(), Map.of("int_rate", 0.145, "spend_count_30d", -0.0002));
    assertTrue(page.contains("<th>AUC drop (v3)</th>"), page);
    assertTrue(page.contains("<tr><th>spend_count_30d</th><td class=\"n\">0.000</td><td class=\"n alert\""), page);
    assertTrue(page.contains("<tr><th>int_rate</th><td class=\"n\">0.145</td><td class=\"n ok\""), page);
    assertTrue(page.contains("<tr><th>purpose</th><td class=\"none\">·</td><td class=\"n ok\""), "not measured: " + page);
  }

  @Test
  void withoutOneTheTableHasTheRunsAlone() {
    String page = MonitoringReport.html(result());
    assertFalse(page.contains("AUC drop"), page);
    assertTrue(page.contains("<tr><th>spend_count_30d</th><td class=\"n alert\""), page);
  }
}
