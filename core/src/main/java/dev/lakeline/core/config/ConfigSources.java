package dev.lakeline.core.config;

import java.util.Map;

/**
 * The inputs of configuration loading, highest precedence last in this list: the config file (may be null),
 * the environment, and the command-line overrides (raw strings by key name).
 *
 * @param file the YAML file's path, {@code classpath:<resource>} for a bundled file, or null for defaults only
 * @param profile the profile asked for on the command line, or null (then {@code LAKELINE_PROFILE}, else local)
 * @param environment the process environment (pass {@code System.getenv()})
 * @param overrides command-line values by key name, as typed
 */
public record ConfigSources(
    String file, String profile, Map<String, String> environment, Map<String, String> overrides) {

  public ConfigSources {
    environment = Map.copyOf(environment);
    overrides = Map.copyOf(overrides);
  }

  public static ConfigSources none() {
    return new ConfigSources(null, null, Map.of(), Map.of());
  }

  public ConfigSources withFile(String f) {
    return new ConfigSources(f, profile, environment, overrides);
  }
}
