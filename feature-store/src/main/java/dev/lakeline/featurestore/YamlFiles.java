package dev.lakeline.featurestore;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lakeline.core.Errors;
import dev.lakeline.core.Messages;
import dev.lakeline.core.Spelling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Reading the definition files of groups and views: one YAML mapping with known fields, errors naming the file. */
final class YamlFiles {
  // a key given twice is an error, never the later value silently winning
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private YamlFiles() {}

  /**
   * The mapping in {@code file}, whose fields must all be in {@code fields}.
   *
   * @param what the kind of definition, for messages ("Feature group definition")
   * @param expected what the mapping holds, for messages ("name, primary_key and schema")
   */
  static JsonNode readMapping(Path file, String what, String expected, Set<String> fields) {
    if (!Files.isRegularFile(file)) {
      throw Errors.notFound("%s %s does not exist.", what, file);
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw Errors.config(e, "%s cannot be read: %s", file, Messages.firstLine(e));
    }
    return readMapping(file.toString(), text, expected, fields);
  }

  /** The mapping in {@code text}, read from {@code file} (a path or a {@code classpath:} location, for messages). */
  static JsonNode readMapping(String file, String text, String expected, Set<String> fields) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw Errors.config(e, "%s is not valid YAML%s: %s", file,
          at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr(),
          Messages.parserProblem(e.getOriginalMessage()));
    } catch (IOException e) {
      throw Errors.config(e, "%s cannot be read: %s", file, Messages.firstLine(e));
    }
    if (root == null || !root.isObject()) {
      throw Errors.config("%s must be a mapping with %s.", file, expected);
    }
    root.fieldNames().forEachRemaining(f -> {
      if (!fields.contains(f)) {
        String close = Spelling.closest(f, fields);
        throw Errors.config("%s: unknown field '%s'.%s Known fields: %s.", file, f,
            close == null ? "" : " Did you mean '" + close + "'?", fields.stream().sorted().toList());
      }
    });
    return root;
  }

  /**
   * The whole number at {@code field} of {@code node}, or {@code absent} when the field is missing or empty; any other
   * value ({@code v2}, {@code 1.5}, {@code '2'}) is an error naming the file, where and the value.
   *
   * @param where the part of the file, for messages ("join 1 ('credit')"), or null for the top level
   */
  static int intField(Object file, String where, JsonNode node, String field, int absent) {
    JsonNode n = node.path(field);
    if (n.isMissingNode() || n.isNull()) {
      return absent;
    }
    if (!n.isInt()) {
      throw Errors.config("%s: %s'%s' must be a whole number (%s: %d), not %s.", file, prefix(where), field, field, absent, shown(n));
    }
    return n.intValue();
  }

  /** The boolean at {@code field} of {@code node}, or {@code absent} when missing or empty; see {@link #intField}. */
  static boolean booleanField(Object file, String where, JsonNode node, String field, boolean absent) {
    JsonNode n = node.path(field);
    if (n.isMissingNode() || n.isNull()) {
      return absent;
    }
    if (!n.isBoolean()) {
      throw Errors.config("%s: %s'%s' must be true or false, not %s.", file, prefix(where), field, shown(n));
    }
    return n.booleanValue();
  }

  private static String prefix(String where) {
    return where == null ? "" : where + ": ";
  }

  private static String shown(JsonNode n) {
    return n.isTextual() ? "'" + n.textValue() + "'" : n.toString();
  }
}
