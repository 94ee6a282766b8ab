package dev.lakeline.jobs.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakeline.core.Errors;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.Spelling;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Strict reading of one YAML mapping of a pipeline file: unknown fields, missing required ones and values of the
 * wrong type are configuration errors that name the file and the field's path ({@code feature_groups[2].mode}),
 * with a "did you mean" for a misspelt field or choice.
 */
final class YamlFields {
  private final String file;
  private final String path;
  private final JsonNode node;

  // a key given twice is an error, never the later value silently winning
  static final com.fasterxml.jackson.databind.ObjectMapper YAML =
      new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /**
   * The top-level mapping of the file at {@code location} with {@code text}; a syntax error names the line and column,
   * and anything but a mapping says it must hold {@code expected}.
   */
  static YamlFields top(String location, String text, String expected) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw Errors.config(
          "%s is not valid YAML at line %d, column %d: %s. Fix the file's syntax there.",
          location,
          e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
          e.getLocation() == null ? 0 : e.getLocation().getColumnNr(),
          dev.lakeline.core.Messages.parserProblem(e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw Errors.config("%s must be a YAML mapping with %s.", location, expected);
    }
    return new YamlFields(location, "", root);
  }

  YamlFields(String file, String path, JsonNode node) {
    this.file = file;
    this.path = path;
    this.node = node;
  }

  String file() {
    return file;
  }

  /** "file: path.field", for messages. */
  String where(String field) {
    return file + ": " + (path.isEmpty() ? field : path + "." + field);
  }

  /** "file: path" (or the file alone at the top). */
  String where() {
    return path.isEmpty() ? file : file + ": " + path;
  }

  LakelineException.ConfigError error(String field, String format, Object... args) {
    return Errors.config("%s: %s", where(field), String.format(Locale.ROOT, format, args));
  }

  /** Every field must be one of {@code known}. */
  void onlyKnown(Collection<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        String close = Spelling.closest(f, known);
        throw error(f, "unknown field.%s Known fields here: %s.", close == null ? "" : " Did you mean '" + close + "'?", known);
      }
    }
  }

  boolean has(String field) {
    JsonNode n = node.get(field);
    return n != null && !n.isNull();
  }

  String string(String field) {
    JsonNode n = node.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isValueNode()) {
      throw error(field, "must be a single value, not %s.", kind(n));
    }
    return n.asText();
  }

  String requiredString(String field) {
    String s = string(field);
    if (s == null || s.isBlank()) {
      throw error(field, "is required.");
    }
    return s;
  }

  int integer(String field, int defaultValue) {
    JsonNode n = node.get(field);
    if (n == null || n.isNull()) {
      return defaultValue;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber()) {
      throw error(field, "must be a whole number, not %s.", n.isValueNode() ? "'" + n.asText() + "'" : kind(n));
    }
    return n.asInt();
  }

  /** A string or a list of strings; empty when absent. */
  List<String> strings(String field) {
    JsonNode n = node.get(field);
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (n.isValueNode()) {
      out.add(n.asText());
      return out;
    }
    if (!n.isArray()) {
      throw error(field, "must be a string or a list of strings, not %s.", kind(n));
    }
    for (JsonNode v : n) {
      if (!v.isValueNode() || v.isNull()) {
        throw error(field, "must be a list of strings; found %s in it.", kind(v));
      }
      out.add(v.asText());
    }
    return out;
  }

  /** A mapping of strings to scalar values (kept as text). */
  Map<String, String> stringMap(String field) {
    JsonNode n = node.get(field);
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      throw error(field, "must be a mapping, not %s.", kind(n));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        throw error(field + "." + e.getKey(), "must be a single value, not %s.", kind(e.getValue()));
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /** A nested mapping; null when absent and not required. */
  YamlFields object(String field, boolean required) {
    JsonNode n = node.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw error(field, "is required.");
      }
      return null;
    }
    if (!n.isObject()) {
      throw error(field, "must be a mapping, not %s.", kind(n));
    }
    return new YamlFields(file, path.isEmpty() ? field : path + "." + field, n);
  }

  /** A list of mappings; empty when absent. */
  List<YamlFields> objects(String field) {
    JsonNode n = node.get(field);
    List<YamlFields> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw error(field, "must be a list, not %s.", kind(n));
    }
    for (int i = 0; i < n.size(); i++) {
      String at = (path.isEmpty() ? field : path + "." + field) + "[" + (i + 1) + "]";
      if (!n.get(i).isObject()) {
        throw Errors.config("%s: %s: must be a mapping, not %s.", file, at, kind(n.get(i)));
      }
      out.add(new YamlFields(file, at, n.get(i)));
    }
    return out;
  }

  /** The raw node of a field, or null. */
  JsonNode raw(String field) {
    JsonNode n = node.get(field);
    return n == null || n.isNull() ? null : n;
  }

  /** One of {@code choices} (case-insensitive), or {@code defaultValue} when absent. */
  <E> E choice(String field, Map<String, E> choices, E defaultValue) {
    String s = string(field);
    if (s == null) {
      return defaultValue;
    }
    E value = choices.get(s.toLowerCase(Locale.ROOT));
    if (value == null) {
      String close = Spelling.closest(s, choices.keySet());
      throw error(field, "'%s' is not one of %s.%s", s, choices.keySet(), close == null ? "" : " Did you mean '" + close + "'?");
    }
    return value;
  }

  static String kind(JsonNode n) {
    if (n.isObject()) {
      return "a mapping";
    }
    if (n.isArray()) {
      return "a list";
    }
    return n.isNull() ? "null" : "'" + n.asText() + "'";
  }
}
