package dev.lakeline.transformations;

import java.util.Arrays;
import java.util.List;

/**
 * Per-entity event features. Each needs the entity key columns (any type) and a {@code time} column (timestamp, or
 * date = midnight UTC). Rows with a null key or null time get null outputs and are nobody's previous event.
 */
public final class EventFeatures {
  private EventFeatures() {}

  /**
   * Step {@code time_since_previous}: {@code output} = seconds (double, microsecond precision) since the entity's
   * latest event at an earlier time; null for its first event. Rows at the same time share the same previous event
   * (never 0 because of a tie).
   */
  public static Step timeSincePrevious(String entity, String time, String output) {
    return new TimeSincePrevious(new EntityTime(List.of(entity), time), output);
  }

  /**
   * Step {@code lag}: {@code <prefix>_lag_<n>} = {@code value} of the entity's n-th previous event, of the value's
   * type; null when there are fewer than n earlier events (a null value is passed on as it is). Events are ordered
   * by time, and rows at the same time by the other columns in schema order (ascending, nulls first), so the result
   * does not depend on partitioning.
   */
  public static Step lag(String entity, String time, String value, Integer... offsets) {
    return new Lag(new EntityTime(List.of(entity), time), value, Arrays.asList(offsets), value);
  }

  /**
   * Step {@code event_count}: {@code output} = the entity's number of events up to and including this row's time
   * (rows at the same time count each other) when {@code cumulative}, else the entity's number of events in the
   * whole input. Long.
   */
  public static Step eventCount(String entity, String time, boolean cumulative, String output) {
    return new EventCount(new EntityTime(List.of(entity), time), cumulative, output);
  }
}
