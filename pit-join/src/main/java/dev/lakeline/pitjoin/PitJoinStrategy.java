package dev.lakeline.pitjoin;

/** How a {@link PitJoinSpec} is computed. Both give identical results. */
public enum PitJoinStrategy {
  /**
   * The reference formulation users know from Hopsworks: join each distinct spine (key, time) to every source row
   * of its key at or before the time, keep {@code ROW_NUMBER() = 1}, join back. Its intermediate grows with the
   * product of spine and source rows per key.
   */
  RANK_WINDOW,
  /**
   * The default: one shuffle of the spine rows and the narrow source rows by key, a sort by time within
   * partitions and one forward pass that carries the latest whole source row; hot keys are split by time.
   */
  SORT_MERGE
}
