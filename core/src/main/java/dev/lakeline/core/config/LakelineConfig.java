package dev.lakeline.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resolved, typed configuration of one job run. Immutable. Every value remembers where it came from
 * ({@link #sourceOf}), so a job can print its effective configuration.
 *
 * <p>Precedence, highest first: command line, environment variables ({@code LAKELINE_*}), the selected profile
 * of the config file, the config file's top level, the defaults declared in {@link LakelineKeys}.
 */
public final class LakelineConfig {
  private final String profile;
  private final Map<ConfigKey<?>, Object> values;
  private final Map<ConfigKey<?>, String> sources;

  LakelineConfig(String profile, Map<ConfigKey<?>, Object> values, Map<ConfigKey<?>, String> sources) {
    this.profile = profile;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
  }

  /** The selected environment profile: {@code local}, {@code emr} or {@code databricks}. */
  public String profile() {
    return profile;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<T> key) {
    return (T) values.get(key);
  }

  /** Where the value of {@code key} came from: "default", "file …", "environment …" or "command line". */
  public String sourceOf(ConfigKey<?> key) {
    return sources.get(key);
  }

  /** A copy with one value replaced (programmatic override, highest precedence). */
  public <T> LakelineConfig with(ConfigKey<T> key, T value) {
    Map<ConfigKey<?>, Object> v = new LinkedHashMap<>(values);
    Map<ConfigKey<?>, String> s = new LinkedHashMap<>(sources);
    v.put(key, value);
    s.put(key, "api");
    return new LakelineConfig(profile, v, s);
  }

  public String lakehouseRoot() {
    return get(LakelineKeys.LAKEHOUSE_ROOT);
  }

  /**
   * The effective configuration, one key per line with its value and source. The values of secret-looking settings
   * ({@link #isSecret}: an S3 secret key in {@code spark.conf}, say) are shown as {@code ****}, since this text ends
   * up in terminals, CI and Airflow task logs.
   */
  public String describe() {
    StringBuilder b = new StringBuilder("profile: ").append(profile).append('\n');
    Map<ConfigKey<?>, String> shown = new java.util.LinkedHashMap<>();
    LakelineKeys.ALL.forEach(key -> shown.put(key, String.valueOf(shown(key.name(), values.get(key)))));
    int width = Math.max(30, shown.values().stream().mapToInt(String::length).max().orElse(0)); // the sources in one column
    String line = "  %-" + LakelineKeys.longestName() + "s %-" + width + "s (%s)%n";
    shown.forEach((key, value) -> b.append(String.format(line, key.name(), value, sources.get(key))));
    return b.toString();
  }

  private static final java.util.regex.Pattern SECRET =
      java.util.regex.Pattern.compile("(?i).*(password|passwd|secret|token|credential|access.?key|account.?key|private.?key).*");

  /**
   * Whether a setting's name says its value is a secret: a password, secret, token, credential, or an access,
   * account or private key ({@code spark.hadoop.fs.s3a.secret.key}, {@code fs.azure.account.key.<account>…}).
   */
  public static boolean isSecret(String name) {
    return SECRET.matcher(name).matches();
  }

  /** {@code value} as printed: masked when {@code name} is secret, and so are the secret entries of a map. */
  private static Object shown(String name, Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, shown(String.valueOf(k), v)));
      return out;
    }
    return value != null && isSecret(name) ? "****" : value;
  }
}
