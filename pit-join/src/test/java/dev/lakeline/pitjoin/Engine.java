package dev.lakeline.pitjoin;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The ways a test runs a join: both strategies (SORT_MERGE as the join runs it: without a shuffle on data this small,
 * {@link CollectedAnswers}), SORT_MERGE through the shuffle, the same with every key of 3+ rows split by time, and
 * SORT_MERGE without the spine index (every source row shuffled, hot keys from a sample, also split at 3 rows).
 */
enum Engine {
  RANK_WINDOW,
  SORT_MERGE,
  /** Sort-merge through the shuffle: the path of a spine whose pruned source rows are too many to collect. */
  SORT_MERGE_SHUFFLE,
  /** Sort-merge with a hot-key threshold of 3 rows: tiny data exercises the time ranges and their carry-ins. */
  SORT_MERGE_SPLIT,
  /** Sort-merge without {@link SpineIndex}: the path taken when the spine is too large to index. */
  SORT_MERGE_UNINDEXED;

  PitJoinSpec apply(PitJoinSpec spec) {
    return switch (this) {
      case RANK_WINDOW -> spec.withStrategy(PitJoinStrategy.RANK_WINDOW);
      case SORT_MERGE, SORT_MERGE_SHUFFLE -> spec.withStrategy(PitJoinStrategy.SORT_MERGE).withHotKeyRows(-1);
      case SORT_MERGE_SPLIT, SORT_MERGE_UNINDEXED -> spec.withStrategy(PitJoinStrategy.SORT_MERGE).withHotKeyRows(3);
    };
  }

  Dataset<Row> join(Dataset<Row> spine, PitJoinSpec spec, Map<String, Dataset<Row>> sources) {
    return PointInTimeJoin.join(spine, apply(spec), sources, plan());
  }

  SortMergeJoin.Plan plan() {
    return switch (this) {
      case RANK_WINDOW, SORT_MERGE -> SortMergeJoin.Plan.AUTO;
      case SORT_MERGE_SHUFFLE, SORT_MERGE_SPLIT -> SortMergeJoin.Plan.SHUFFLE;
      case SORT_MERGE_UNINDEXED -> SortMergeJoin.Plan.UNINDEXED;
    };
  }
}
