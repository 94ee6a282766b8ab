package dev.lakeline.validation;

/** What a failed expectation does: {@code ERROR} fails the batch under a strict policy, {@code WARNING} is only reported. */
public enum Severity {
  ERROR,
  WARNING
}
