package dev.lakeline.jobs.pipelines;

import dev.lakeline.featurestore.InsertResult;
import java.time.LocalDate;
import java.util.List;

/**
 * What one run of a feature pipeline for one logical date did.
 *
 * @param pipeline the pipeline's name
 * @param date the logical date
 * @param badRows rows of the source that could not be read (kept in {@code badRowsPath} with {@code bad_rows:
 *     report}; a run with {@code bad_rows: reject} and bad rows throws instead)
 * @param badRowsPath the table that keeps them, or null
 * @param groups each feature group's insert
 */
public record PipelineRun(String pipeline, LocalDate date, long badRows, String badRowsPath, List<GroupRun> groups) {
  /** One group's insert: its label ("loans v1"), its table, and what the gate and the commit did. */
  public record GroupRun(String group, String path, InsertResult result) {}

  public PipelineRun {
    groups = List.copyOf(groups);
  }

  /** True when every group found its batch already committed with the same content. */
  public boolean unchanged() {
    return groups.stream().allMatch(g -> g.result().skipped());
  }
}
