package dev.lakeline.featurestore;

import dev.lakeline.validation.Decision;
import dev.lakeline.validation.ValidationResult;

/**
 * What an insert did.
 *
 * @param group the group's label ("loans v1")
 * @param deltaVersion the Delta version that holds the batch's accepted rows (-1 when none were committed)
 * @param rows rows committed to the group
 * @param skipped true when the same batch was already committed with the same content (nothing written)
 * @param validation the suite's result on the batch
 * @param decision INGESTED or QUARANTINED (a rejected batch throws instead)
 * @param reportId the id of the validation report written for the batch
 * @param quarantinedRows rows held back in the group's quarantine table
 */
public record InsertResult(
    String group,
    long deltaVersion,
    long rows,
    boolean skipped,
    ValidationResult validation,
    Decision decision,
    String reportId,
    long quarantinedRows) {}
