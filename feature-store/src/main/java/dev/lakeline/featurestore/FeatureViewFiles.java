package dev.lakeline.featurestore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakeline.core.Durations;
import dev.lakeline.core.Errors;
import dev.lakeline.core.LakelineException;
import dev.lakeline.featurestore.FeatureViewSpec.GroupRef;
import dev.lakeline.featurestore.FeatureViewSpec.Join;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a feature view definition from YAML:
 *
 * <pre>
 * name: loan_default
 * version: 1
 * description: Loans with the credit report valid at issue
 * base: {group: loans, version: 1}          # its rows are the spine: key and event time drive the joins
 * features: [loan_amount, int_rate]         # from the base group
 * labels: [defaulted]                       # from the base group; left out of batch-inference data
 * joins:
 *   - group: credit_reports                 # joined point-in-time: the latest row at or before the base time
 *     version: 1
 *     keys: [applicant_id]                  # the base columns that match the group's primary key
 *     features: [annual_income, revol_util]
 *     prefix: ""                            # optional
 *     strict: false                         # optional: true for strictly before the base time
 *     max_age: 365d                         # optional TTL: older rows are misses (s, m, h, d, w or ISO-8601)
 *     defaults: {revol_util: 0.0}           # optional: a feature's value on a miss
 *     inner: false                          # optional: true drops base rows without a match
 *   - group: segments                       # a group without event time must be declared static:
 *     keys: [applicant_id]                  # joined on key alone
 *     features: [segment]
 *     static: true
 * transformations:                          # optional model-dependent transformations, fitted by training
 *   loan_amount: standard_scaler            # standard_scaler, min_max_scaler, robust_scaler,
 *   purpose: one_hot_encoder                # label_encoder, one_hot_encoder
 * </pre>
 */
public final class FeatureViewFiles {
  private static final Set<String> FIELDS = 
      Set.of("name", "version", "description", "base", "features", "labels", "joins", "transformations");
  private static final Set<String> JOIN_FIELDS = 
      Set.of("group", "version", "keys", "features", "prefix", "strict", "static", "max_age", "defaults", "inner");

  private FeatureViewFiles() {}

  public static FeatureViewSpec load(Path file) {
    return spec(file.toString(), YamlFiles.readMapping(file, "Feature view definition", "name, base, features and joins", FIELDS));
  }

  /** The definition at {@code location}: a file path, or {@code classpath:<resource>} for one bundled in the jar. */
  public static FeatureViewSpec load(String location) {
    if (!location.startsWith(dev.lakeline.core.TextFiles.CLASSPATH)) {
      return load(Path.of(location));
    }
    String text = dev.lakeline.core.TextFiles.read(location, "Feature view definition");
    return spec(location, YamlFiles.readMapping(location, text, "name, base, features and joins", FIELDS));
  }

