package dev.lakeline.pitjoin;

import dev.lakeline.core.Errors;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one feature source joins the spine. Immutable: every {@code withX} returns a new instance.
 *
 * @param source the feature source's name (a feature group), for messages and lineage
 * @param spineKeys the spine's key columns
 * @param featureKeys the source's key columns, in the same order (names may differ from the spine's; types must
 *     be the same pairwise)
 * @param featureTime the source's event-time column (same type as the spine's time: both TIMESTAMP or both DATE)
 * @param features the feature columns to take
 * @param prefix prepended to every feature column in the output ("" for none)
 * @param strict true for {@code feature_time < spine_time}, false (default) for {@code <=}
 * @param maxAge the maximum age (TTL) of a matching row: it matches only if {@code spine_time - feature_time <=
 *     maxAge}; {@code null} (default) for no limit. Never negative.
 * @param defaults the value a feature takes when no row matches (a miss), by feature name; a matching row's null
 *     stays null. Values are cast to the feature's type.
 * @param inner true to drop spine rows that this source does not match (inner join); false (default) keeps them
 *     with nulls or defaults (left join)
 * @param tieBreak a column of the source that orders rows with the same key and time, the highest value winning
 *     (a commit version or ingestion sequence); null for none. Remaining ties go to the row whose feature values
 *     come first in ascending order, nulls first.
 */
public record FeatureJoin(
    String source,
    List<String> spineKeys,
    List<String> featureKeys,
    String featureTime,
    List<String> features,
    String prefix,
    boolean strict,
    Duration maxAge,
    Map<String, Object> defaults,
    boolean inner,
    String tieBreak) {

  public FeatureJoin {
    spineKeys = List.copyOf(spineKeys == null ? List.of() : spineKeys); // null (None from Python): refused below
    featureKeys = List.copyOf(featureKeys == null ? List.of() : featureKeys);
    features = List.copyOf(features == null ? List.of() : features);
    prefix = prefix == null ? "" : prefix;
    defaults = defaults == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
    if (spineKeys.isEmpty() || spineKeys.size() != featureKeys.size()) {
      throw Errors.config(
          "Join of '%s': give as many spine keys as feature keys (got %s and %s).", source, spineKeys, featureKeys);
    }
    if (features.isEmpty()) {
      throw Errors.config("Join of '%s' selects no features; list at least one.", source);
    }
    if (maxAge != null && maxAge.isNegative()) {
      throw Errors.config(
          "Join of '%s': the maximum age (TTL) is negative (%s). Give a duration of zero or more, or none for no limit.",
          source, maxAge);
    }
    for (Map.Entry<String, Object> d : defaults.entrySet()) {
      if (!features.contains(d.getKey())) {
        throw Errors.config(
            "Join of '%s' has a default for '%s', which is not one of its features %s. Select the feature or drop the default.",
            source, d.getKey(), features);
      }
      if (d.getValue() == null) {
        throw Errors.config(
            "Join of '%s': the default of '%s' is null; a miss gives null already, so leave it out.", source, d.getKey());
      }
    }
    if (tieBreak != null && tieBreak.isBlank()) {
      throw Errors.config("Join of '%s': the tie-break column is blank; give a column name or null.", source);
    }
  }

  /** The join as it was before TTL, defaults, inner joins and tie-breaks (kept for existing callers). */
  public FeatureJoin(
      String source,
      List<String> spineKeys,
      List<String> featureKeys,
      String featureTime,
      List<String> features,
      String prefix,
      boolean strict) {
    this(source, spineKeys, featureKeys, featureTime, features, prefix, strict, null, Map.of(), false, null);
  }

  /** A join on keys with the same names on both sides, inclusive ({@code <=}), no prefix, left, no TTL. */
  public static FeatureJoin of(String source, List<String> keys, String featureTime, List<String> features) {
    return new FeatureJoin(source, keys, keys, featureTime, features, "", false);
  }

  public FeatureJoin withStrict(boolean value) {
    return new FeatureJoin(source, spineKeys, featureKeys, featureTime, features, prefix, value, maxAge, defaults, inner, tieBreak);
  }

  public FeatureJoin withPrefix(String value) {
    return new FeatureJoin(source, spineKeys, featureKeys, featureTime, features, value, strict, maxAge, defaults, inner, tieBreak);
  }

  public FeatureJoin withSpineKeys(List<String> value) {
    return new FeatureJoin(source, value, featureKeys, featureTime, features, prefix, strict, maxAge, defaults, inner, tieBreak);
  }

  /** The maximum age (TTL) of a matching row; {@code null} for none. */
  public FeatureJoin withMaxAge(Duration value) {
    return new FeatureJoin(source, spineKeys, featureKeys, featureTime, features, prefix, strict, value, defaults, inner, tieBreak);
  }

  /** The value {@code feature} takes when no row matches. */
  public FeatureJoin withDefault(String feature, Object value) {
    Map<String, Object> d = new LinkedHashMap<>(defaults);
    d.put(feature, value);
    return new FeatureJoin(source, spineKeys, featureKeys, featureTime, features, prefix, strict, maxAge, d, inner, tieBreak);
  }

  /** True for an inner join (spine rows without a match are dropped), false for a left join. */
  public FeatureJoin withInner(boolean value) {
    return new FeatureJoin(source, spineKeys, featureKeys, featureTime, features, prefix, strict, maxAge, defaults, value, tieBreak);
  }

  /** The column whose highest value wins among rows with the same key and time; {@code null} for none. */
  public FeatureJoin withTieBreak(String column) {
    return new FeatureJoin(source, spineKeys, featureKeys, featureTime, features, prefix, strict, maxAge, defaults, inner, column);
  }

  /** The output column of a feature. */
  public String outputName(String feature) {
    return prefix + feature;
  }
}
