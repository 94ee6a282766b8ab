package dev.lakeline.jobs.loans;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How a model card's training dataset is found again, wherever the lakehouse is now. */
class LoanMonitoringTest {
  @Test
  void aCardsTrainingDatasetIsFoundInALakehouseCopiedOrReachedOtherwise() {
    String card = "/tmp/lh/training_datasets/loan_default/v1/td1";
    assertTrue(LoanMonitoring.sameTrainingDataset(card, card));
    assertTrue(LoanMonitoring.sameTrainingDataset(card, "/tmp/lh-copy/training_datasets/loan_default/v1/td1"), "a copied lakehouse");
    assertTrue(LoanMonitoring.sameTrainingDataset("s3://bucket/lake/training_datasets/loan_default/v1/td1/",
        "s3a://bucket/lake/training_datasets/loan_default/v1/td1"), "another scheme, a trailing slash");
    assertFalse(LoanMonitoring.sameTrainingDataset(card, "/tmp/lh/training_datasets/loan_default/v1/td11"));
    assertFalse(LoanMonitoring.sameTrainingDataset(card, "/tmp/lh/training_datasets/loan_default/v2/td1"));
    assertFalse(LoanMonitoring.sameTrainingDataset(null, card));
    assertFalse(LoanMonitoring.sameTrainingDataset("elsewhere", card));
  }
}
