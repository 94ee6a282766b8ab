package dev.lakeline.transformations;

import dev.lakeline.core.Errors;
import dev.lakeline.core.Spelling;
import java.util.List;
import java.util.Map;

/**
 * The registry of steps by name: what a pipeline file can say, for code that holds a step name and its parameters
 * (as Jackson parses them: strings, numbers, booleans, lists and maps).
 */
public final class Steps {
  private Steps() {}

  /** The step {@code name} with {@code parameters}; an unknown step or parameter, or a wrong type, is a ConfigError. */
  public static Step build(String name, Map<String, ?> parameters) {
    return build("Step '" + name + "'", name, parameters);
  }

  /** The names of all steps, for example {@code rolling_aggregates}. */
  public static List<String> names() {
    return List.copyOf(StepCatalog.ALL.keySet());
  }

  /** The parameter names of step {@code name}. */
  public static List<String> parameters(String name) {
    return definition("Step '" + name + "'", name).parameterNames();
  }

  static Step build(String where, String name, Map<String, ?> parameters) {
    return definition(where, name).build(where, parameters);
  }

  private static StepDef definition(String where, String name) {
    StepDef def = StepCatalog.ALL.get(name);
    if (def == null) {
      String close = name == null ? null : Spelling.closest(name, StepCatalog.ALL.keySet());
      throw Errors.config(
          "%s: unknown step '%s'.%s Known steps: %s.",
          where, name, close == null ? "" : " Did you mean '" + close + "'?", StepCatalog.ALL.keySet());
    }
    return def;
  }
}
