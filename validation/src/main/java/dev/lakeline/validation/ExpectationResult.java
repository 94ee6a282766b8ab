package dev.lakeline.validation;

/**
 * The outcome of one expectation on one batch.
 *
 * @param elementCount rows the expectation looked at (non-null rows for column-map expectations), -1 if unknown
 * @param unexpectedCount rows that broke it, -1 if not a row count
 * @param observed what was measured, or why it failed to run
 */
public record ExpectationResult(
    Expectation expectation, boolean success, long elementCount, long unexpectedCount, String observed) {}
