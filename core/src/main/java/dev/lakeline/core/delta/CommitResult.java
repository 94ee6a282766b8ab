package dev.lakeline.core.delta;

/**
 * What a commit did.
 *
 * @param path the table
 * @param version the Delta version that holds the batch (the earlier one when the commit was skipped)
 * @param rows the batch's row count
 * @param skipped true when the same batch with the same content was already committed, so nothing was written
 */
public record CommitResult(String path, long version, long rows, boolean skipped) {}
