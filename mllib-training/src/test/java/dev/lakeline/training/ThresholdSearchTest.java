package dev.lakeline.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import org.junit.jupiter.api.Test;

class ThresholdSearchTest {
  /** Rows and positives by bin: positives in bins 9000, 8000 and 6000, negatives in 7000, 3000 and 2000. */
  private static long[][] sixRows() {
    long[] rows = new long[ThresholdSearch.GRID + 1];
    long[] positives = new long[ThresholdSearch.GRID + 1];
    for (int bin : new int[] {9000, 8000, 6000}) {
      rows[bin + 1]++;
      positives[bin + 1]++;
    }
    for (int bin : new int[] {7000, 3000, 2000}) {
      rows[bin + 1]++;
    }
    return new long[][] {rows, positives};
  }

  @Test
  void theBestF1IsTakenInTheMiddleOfTheThresholdsThatGiveIt() {
    long[][] b = sixRows();
    // predicting the four rows from bin 6000 up gives F1 6/7, better than 2 rows (0.8) or 5 rows (0.75); every threshold
    // from 0.3001 to 0.6000 predicts those four
    ThresholdSearch.Chosen c = ThresholdSearch.choose(b[0], b[1], ThresholdChoice.bestF1());
    assertEquals(0.45, c.threshold(), 1e-12);
    assertEquals(0.75, c.precision(), 1e-12);
    assertEquals(1.0, c.recall(), 1e-12);
    assertEquals(6.0 / 7, c.f1(), 1e-12);
    assertEquals(6, c.rows());
    // the bins kept for the report: at the chosen threshold, the same four rows predicted positive
    assertEquals(ThresholdSearch.GRID, c.scores().bins());
    assertEquals(1, c.scores().positives()[9000]);
    assertEquals(1, c.scores().negatives()[7000]);
    assertEquals(java.util.List.of(2L, 1L, 0L, 3L), java.util.Arrays.stream(c.scores().confusion(c.threshold())).boxed().toList());
    assertEquals(c.f1(), c.scores().byThreshold().stream().mapToDouble(p -> p[3]).max().orElseThrow(), 1e-12);
    // a score of 0 (bin -1 of the search) is kept in the distribution's bin 0
    b[0][0] = 1;
    assertEquals(1, ThresholdSearch.choose(b[0], b[1], ThresholdChoice.bestF1()).scores().negatives()[0]);
  }

  @Test
  void aTargetRecallTakesTheHighestThresholdsThatReachIt() {
    long[][] b = sixRows();
    // two of the three positives: bins 9000 and 8000, thresholds 0.7001 to 0.8000
    ThresholdSearch.Chosen half = ThresholdSearch.choose(b[0], b[1], ThresholdChoice.targetRecall(0.5));
    assertEquals(0.75, half.threshold(), 1e-12);
    assertEquals(1.0, half.precision(), 1e-12);
    assertEquals(2.0 / 3, half.recall(), 1e-12);
    assertEquals(0.75, ThresholdSearch.choose(b[0], b[1], ThresholdChoice.targetRecall(2.0 / 3)).threshold(), 1e-12,
        "exactly two thirds is reached by two of three");
    assertEquals(0.45, ThresholdSearch.choose(b[0], b[1], ThresholdChoice.targetRecall(0.67)).threshold(), 1e-12);
  }

