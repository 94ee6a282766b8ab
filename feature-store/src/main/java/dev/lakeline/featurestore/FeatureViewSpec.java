package dev.lakeline.featurestore;

import dev.lakeline.core.Errors;
import dev.lakeline.core.Names;
import java.util.List;

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
 */
public record FeatureViewSpec(
    String name,
    int version,
    GroupRef base,
    List<String> baseFeatures,
    List<String> labels,
    List<Join> joins,
    String description) {

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
   */
  public record Join(
      GroupRef group, List<String> baseKeys, List<String> features, String prefix, boolean strict, boolean staticJoin) {
    public Join {
      baseKeys = List.copyOf(baseKeys);
      features = List.copyOf(features);
      prefix = prefix == null ? "" : prefix;
      if (staticJoin && strict) {
        throw Errors.config(
            "The static join of %s cannot be strict: it is joined on key alone, without time. Drop 'strict'.", group);
      }
    }

    /** A point-in-time join (the group must have an event time). */
    public Join(GroupRef group, List<String> baseKeys, List<String> features, String prefix, boolean strict) {
      this(group, baseKeys, features, prefix, strict, false);
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
  }
}
