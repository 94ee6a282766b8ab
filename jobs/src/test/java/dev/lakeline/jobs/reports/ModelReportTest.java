package dev.lakeline.jobs.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakeline.training.ScoreDistribution;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cost curve of a min-cost version's page, counted by hand. */
class ModelReportTest {
  @Test
  void theCostPerRowByThresholdCountsFalseAlarmsOnceAndMissedPositivesAtTheirCost() {
    // 10 bins; 79 negatives and 60 positives
    ScoreDistribution s = new ScoreDistribution(10, new long[] {40, 20, 10, 5, 2, 1, 1, 0, 0, 0},
        new long[] {1, 1, 3, 4, 5, 6, 7, 9, 10, 14});
    List<double[]> cost = ModelReport.cost(s, 5);
    assertEquals(9, cost.size(), "thresholds 0.1 … 0.9, each predicting a row positive");
    // at 0.3 bins 3 … 9 are predicted positive: 9 false alarms, 55 of 60 positives caught, 5 missed
    assertArrayEquals(new double[] {0.3, (9 + 5 * 5) / 139.0}, cost.get(2), 1e-12);
    // at 0.9 only bin 9: no false alarm, 46 positives missed
    assertArrayEquals(new double[] {0.9, 5 * 46 / 139.0}, cost.get(8), 1e-12);
    // at 0.1 bins 1 … 9: 39 false alarms, 1 missed; at a missed positive costing 1 the same counts weigh alike
    assertArrayEquals(new double[] {0.1, (39 + 5 * 1) / 139.0}, cost.get(0), 1e-12);
    assertArrayEquals(new double[] {0.1, (39 + 1) / 139.0}, ModelReport.cost(s, 1).get(0), 1e-12);
  }
}
