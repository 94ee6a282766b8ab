package dev.lakeline.pitjoin;

import dev.lakeline.core.Errors;
import java.util.List;

/**
 * How one feature source joins the spine.
 *
 * @param source the feature source's name (a feature group), for messages and lineage
 * @param spineKeys the spine's key columns
 * @param featureKeys the source's key columns, in the same order (names may differ from the spine's)
 * @param featureTime the source's event-time column
 * @param features the feature columns to take
 * @param prefix prepended to every feature column in the output ("" for none)
 * @param strict true for {@code feature_time < spine_time}, false (default) for {@code <=}
 */
public record FeatureJoin(
    String source,
    List<String> spineKeys,
    List<String> featureKeys,
    String featureTime,
    List<String> features,
    String prefix,
    boolean strict) {

  public FeatureJoin {
    spineKeys = List.copyOf(spineKeys);
    featureKeys = List.copyOf(featureKeys);
    features = List.copyOf(features);
    prefix = prefix == null ? "" : prefix;
    if (spineKeys.isEmpty() || spineKeys.size() != featureKeys.size()) {
      throw Errors.config(
          "Join of '%s': give as many spine keys as feature keys (got %s and %s).", source, spineKeys, featureKeys);
    }
    if (features.isEmpty()) {
      throw Errors.config("Join of '%s' selects no features; list at least one.", source);
    }
  }

  /** A join on keys with the same names on both sides, inclusive ({@code <=}), no prefix. */
  public static FeatureJoin of(String source, List<String> keys, String featureTime, List<String> features) {
    return new FeatureJoin(source, keys, keys, featureTime, features, "", false);
  }

  public FeatureJoin withStrict(boolean value) {
    return new FeatureJoin(source, spineKeys, featureKeys, featureTime, features, prefix, value);
  }

  public FeatureJoin withPrefix(String value) {
    return new FeatureJoin(source, spineKeys, featureKeys, featureTime, features, value, strict);
  }

  public FeatureJoin withSpineKeys(List<String> value) {
    return new FeatureJoin(source, value, featureKeys, featureTime, features, prefix, strict);
  }

  /** The output column of a feature. */
  public String outputName(String feature) {
    return prefix + feature;
  }
}