  @Test
  void theLowestCostWeighsAMissedPositiveAgainstFalseAlarms() {
    long[][] b = sixRows();
    // predicting the top 1, 2, 3, 4, 5 or 6 rows: false alarms 0, 0, 1, 1, 2, 3 and missed positives 2, 1, 1, 0, 0, 0
    // at cost 1: 2, 1, 2, 1, 2, 3; the first lowest is two rows, thresholds 0.7001 to 0.8000
    ThresholdSearch.Chosen even = ThresholdSearch.choose(b[0], b[1], ThresholdChoice.minCost(1));
    assertEquals(0.75, even.threshold(), 1e-12);
    assertEquals(2.0 / 3, even.recall(), 1e-12);
    // at cost 3: 6, 3, 4, 1, 2, 3; four rows, thresholds 0.3001 to 0.6000
    assertEquals(0.45, ThresholdSearch.choose(b[0], b[1], ThresholdChoice.minCost(3)).threshold(), 1e-12);
    // at cost 0.4: 0.8, 0.4, 1.4, 1, 2, 3 and 1.2 for none predicted; two rows again
    assertEquals(0.75, ThresholdSearch.choose(b[0], b[1], ThresholdChoice.minCost(0.4)).threshold(), 1e-12);
    // a positive below two negatives: at cost 0.5 flagging none (0.5) is cheaper than any threshold (1.5, 2, 2.5 …)
    long[] rows = new long[ThresholdSearch.GRID + 1];
    long[] positives = new long[ThresholdSearch.GRID + 1];
    rows[9001] = 1;
    rows[8001] = 1;
    rows[3001] = 1;
    positives[3001] = 1;
    var none = assertThrows(LakelineException.DataRejected.class,
        () -> ThresholdSearch.choose(rows, positives, ThresholdChoice.minCost(0.5)));
    assertEquals("On the validation split's 3 rows, predicting no row positive costs 0.50 (its 1 positives missed at 0.50 "
        + "each), and no threshold costs less, so none was chosen (min-cost 0.5). No model was kept. A missed positive "
        + "costs more than that in most uses: raise training.false-negative-cost, or check the model's features.",
        none.getMessage());
    var noneOutOfFold = assertThrows(LakelineException.DataRejected.class,
        () -> ThresholdSearch.choose(rows, positives, ThresholdChoice.minCost(0.5).withFolds(5)));
    assertTrue(noneOutOfFold.getMessage().startsWith("On the out-of-fold scores of the train split's 3 rows, predicting no "
        + "row positive costs 0.50"), noneOutOfFold.getMessage());
    assertEquals(0.15, ThresholdSearch.choose(rows, positives, ThresholdChoice.minCost(5)).threshold(), 1e-12,
        "at cost 5 flagging all three (2) beats flagging none (5)");
    assertEquals("min-cost 5.0", ThresholdChoice.minCost(5).id());
    assertEquals(ThresholdChoice.minCost(5), ThresholdChoice.of(" Min-Cost ", 0.7, 5));
    assertThrows(LakelineException.ConfigError.class, () -> ThresholdChoice.minCost(0));
    assertThrows(LakelineException.ConfigError.class, () -> ThresholdChoice.minCost(Double.POSITIVE_INFINITY));
    assertThrows(LakelineException.ConfigError.class, () -> new ThresholdChoice(ThresholdChoice.Kind.BEST_F1, 0, 2));
  }

  @Test
  void nothingToChooseFromIsARejection() {
    long[][] b = sixRows();
    long[] none = new long[ThresholdSearch.GRID + 1];
    var noPositive = assertThrows(LakelineException.DataRejected.class,
        () -> ThresholdSearch.choose(b[0], none, ThresholdChoice.bestF1()));
    assertTrue(noPositive.getMessage().startsWith("The validation split's 6 labelled rows hold no positive"),
        noPositive.getMessage());
    // the only positive scores 0: no threshold of the grid predicts it
    long[] rows = new long[ThresholdSearch.GRID + 1];
    long[] positives = new long[ThresholdSearch.GRID + 1];
    rows[0] = 1;
    positives[0] = 1;
    rows[5001] = 1;
    var unreachable = assertThrows(LakelineException.DataRejected.class,
        () -> ThresholdSearch.choose(rows, positives, ThresholdChoice.targetRecall(0.5)));
    assertTrue(unreachable.getMessage().startsWith("No threshold from 0.0001 to 0.9999 predicts the target recall 0.5 of the "
        + "validation split's 1 positive rows positive"), unreachable.getMessage());
    var unreachableOutOfFold = assertThrows(LakelineException.DataRejected.class,
        () -> ThresholdSearch.choose(rows, positives, ThresholdChoice.targetRecall(0.5).withFolds(3)));
    assertTrue(unreachableOutOfFold.getMessage().startsWith("No threshold from 0.0001 to 0.9999 predicts the target recall "
        + "0.5 of the train split's 1 positive rows positive out of fold (target-recall 0.5)"), unreachableOutOfFold.getMessage());
  }
}
