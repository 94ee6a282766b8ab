package dev.lakeline.featurestore;

import dev.lakeline.core.Errors;
import dev.lakeline.core.Names;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A feature view: features from a base feature group (its rows are the spine: one output row per base row,
 * at the base row's event time) joined point-in-time with features of other groups, plus label columns.
 * Immutable; a change is a new version.
 *
 * @param name the view's name
 * @param version its version, from 1
 * @param base the base group, whose key and event time drive the join
 * @param baseFeatures feature columns taken from the base group
 * @param labels label columns of the base group (left out of batch-inference data)
 * @param joins the other groups, joined point-in-time
 * @param description free text
 * @param transformations the model-dependent transformation of each feature that has one, by output column name:
 *     declared here, fitted on the train split and applied by training (see {@link ModelTransformation}); features
 *     without one are used as they are (numeric) or one-hot encoded (categorical)
 */
public record FeatureViewSpec(
    String name,
    int version,
    GroupRef base,
    List<String> baseFeatures,
    List<String> labels,
    List<Join> joins,
    String description,
    Map<String, ModelTransformation> transformations) {

  /** A feature group and version. */
  public record GroupRef(String name, int version) {
    public GroupRef {
      Names.check("feature group", name);
    }

    @Override
    public String toString() {
      return name + " v" + version;
    }
  }

  /**
   * One joined group.
   *
   * @param group the group
   * @param baseKeys the base group's columns that match the joined group's primary key, in its order
   * @param features the joined group's feature columns to take
   * @param prefix prepended to the joined features' names ("" for none)
   * @param strict true for feature time strictly before the base time; false for at or before
   * @param staticJoin true to join on key alone, ignoring time: required for, and only allowed on, a group without
   *     an event time (reference data such as a customer's segment). Use {@link #onKey}.
   * @param maxAge the maximum age (TTL) of a matching feature row: older rows count as misses; null for no limit.
   *     Not for static joins.
   * @param defaults the value a feature takes when no row matches, by feature name (a number, a string or a
   *     boolean; whole numbers are kept as {@code Long}, others as {@code Double}); a matching row's null stays null
   * @param inner true to drop base rows this group does not match (inner join); false (default) keeps them
   */
  public record Join(
      GroupRef group,
      List<String> baseKeys,
      List<String> features,
      String prefix,
      boolean strict,
      boolean staticJoin,
      Duration maxAge,
      Map<String, Object> defaults,
      boolean inner) {
    public Join {
      baseKeys = List.copyOf(baseKeys);
      features = List.copyOf(features);
      prefix = prefix == null ? "" : prefix;
      defaults = normalise(group, features, defaults);
      if (staticJoin && strict) {
        throw Errors.config(
            "The static join of %s cannot be strict: it is joined on key alone, without time. Drop 'strict'.", group);
      }
      if (staticJoin && maxAge != null) {
        throw Errors.config(
            "The static join of %s cannot have a maximum age: it is joined on key alone, without time. Drop 'max_age'.",
            group);
      }
      if (maxAge != null && maxAge.isNegative()) {
        throw Errors.config(
            "The join of %s has a negative maximum age (%s). Give zero or more (for example 30d), or none for no limit.",
            group, maxAge);
      }
    }

    /** A point-in-time join (the group must have an event time). */
    public Join(GroupRef group, List<String> baseKeys, List<String> features, String prefix, boolean strict) {
      this(group, baseKeys, features, prefix, strict, false, null, Map.of(), false);
    }

    /** A point-in-time or static join, left, without maximum age or defaults. */
    public Join(
        GroupRef group, List<String> baseKeys, List<String> features, String prefix, boolean strict, boolean staticJoin) {
      this(group, baseKeys, features, prefix, strict, staticJoin, null, Map.of(), false);
    }

    /** This join with a maximum age (TTL) of matching rows; null for none. */
    public Join withMaxAge(Duration value) {
      return new Join(group, baseKeys, features, prefix, strict, staticJoin, value, defaults, inner);
    }

    /** This join with {@code value} for {@code feature} when no row matches. */
    public Join withDefault(String feature, Object value) {
      Map<String, Object> d = new LinkedHashMap<>(defaults);
      d.put(feature, value);
      return new Join(group, baseKeys, features, prefix, strict, staticJoin, maxAge, d, inner);
    }

    /** This join as an inner join (true) or a left join (false). */
    public Join withInner(boolean value) {
      return new Join(group, baseKeys, features, prefix, strict, staticJoin, maxAge, defaults, value);
    }

    private static Map<String, Object> normalise(GroupRef group, List<String> features, Map<String, Object> defaults) {
      if (defaults == null || defaults.isEmpty()) {
        return Map.of();
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> d : defaults.entrySet()) {
        if (!features.contains(d.getKey())) {
          throw Errors.config(
              "The join of %s has a default for '%s', which is not one of its features %s. Select it or drop the default.",
              group, d.getKey(), features);
        }
        Object v = d.getValue();
        if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
          v = ((Number) v).longValue();
        } else if (v instanceof Float || v instanceof Double || v instanceof BigDecimal) {
          v = ((Number) v).doubleValue();
        } else if (!(v instanceof String) && !(v instanceof Boolean)) {
          throw Errors.config(
              "The join of %s: the default of '%s' is %s; give a number, a string or a boolean%s.",
              group, d.getKey(), v == null ? "null" : "a " + v.getClass().getSimpleName(),
              v == null ? " (a miss gives null already, so a null default can be left out)" : "");
        }
        out.put(d.getKey(), v);
      }
      return Collections.unmodifiableMap(out);
    }

    /**
     * A static join of a group without event time: each base row takes the group's row with the same key, whatever
     * its time. Such features are not point-in-time correct; declare them static only for data that does not change.
     */
    public static Join onKey(GroupRef group, List<String> baseKeys, List<String> features, String prefix) {
      return new Join(group, baseKeys, features, prefix, false, true);
    }
  }

  public FeatureViewSpec {
    Names.check("feature view", name);
    if (version < 1) {
      throw Errors.config("Feature view '%s': versions start at 1, got %d.", name, version);
    }
    baseFeatures = List.copyOf(baseFeatures);
    labels = List.copyOf(labels);
    joins = List.copyOf(joins);
    description = description == null ? "" : description;
    transformations =
        transformations == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(transformations));
  }

  /** A view without model-dependent transformations. */
  public FeatureViewSpec(
      String name, int version, GroupRef base, List<String> baseFeatures, List<String> labels, List<Join> joins, String description) {
    this(name, version, base, baseFeatures, labels, joins, description, Map.of());
  }

  /** The names of the feature columns the view produces, in output order: the base group's, then each join's. */
  public List<String> featureColumns() {
    List<String> out = new ArrayList<>(baseFeatures);
    for (Join j : joins) {
      j.features().forEach(f -> out.add(j.prefix() + f));
    }
    return out;
  }

  /**
   * The columns of the view's rows, in order: the base group's key and event time ({@code base} is the base group's
   * definition), the features, the labels when {@code withLabels} (a training dataset's rows, which add the split
   * column; batch-inference rows have none), then the join keys not among them.
   */
  public List<String> columns(FeatureGroupSpec base, boolean withLabels) {
    List<String> out = new ArrayList<>(base.primaryKey());
    out.add(base.eventTime());
    featureColumns().stream().filter(f -> !out.contains(f)).forEach(out::add);
    if (withLabels) {
      out.addAll(labels);
    }
    for (Join j : joins) {
      j.baseKeys().stream().filter(k -> !out.contains(k)).forEach(out::add);
    }
    return out;
  }

  /** This view with {@code transformation} declared for the feature (output column) {@code feature}. */
  public FeatureViewSpec withTransformation(String feature, ModelTransformation transformation) {
    Map<String, ModelTransformation> t = new LinkedHashMap<>(transformations);
    t.put(feature, transformation);
    return new FeatureViewSpec(name, version, base, baseFeatures, labels, joins, description, t);
  }
}
