package dev.lakeline.pitjoin;

import dev.lakeline.core.Errors;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A point-in-time join: the spine's time column, one {@link FeatureJoin} per feature source, the strategy and the
 * hot-key threshold. Immutable.
 *
 * <p>Semantics: for every spine row and every source, the latest source row with the same key and {@code
 * feature_time <= spine_time} ({@code <} when strict) and, with a maximum age, {@code spine_time - feature_time <=
 * maxAge}, taken whole; exactly one output row per spine row (spine duplicates stay as they are); no match, a null
 * key or a null time is a miss: nulls or the declared defaults (left join), or the row is dropped (inner join). Rows
 * with the same key and time are ordered by the tie-break column (highest wins), then by their feature values in
 * ascending order (nulls first; map-typed features are not compared), so the result never depends on chance. See
 * docs/point-in-time-joins.md.
 *
 * @param spineTime the spine's time column (TIMESTAMP or DATE)
 * @param joins the sources, in output order
 * @param strategy how to compute it ({@link PitJoinStrategy#SORT_MERGE} by default)
 * @param hotKeyRows {@link PitJoinStrategy#SORT_MERGE} only: a key with at least this many rows to join (estimated
 *     as its spine rows times one plus the number of sources, as the map side keeps about one source row per spine
 *     row; from a sample when the spine is too large to index) is split by time into ranges of about this many rows;
 *     0 (default) chooses it from the data and the shuffle partitions; a negative value turns the splitting off
 */
public record PitJoinSpec(String spineTime, List<FeatureJoin> joins, PitJoinStrategy strategy, long hotKeyRows) {
  public PitJoinSpec {
    if (joins == null) {
      throw Errors.config("A PitJoinSpec needs its joins: a list of FeatureJoin, got null.");
    }
    joins = List.copyOf(joins);
    strategy = strategy == null ? PitJoinStrategy.SORT_MERGE : strategy;
    Map<String, String> outputs = new HashMap<>();
    for (FeatureJoin j : joins) {
      for (String f : j.features()) {
        String name = j.outputName(f);
        String before = outputs.put(name.toLowerCase(Locale.ROOT), j.source());
        if (before != null) {
          throw Errors.config(
              "Two joins ('%s' and '%s') produce the column '%s'. Give one of them a prefix (FeatureJoin.withPrefix).",
              before, j.source(), name);
        }
      }
    }
  }

  /** The default strategy ({@link PitJoinStrategy#SORT_MERGE}) with automatic hot-key handling. */
  public PitJoinSpec(String spineTime, List<FeatureJoin> joins) {
    this(spineTime, joins, PitJoinStrategy.SORT_MERGE, 0);
  }

  public PitJoinSpec withStrategy(PitJoinStrategy value) {
    return new PitJoinSpec(spineTime, joins, value, hotKeyRows);
  }

  /** See {@link #hotKeyRows()}. */
  public PitJoinSpec withHotKeyRows(long value) {
    return new PitJoinSpec(spineTime, joins, strategy, value);
  }
}
