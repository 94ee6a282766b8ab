package dev.lakeline.validation;

/** What the gate decided for a batch. */
public enum Decision {
  /** The whole batch may be committed. */
  INGESTED,
  /** Nothing may be committed. */
  REJECTED,
  /** The accepted rows may be committed; the others go to quarantine. */
  QUARANTINED
}
