package dev.lakeline.transformations;

import dev.lakeline.core.Errors;
import dev.lakeline.core.LakelineException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A step as a pipeline file names it: its name, its declared parameters and how to build it from them. */
record StepDef(String name, List<Params.Spec> params, Function<Params, Step> factory) {
  static Builder step(String name) {
    return new Builder(name);
  }

  /** Builds the step; {@code where} starts every error message (for example "pipeline.yaml, step 2 'ratio'"). */
  Step build(String where, Map<String, ?> raw) {
    Params p = Params.check(where, params, raw);
    try {
      return factory.apply(p);
    } catch (LakelineException.ConfigError e) {
      // the step's own message starts "Transformation 'name'" (what a Java caller sees); here `where` names it
      String own = "Transformation '" + name + "'";
      String message = e.getMessage();
      throw Errors.config(e, "%s%s", where, message.startsWith(own) ? message.substring(own.length()) : ": " + message);
    }
  }

  List<String> parameterNames() {
    return params.stream().map(Params.Spec::name).toList();
  }

  static final class Builder {
    private final String name;
    private final List<Params.Spec> params = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    Builder required(String param, Params.Kind kind) {
      params.add(new Params.Spec(param, kind, true));
      return this;
    }

    Builder optional(String param, Params.Kind kind) {
      params.add(new Params.Spec(param, kind, false));
      return this;
    }

    StepDef build(Function<Params, Step> factory) {
      return new StepDef(name, List.copyOf(params), factory);
    }
  }
}
