package dev.lakeline.core.delta;

/** How a batch lands in its Delta table. */
public enum WriteMode {
  /** Add the batch's rows. A batch that was already appended with the same content is skipped. */
  APPEND,
  /** Replace the rows that match the request's predicate (the batch's slice, e.g. one date) with the batch. */
  REPLACE_WHERE,
  /** Replace the whole table with the batch. */
  OVERWRITE,
  /**
   * Upsert: rows whose merge keys match a row of the table replace it, the others are inserted. The batch must
   * hold each key once.
   */
  MERGE
}
