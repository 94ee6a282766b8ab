package dev.lakeline.jobs.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakeline.training.DriftThresholds;
import dev.lakeline.training.FeatureDrift;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summary's drift line: the flagged features by PSI, each with its AUC drop when the version's importance is kept. */
class DriftLineTest {
  private static final DriftThresholds THRESHOLDS = new DriftThresholds(0.1, 0.25, 200);
  private static final List<FeatureDrift> DRIFT = List.of(
      new FeatureDrift("int_rate", "numeric", 700, 0.02, 0.01, 0, 0, FeatureDrift.OK),
      new FeatureDrift("spend_count_30d", "numeric", 700, 0.366, 0.2, 0, 0, FeatureDrift.ALERT),
      new FeatureDrift("revol_util", "numeric", 700, 0.12, 0.05, 0, 0, FeatureDrift.WARN),
      new FeatureDrift("score", "numeric", 700, 0.039, 0.02, 0, 0, FeatureDrift.OK));

  @Test
  void flaggedFeaturesCarryTheirAucDropWhenTheImportanceIsKept() {
    assertEquals("drift: 2 of 3 features at warn or alert; spend_count_30d PSI 0.366 (alert, AUC drop 0.000); "
            + "revol_util PSI 0.120 (warn, AUC drop 0.016); scores PSI 0.039 (ok)",
        ModelMonitoring.driftLine(DRIFT, THRESHOLDS, Map.of("int_rate", 0.145, "spend_count_30d", -0.0003, "revol_util", 0.0155)));
  }

  @Test
  void withoutAKeptImportanceTheLineIsAsBefore() {
    assertEquals("drift: 2 of 3 features at warn or alert; spend_count_30d PSI 0.366 (alert); revol_util PSI 0.120 (warn); "
        + "scores PSI 0.039 (ok)", ModelMonitoring.driftLine(DRIFT, THRESHOLDS));
  }
}
