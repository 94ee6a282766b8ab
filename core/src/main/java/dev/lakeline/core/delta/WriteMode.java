package dev.lakeline.core.delta;

/** How a batch lands in its Delta table. */
public enum WriteMode {
  /** Add the batch's rows. A batch that was already appended with the same content is skipped. */
  APPEND,
  /** Replace the rows that match the request's predicate (the batch's slice, e.g. one date) with the batch. */
  REPLACE_WHERE,
  /** Replace the whole table with the batch. */
  OVERWRITE
}
