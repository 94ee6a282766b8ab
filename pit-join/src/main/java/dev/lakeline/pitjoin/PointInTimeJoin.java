package dev.lakeline.pitjoin;

import dev.lakeline.core.Errors;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Computes a {@link PitJoinSpec}: checks it against the spine and sources ({@link JoinChecks}), runs its
 * {@link PitJoinStrategy}, then applies misses (defaults, inner joins) the same way for both strategies.
 */
public final class PointInTimeJoin {
  private PointInTimeJoin() {}

  /**
   * Joins {@code spine} with every source of {@code spec}: the spine's columns, then each join's features under
   * their output names, one row per spine row (fewer only where an inner join misses).
   *
   * @param sources the data of each source by {@link FeatureJoin#source()}
   * @throws dev.lakeline.core.LakelineException.ConfigError when a column is missing, types differ, names collide
   */
  public static Dataset<Row> join(Dataset<Row> spine, PitJoinSpec spec, Map<String, Dataset<Row>> sources) {
    if (spine == null || spec == null || sources == null) {
      throw Errors.config("PointInTimeJoin.join needs %s, got null.", spine == null ? "the spine: a DataFrame of keys and times"
          : spec == null ? "the spec: a PitJoinSpec" : "the sources: a map from each join's source name to its DataFrame");
    }
    return join(spine, spec, sources, SortMergeJoin.Plan.AUTO);
  }

  /** {@code plan}: how {@link PitJoinStrategy#SORT_MERGE} computes it; not {@link SortMergeJoin.Plan#AUTO} only in tests. */
  static Dataset<Row> join(
      Dataset<Row> spine, PitJoinSpec spec, Map<String, Dataset<Row>> sources, SortMergeJoin.Plan plan) {
    List<PreparedJoin> joins = JoinChecks.prepare(spine, spec, sources);
    if (joins.isEmpty()) {
      return spine;
    }
    Dataset<Row> raw = spec.strategy() == PitJoinStrategy.RANK_WINDOW
        ? RankWindowJoin.join(spine, spec.spineTime(), joins)
        : SortMergeJoin.join(spine, spec.spineTime(), joins, spec.hotKeyRows(), plan);
    return Misses.finish(raw, Arrays.asList(spine.columns()), joins);
  }
}
