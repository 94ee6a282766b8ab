package dev.lakeline.pitjoin;

import dev.lakeline.core.Errors;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A point-in-time join: the spine's time column and one {@link FeatureJoin} per feature source.
 *
 * <p>Semantics: for every spine row and every source, the latest source row with the same key and {@code
 * feature_time <= spine_time} ({@code <} when strict), taken whole; exactly one output row per spine row (spine
 * duplicates stay as they are); no match, a null key or a null time gives nulls (left join); ties on the feature
 * time are broken by the feature values in ascending order, so the result never depends on chance.
 */
public record PitJoinSpec(String spineTime, List<FeatureJoin> joins) {
  public PitJoinSpec {
    joins = List.copyOf(joins);
    Set<String> outputs = new HashSet<>();
    for (FeatureJoin j : joins) {
      for (String f : j.features()) {
        if (!outputs.add(j.outputName(f))) {
          throw Errors.config(
              "Two joins produce the column '%s'. Give one of them a prefix (FeatureJoin.withPrefix).",
              j.outputName(f));
        }
      }
    }
  }
}
