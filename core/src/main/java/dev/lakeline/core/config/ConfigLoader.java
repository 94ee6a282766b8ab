package dev.lakeline.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lakeline.core.Errors;
import dev.lakeline.core.Spelling;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a {@link LakelineConfig} from a YAML file, the environment and command-line overrides.
 *
 * <p>File layout: keys nest by their dots ({@code spark: {shuffle-partitions: 4}}); a top-level {@code profiles}
 * mapping holds per-profile overlays ({@code profiles: {emr: {lakehouse: {root: s3://…}}}}). String values may
 * use {@code ${VAR}} or {@code ${VAR:-default}}, resolved from the environment. Unknown keys, unknown profiles,
 * wrong types and missing required keys are errors that name the file and the key.
 */
public final class ConfigLoader {
  public static final String PROFILE_ENV = "LAKELINE_PROFILE";
  public static final String CLASSPATH = "classpath:";
  public static final List<String> PROFILES = List.of("local", "emr", "databricks");
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
  // a key given twice is an error, never the later value silently winning
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private ConfigLoader() {}

  public static LakelineConfig load(ConfigSources sources) {
    String profile = selectProfile(sources);
    Map<ConfigKey<?>, Object> values = new LinkedHashMap<>();
    Map<ConfigKey<?>, String> origin = new LinkedHashMap<>();
    for (ConfigKey<?> key : LakelineKeys.ALL) {
      if (key.defaultValue() != null) {
        values.put(key, key.defaultValue());
        origin.put(key, "default");
      }
    }
    // keys the environment or the command line set: their file values are never used, so never resolved (a
    // ${VAR} in a profile's value need not be set when --lakehouse or --set replaces that value)
    java.util.Set<ConfigKey<?>> superseded = new java.util.HashSet<>();
    for (ConfigKey<?> key : LakelineKeys.ALL) {
      if (key.type() != ConfigKey.Type.MAP && sources.environment().get(key.environmentVariable()) != null) {
        superseded.add(key);
      }
    }
    for (String name : sources.overrides().keySet()) {
      superseded.add(lookup("the command line", name));
    }
    if (sources.file() != null) {
      String file = sources.file();
      JsonNode root = readFile(file);
      JsonNode profiles = root.get("profiles");
      Map<ConfigKey<?>, JsonNode> base = flatten(file, "", root, true);
      Map<String, Map<ConfigKey<?>, JsonNode>> overlays = new LinkedHashMap<>();
      if (profiles != null) {
        if (!profiles.isObject()) {
          throw Errors.config("%s: 'profiles' must be a mapping of profile name to settings.", file);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = profiles.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!PROFILES.contains(e.getKey())) {
            throw Errors.config(
                "%s: unknown profile 'profiles.%s'. Lakeline knows the profiles %s.", file, e.getKey(), PROFILES);
          }
          overlays.put(e.getKey(), flatten(file, "profiles." + e.getKey() + ".", e.getValue(), false));
        }
      }
      base.keySet().removeAll(superseded);
      apply(file, base, sources.environment(), values, origin, "file " + file);
      Map<ConfigKey<?>, JsonNode> overlay = overlays.get(profile);
      if (overlay != null) {
        overlay.keySet().removeAll(superseded);
        apply(file, overlay, sources.environment(), values, origin, "file " + file + ", profile " + profile);
      }
    }
    for (ConfigKey<?> key : LakelineKeys.ALL) {
      String raw = sources.environment().get(key.environmentVariable());
      if (raw != null && key.type() != ConfigKey.Type.MAP) {
        values.put(key, convert("environment variable " + key.environmentVariable(), key, raw));
        origin.put(key, "environment " + key.environmentVariable());
      }
    }
    for (Map.Entry<String, String> e : sources.overrides().entrySet()) {
      ConfigKey<?> key = lookup("the command line", e.getKey());
      values.put(key, convert("the command line", key, e.getValue()));
      origin.put(key, "command line");
    }
    for (ConfigKey<?> key : LakelineKeys.ALL) {
      if (values.get(key) == null) {
        throw Errors.config(
            "Missing required configuration key '%s' (%s). Set it in %s, with the environment variable %s, "
                + "or on the command line.",
            key.name(),
            key.doc(),
            sources.file() == null ? "a --config file" : sources.file(),
            key.environmentVariable());
      }
    }
    return new LakelineConfig(profile, values, origin);
  }

  private static String selectProfile(ConfigSources sources) {
    String profile = sources.profile();
    String from = "--profile";
    if (profile == null) {
      profile = sources.environment().getOrDefault(PROFILE_ENV, "local");
      from = PROFILE_ENV;
    }
    if (!PROFILES.contains(profile)) {
      throw Errors.config("Unknown profile '%s' (from %s). Choose one of %s.", profile, from, PROFILES);
    }
    return profile;
  }

  private static JsonNode readFile(String file) {
    JsonNode root;
    try (InputStream in = open(file)) {
      root = YAML.readTree(in);
    } catch (JsonProcessingException e) {
      throw Errors.config(
          "%s is not valid YAML at line %d, column %d: %s",
          file,
          e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
          e.getLocation() == null ? 0 : e.getLocation().getColumnNr(),
          dev.lakeline.core.Messages.parserProblem(e.getOriginalMessage()));
    } catch (IOException e) {
      throw Errors.config(e, "Cannot read configuration file %s: %s", file, e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return YAML.createObjectNode();
    }
    if (!root.isObject()) {
      throw Errors.config("%s must be a YAML mapping of keys to values at the top level.", file);
    }
    return root;
  }

  private static InputStream open(String file) throws IOException {
    if (file.startsWith(CLASSPATH)) {
      InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(file.substring(CLASSPATH.length()));
      if (in == null) {
        throw Errors.config("Configuration resource %s is not on the classpath.", file);
      }
      return in;
    }
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw Errors.config(
          "Configuration file %s does not exist. Pass --config with the path of a YAML file "
              + "(conf/lakeline.yaml is the template), or leave --config out to use the bundled defaults.",
          file);
    }
    return Files.newInputStream(path);
  }

  private static Map<ConfigKey<?>, JsonNode> flatten(String file, String prefix, JsonNode node, boolean top) {
    Map<ConfigKey<?>, JsonNode> out = new LinkedHashMap<>();
    flattenInto(file, prefix, "", node, top, out);
    return out;
  }

  private static void flattenInto(
      String file, String shown, String path, JsonNode node, boolean top, Map<ConfigKey<?>, JsonNode> out) {
    if (!node.isObject()) {
      throw Errors.config(
          "%s: '%s' must be a mapping of keys to values.",
          file, shown.isEmpty() ? "profiles" : shown.substring(0, shown.length() - 1));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      if (top && name.equals("profiles")) {
        continue;
      }
      ConfigKey<?> key = find(name);
      if (key != null) {
        out.put(key, e.getValue());
      } else if (e.getValue().isObject() && isPrefix(name)) {
        flattenInto(file, shown, name, e.getValue(), false, out);
      } else {
        throw unknownKey(file, shown, name);
      }
    }
  }

  private static void apply(
      String file,
      Map<ConfigKey<?>, JsonNode> entries,
      Map<String, String> env,
      Map<ConfigKey<?>, Object> values,
      Map<ConfigKey<?>, String> origin,
      String source) {
    for (Map.Entry<ConfigKey<?>, JsonNode> e : entries.entrySet()) {
      ConfigKey<?> key = e.getKey();
      JsonNode node = e.getValue();
      String where = file + ": key '" + key.name() + "'";
      if (key.type() == ConfigKey.Type.MAP) {
        if (!node.isObject()) {
          throw Errors.config("%s expects %s, got %s.", where, key.expected(), describe(node));
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> m = it.next();
          if (!m.getValue().isValueNode() || m.getValue().isNull()) {
            throw Errors.config(
                "%s: entry '%s' expects a string value, got %s.", where, m.getKey(), describe(m.getValue()));
          }
          map.put(m.getKey(), substitute(where, m.getValue().asText(), env));
        }
        values.put(key, Map.copyOf(map));
      } else {
        if (!node.isValueNode() || node.isNull()) {
          throw Errors.config("%s expects %s, got %s.", where, key.expected(), describe(node));
        }
        values.put(key, convert(where, key, substitute(where, node.asText(), env)));
      }
      origin.put(key, source);
    }
  }

  static String substitute(String where, String text, Map<String, String> env) {
    Matcher m = VAR.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      if (m.group(2) != null && (value == null || value.isEmpty())) {
        value = m.group(3); // ${VAR:-default}: the default when VAR is unset or empty, as in a shell
      }
      if (value == null) {
        throw Errors.config(
            "%s refers to the environment variable ${%s}, which is not set. Set it, or write ${%s:-default}.",
            where, m.group(1), m.group(1));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Object convert(String where, ConfigKey<?> key, String raw) {
    String text = raw.trim();
    if (key.type() == ConfigKey.Type.MAP) {
      throw Errors.config("%s: '%s' is a map and can only be set in the config file.", where, key.name());
    }
    try {
      Object value =
          switch (key.type()) {
            case STRING -> text;
            case INT -> Integer.parseInt(text);
            case LONG -> Long.parseLong(text);
            case DOUBLE -> Double.parseDouble(text);
            case BOOLEAN -> parseBoolean(text);
            case ENUM -> key.allowed().contains(text) ? text : null;
            case MAP -> throw new IllegalStateException();
          };
      if (value == null || (value instanceof Number n && !key.inRange(n.doubleValue()))) {
        throw new NumberFormatException();
      }
      if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw Errors.config(
          "%s%s expects %s, got '%s'.",
          where, where.contains("'" + key.name() + "'") ? "" : " (key '" + key.name() + "')", key.expected(), raw);
    }
  }

  private static Boolean parseBoolean(String text) {
    if (text.equalsIgnoreCase("true")) {
      return Boolean.TRUE;
    }
    if (text.equalsIgnoreCase("false")) {
      return Boolean.FALSE;
    }
    throw new NumberFormatException();
  }

  private static ConfigKey<?> lookup(String where, String name) {
    ConfigKey<?> key = find(name);
    if (key == null) {
      throw unknownKey(where, "", name);
    }
    return key;
  }

  private static ConfigKey<?> find(String name) {
    for (ConfigKey<?> key : LakelineKeys.ALL) {
      if (key.name().equals(name)) {
        return key;
      }
    }
    return null;
  }

  private static boolean isPrefix(String name) {
    return LakelineKeys.ALL.stream().anyMatch(k -> k.name().startsWith(name + "."));
  }

  /** {@code prefix} ("profiles.emr." or "") is shown in the message; the hint compares the key name alone. */
  private static RuntimeException unknownKey(String where, String prefix, String name) {
    List<String> known = new ArrayList<>();
    LakelineKeys.ALL.forEach(k -> known.add(k.name()));
    String nearest =
        known.stream().min(Comparator.comparingInt(k -> Spelling.distance(k, name))).orElse("");
    String hint = Spelling.distance(nearest, name) <= 3 ? " Did you mean '" + nearest + "'?" : "";
    return Errors.config("%s: unknown key '%s'.%s Known keys: %s.", where, prefix + name, hint, known);
  }

  private static String describe(JsonNode node) {
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isNull()) {
      return "nothing (null)";
    }
    return "'" + node.asText() + "'";
  }
}
