package dev.lakeline.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The curves of a score distribution, worked out by hand on four bins. */
class ScoreDistributionTest {
  // bins [0, .25), [.25, .5), [.5, .75), [.75, 1]: negatives low, positives high, one of each in the second bin
  private static final ScoreDistribution S = new ScoreDistribution(4, new long[] {3, 1, 0, 0}, new long[] {0, 1, 1, 2});

  private static void assertPoints(List<double[]> expected, List<double[]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), 1e-12, "point " + i);
    }
  }

  @Test
  void rocAndItsArea() {
    assertPoints(List.of(new double[] {0, 0}, new double[] {0, 0.5}, new double[] {0, 0.75}, new double[] {0.25, 1}, new double[] {1, 1}), S.roc());
    assertEquals(0.25 * 1.75 / 2 + 0.75, S.areaUnderRoc(), 1e-12);
  }

  @Test
  void precisionRecall() {
    assertPoints(List.of(new double[] {0.5, 1}, new double[] {0.75, 1}, new double[] {1, 0.8}, new double[] {1, 0.5}), S.precisionRecall());
  }

  @Test
  void confusionAtAThreshold() {
    assertArrayEquals(new long[] {4, 0, 1, 3}, S.confusion(0.5), "bins from 0.5 up predicted positive");
    assertArrayEquals(new long[] {0, 4, 0, 4}, S.confusion(0.0));
  }

  @Test
  void precisionRecallAndF1ByThreshold() {
    // 0.25: bins 1-3 predicted (5 rows, 4 positive of 4); 0.5: bins 2-3 (3, 3); 0.75: bin 3 (2, 2)
    // each point: threshold, precision, recall, F1, rows predicted positive, true positives
    assertPoints(List.of(new double[] {0.25, 0.8, 1, 2.0 * 4 / 9, 5, 4}, new double[] {0.5, 1, 0.75, 2.0 * 3 / 7, 3, 3},
        new double[] {0.75, 1, 0.5, 2.0 * 2 / 6, 2, 2}), S.byThreshold());
    // thresholds that predict no row are left out: here only the top bin's 0.75 is
    ScoreDistribution low = new ScoreDistribution(4, new long[] {2, 0, 1, 0}, new long[] {1, 0, 0, 0});
    assertPoints(List.of(new double[] {0.25, 0, 0, 0, 1, 0}, new double[] {0.5, 0, 0, 0, 1, 0}), low.byThreshold());
  }

  @Test
  void theCostPerRowByThresholdCountsFalseAlarmsOnceAndMissedPositivesAtTheirCost() {
    // 10 bins; 79 negatives and 60 positives
    ScoreDistribution s = new ScoreDistribution(10, new long[] {40, 20, 10, 5, 2, 1, 1, 0, 0, 0},
        new long[] {1, 1, 3, 4, 5, 6, 7, 9, 10, 14});
    List<double[]> cost = s.costByThreshold(5);
    assertEquals(9, cost.size(), "thresholds 0.1 … 0.9, each predicting a row positive");
    // at 0.3 bins 3 … 9 are predicted positive: 9 false alarms, 55 of 60 positives caught, 5 missed
    assertArrayEquals(new double[] {0.3, (9 + 5 * 5) / 139.0}, cost.get(2), 1e-12);
    // at 0.9 only bin 9: no false alarm, 46 positives missed
    assertArrayEquals(new double[] {0.9, 5 * 46 / 139.0}, cost.get(8), 1e-12);
    // at 0.1 bins 1 … 9: 39 false alarms, 1 missed; at a missed positive costing 1 the same counts weigh alike
    assertArrayEquals(new double[] {0.1, (39 + 5 * 1) / 139.0}, cost.get(0), 1e-12);
    assertArrayEquals(new double[] {0.1, (39 + 1) / 139.0}, s.costByThreshold(1).get(0), 1e-12);
  }

  @Test
  void calibrationInGroupsOfAboutEqualSize() {
    assertPoints(List.of(new double[] {(3 * 0.125 + 2 * 0.375) / 5, 0.2}, new double[] {(0.625 + 2 * 0.875) / 3, 1.0}), S.calibration(2));
  }

  @Test
  void binsMustMatch() {
    assertThrows(IllegalArgumentException.class, () -> new ScoreDistribution(3, new long[] {1, 2}, new long[] {1, 2, 3}));
  }
}
