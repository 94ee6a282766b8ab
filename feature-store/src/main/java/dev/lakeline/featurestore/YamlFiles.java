package dev.lakeline.featurestore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lakeline.core.Errors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Reading the definition files of groups and views: one YAML mapping with known fields, errors naming the file. */
final class YamlFiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw Errors.config(e, "%s is not valid YAML: %s", file, e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw Errors.config("%s must be a mapping with %s.", file, expected);
    }
    root.fieldNames().forEachRemaining(f -> {
      if (!fields.contains(f)) {
        throw Errors.config("%s: unknown field '%s'. Known fields: %s.", file, f, fields.stream().sorted().toList());
      }
    });
    return root;
  }
}