  private static FeatureViewSpec spec(String file, JsonNode root) {
    JsonNode base = root.path("base");
    if (!base.isObject() || !base.hasNonNull("group")) {
      throw Errors.config("%s: 'base' must name the base group: base: {group: loans, version: 1}.", file);
    }
    known(file, "'base'", base, Set.of("group", "version"));
    List<Join> joins = new ArrayList<>();
    JsonNode joinNodes = root.path("joins");
    if (!joinNodes.isMissingNode() && !joinNodes.isNull() && !joinNodes.isArray()) {
      throw Errors.config("%s: 'joins' must be a list of groups to join.", file);
    }
    int i = 0;
    for (JsonNode j : joinNodes) {
      i++;
      String where = "join " + i;
      if (!j.isObject() || !j.hasNonNull("group")) {
        throw Errors.config("%s: %s must be a mapping with group, keys and features.", file, where);
      }
      known(file, where, j, JOIN_FIELDS);
      String name = j.get("group").asText();
      where += " ('" + name + "')";
      GroupRef group = new GroupRef(name, YamlFiles.intField(file, where, j, "version", 1));
      List<String> keys = list(file, where, j, "keys", true);
      List<String> features = list(file, where, j, "features", true);
      String prefix = j.path("prefix").asText("");
      boolean strict = YamlFiles.booleanField(file, where, j, "strict", false);
      boolean isStatic = YamlFiles.booleanField(file, where, j, "static", false);
      if (isStatic && strict) {
        throw Errors.config("%s: %s is static (joined on key alone) and cannot be strict.", file, where);
      }
      if (isStatic && j.hasNonNull("max_age")) {
        throw Errors.config("%s: %s is static (joined on key alone) and cannot have a max_age.", file, where);
      }
      Duration maxAge =
          j.hasNonNull("max_age") ? Durations.parse(file + ": " + where + " max_age", j.get("max_age").asText()) : null;
      Map<String, Object> defaults = defaults(file, where, j.path("defaults"));
      boolean inner = YamlFiles.booleanField(file, where, j, "inner", false);
      joins.add(new Join(group, keys, features, prefix, strict, isStatic, maxAge, defaults, inner));
    }
    if (!root.hasNonNull("name")) {
      throw Errors.config("%s: 'name' is required.", file);
    }
    return new FeatureViewSpec(
        root.get("name").asText(),
        YamlFiles.intField(file, null, root, "version", 1),
        new GroupRef(base.get("group").asText(), YamlFiles.intField(file, "'base'", base, "version", 1)),
        list(file, "the view", root, "features", false),
        list(file, "the view", root, "labels", false),
        joins,
        root.path("description").asText(""),
        transformations(file, root.path("transformations")));
  }

  private static Map<String, Object> defaults(String file, String where, JsonNode node) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw Errors.config("%s: %s: 'defaults' must map features to values: defaults: {revol_util: 0.0}.", file, where);
    }
    node.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      Object value =
          v.isIntegralNumber() ? (Object) v.longValue()
              : v.isNumber() ? (Object) v.doubleValue()
              : v.isBoolean() ? (Object) v.booleanValue()
              : v.isTextual() ? v.textValue()
              : null;
      if (value == null) {
        throw Errors.config(
            "%s: %s: the default of '%s' must be a number, a string or a boolean (a miss gives null without one).",
            file, where, e.getKey());
      }
      out.put(e.getKey(), value);
    });
    return out;
  }

  private static Map<String, ModelTransformation> transformations(String file, JsonNode node) {
    Map<String, ModelTransformation> out = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw Errors.config(
          "%s: 'transformations' must map features to transformations: transformations: {loan_amount: standard_scaler}.", file);
    }
    node.fields().forEachRemaining(e -> {
      try {
        out.put(e.getKey(), ModelTransformation.of(e.getValue().asText()));
      } catch (LakelineException.ConfigError bad) {
        throw Errors.config("%s: transformations: '%s': %s", file, e.getKey(), bad.getMessage());
      }
    });
    return out;
  }

  private static void known(String file, String where, JsonNode node, Set<String> fields) {
    node.fieldNames().forEachRemaining(f -> {
      if (!fields.contains(f)) {
        throw Errors.config("%s: %s has the unknown field '%s'. Known fields: %s.", file, where, f, fields.stream().sorted().toList());
      }
    });
  }

  private static List<String> list(String file, String where, JsonNode node, String field, boolean required) {
    JsonNode n = node.path(field);
    List<String> out = new ArrayList<>();
    if (n.isMissingNode() || n.isNull()) {
      if (required) {
        throw Errors.config("%s: %s needs '%s', a list of column names.", file, where, field);
      }
      return out;
    }
    if (n.isValueNode()) {
      out.add(n.asText());
      return out;
    }
    if (!n.isArray()) {
      throw Errors.config("%s: %s: '%s' must be a list of column names.", file, where, field);
    }
    n.forEach(v -> out.add(v.asText()));
    return out;
  }
}
