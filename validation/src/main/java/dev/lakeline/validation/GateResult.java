package dev.lakeline.validation;

import dev.lakeline.core.delta.ContentFingerprint;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the gate decided for one batch. {@code acceptedCount + quarantinedCount} always equals the batch's row
 * count (the gate checks it): a {@link Decision#REJECTED} batch is quarantined whole, so nothing is lost when
 * the caller keeps it.
 *
 * @param decision INGESTED, REJECTED or QUARANTINED
 * @param policy the policy that decided
 * @param validation the suite's result on the batch
 * @param accepted the rows that may be committed, with the batch's columns (empty when rejected)
 * @param quarantined the other rows, with the batch's columns plus {@value #FAILED_EXPECTATIONS}
 *     (array&lt;string&gt;: the labels of the error-severity expectations the row breaks; for a rejected batch,
 *     also those of the failed table/aggregate expectations). Empty when nothing is quarantined.
 * @param acceptedCount rows in {@code accepted}
 * @param quarantinedCount rows in {@code quarantined}
 * @param message one readable paragraph: the decision, why, and the failures
 * @param rowLevel the batch with {@link Validator#FAILED_EXPECTATIONS_COLUMN}, cached by the gate when it split
 *     the batch (QUARANTINE with failing rows), else null. {@link #close()} releases it.
 * @param acceptedFingerprint the content fingerprint of {@code accepted}, measured in the validation scan when
 *     every row is accepted (pass it to {@code DeltaCommits.commit} to save a pass), else null
 */
public record GateResult(
    Decision decision,
    IngestionPolicy policy,
    ValidationResult validation,
    Dataset<Row> accepted,
    Dataset<Row> quarantined,
    long acceptedCount,
    long quarantinedCount,
    String message,
    Dataset<Row> rowLevel,
    ContentFingerprint acceptedFingerprint)
    implements AutoCloseable {

  /** The column of {@link #quarantined()} with the expectations each row failed. */
  public static final String FAILED_EXPECTATIONS = "failed_expectations";

  /** Whether any row may be committed. */
  public boolean commits() {
    return decision != Decision.REJECTED && acceptedCount > 0;
  }

  /** Releases the rows the gate cached; call it after the accepted and quarantined rows were written. */
  @Override
  public void close() {
    if (rowLevel != null) {
      rowLevel.unpersist();
    }
  }
}
