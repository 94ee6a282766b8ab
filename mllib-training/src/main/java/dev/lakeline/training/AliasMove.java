package dev.lakeline.training;

/**
 * One entry of a model's alias log: an alias set to a version, moved from one version to another, or removed.
 *
 * @param sequence the entry's place in the model's log (1, 2, …); a later entry wins
 * @param alias the alias ({@code champion}, {@code challenger}, …)
 * @param version the version it points at from this entry on, or null when the entry removes it
 * @param previous the version it pointed at before, or null when it was not set
 * @param reason why, as given (may be empty)
 * @param movedBy the user who moved it (the JVM's {@code user.name})
 * @param movedAt when, as an ISO-8601 instant: the entry file's time as the store recorded it (Lakeline never reads
 *     the clock)
 */
public record AliasMove(int sequence, String alias, Integer version, Integer previous, String reason, String movedBy, String movedAt) {
  /** "champion: v1 → v2", "challenger: set to v3", "challenger: removed (was v3)". */
  public String describe() {
    if (version == null) {
      return alias + ": removed (was v" + previous + ")";
    }
    return previous == null ? alias + ": set to v" + version : alias + ": v" + previous + " → v" + version;
  }
}
