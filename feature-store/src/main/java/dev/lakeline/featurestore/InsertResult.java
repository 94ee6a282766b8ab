package dev.lakeline.featurestore;

import dev.lakeline.validation.ValidationResult;

/**
 * What an insert committed.
 *
 * @param group the group's label ("loans v1")
 * @param deltaVersion the Delta version that holds the batch
 * @param rows rows in the batch
 * @param skipped true when the same batch was already committed with the same content (nothing written)
 * @param validation the suite's result on the batch
 */
public record InsertResult(String group, long deltaVersion, long rows, boolean skipped, ValidationResult validation) {}
