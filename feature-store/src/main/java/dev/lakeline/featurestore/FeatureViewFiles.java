package dev.lakeline.featurestore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakeline.core.Errors;
import dev.lakeline.featurestore.FeatureViewSpec.GroupRef;
import dev.lakeline.featurestore.FeatureViewSpec.Join;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 *   - group: segments                       # a group without event time must be declared static:
 *     keys: [applicant_id]                  # joined on key alone
 *     features: [segment]
 *     static: true
 * </pre>
 */
public final class FeatureViewFiles {
  private static final Set<String> FIELDS = Set.of("name", "version", "description", "base", "features", "labels", "joins");
  private static final Set<String> JOIN_FIELDS = Set.of("group", "version", "keys", "features", "prefix", "strict", "static");

  private FeatureViewFiles() {}

  public static FeatureViewSpec load(Path file) {
    JsonNode root = YamlFiles.readMapping(file, "Feature view definition", "name, base, features and joins", FIELDS);
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
      GroupRef group = new GroupRef(j.get("group").asText(), j.path("version").asInt(1));
      List<String> keys = list(file, where + " ('" + group.name() + "')", j, "keys", true);
      List<String> features = list(file, where + " ('" + group.name() + "')", j, "features", true);
      String prefix = j.path("prefix").asText("");
      boolean strict = j.path("strict").asBoolean(false);
      boolean isStatic = j.path("static").asBoolean(false);
      if (isStatic && strict) {
        throw Errors.config("%s: %s is static (joined on key alone) and cannot be strict.", file, where);
      }
      joins.add(isStatic ? Join.onKey(group, keys, features, prefix) : new Join(group, keys, features, prefix, strict));
    }
    if (!root.hasNonNull("name")) {
      throw Errors.config("%s: 'name' is required.", file);
    }
    return new FeatureViewSpec(
        root.get("name").asText(),
        root.path("version").asInt(1),
        new GroupRef(base.get("group").asText(), base.path("version").asInt(1)),
        list(file, "the view", root, "features", false),
        list(file, "the view", root, "labels", false),
        joins,
        root.path("description").asText(""));
  }

  private static void known(Path file, String where, JsonNode node, Set<String> fields) {
    node.fieldNames().forEachRemaining(f -> {
      if (!fields.contains(f)) {
        throw Errors.config("%s: %s has the unknown field '%s'. Known fields: %s.", file, where, f, fields.stream().sorted().toList());
      }
    });
  }

  private static List<String> list(Path file, String where, JsonNode node, String field, boolean required) {
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
