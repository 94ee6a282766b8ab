package dev.lakeline.transformations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.lakeline.core.Errors;
import dev.lakeline.core.Spelling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pipelines in YAML: a top-level {@code steps} list, each item a mapping with the step's name under {@code step}
 * and its parameters beside it.
 *
 * <pre>
 * steps:
 *   - step: rolling_aggregates
 *     entity: card_id
 *     time: event_time
 *     value: amount
 *     windows: [1h, 4h, 1d, 7d]
 *   - step: ratio
 *     numerator: income
 *     denominator: loan_amount
 *     output: income_to_loan
 * </pre>
 */
public final class PipelineSteps {
  private static final String STEPS = "steps";
  private static final String STEP = "step";
  private static final ObjectMapper YAML = new ObjectMapper(
      new YAMLFactory()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION); // a key twice is an error

  private PipelineSteps() {}

  /** The pipeline in YAML text. */
  public static Pipeline fromYaml(String yaml) {
    if (yaml == null) {
      throw Errors.config("PipelineSteps.fromYaml needs the pipeline's YAML text (steps: [...]), got null.");
    }
    return parse("pipeline", yaml);
  }

  /** The pipeline in a YAML file; error messages name the file. */
  public static Pipeline fromYaml(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw Errors.config(e, "Cannot read pipeline file %s: %s", file, e.getMessage());
    }
    return parse(file.toString(), text);
  }

  /** The pipeline as YAML text that {@link #fromYaml(String)} reads back into an equal pipeline. */
  public static String toYaml(Pipeline pipeline) {
    List<Map<String, Object>> steps = new ArrayList<>();
    for (Step s : pipeline.steps()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put(STEP, s.name());
      item.putAll(s.parameters());
      steps.add(item);
    }
    try {
      return YAML.writeValueAsString(Map.of(STEPS, steps));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a pipeline as YAML", e);
    }
  }

  private static Pipeline parse(String source, String text) {
    Object root;
    try {
      root = YAML.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw Errors.config(
          "%s is not valid YAML at line %d, column %d: %s",
          source,
          e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
          e.getLocation() == null ? 0 : e.getLocation().getColumnNr(),
          e.getOriginalMessage());
    }
    if (!(root instanceof Map<?, ?> top)) {
      throw Errors.config("%s must be a YAML mapping with a 'steps' list at the top level.", source);
    }
    for (Object key : top.keySet()) {
      if (!STEPS.equals(key)) {
        String close = Spelling.closest(String.valueOf(key), List.of(STEPS));
        throw Errors.config(
            "%s: unknown top-level key '%s'.%s A pipeline file has only 'steps'.",
            source, key, close == null ? "" : " Did you mean '" + close + "'?");
      }
    }
    if (!(top.get(STEPS) instanceof List<?> items) || items.isEmpty()) {
      throw Errors.config("%s: 'steps' must be a non-empty list of steps, each a mapping with 'step: <name>'.", source);
    }
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String where = source + ", step " + (i + 1);
      if (!(items.get(i) instanceof Map<?, ?> item)) {
        throw Errors.config("%s: a step must be a mapping with 'step: <name>' and its parameters.", where);
      }
      Map<String, Object> params = new LinkedHashMap<>();
      item.forEach((k, v) -> params.put(String.valueOf(k), v));
      Object name = params.remove(STEP);
      if (!(name instanceof String stepName)) {
        throw Errors.config("%s: missing 'step: <name>'. Known steps: %s.", where, Steps.names());
      }
      steps.add(Steps.build(where + " '" + stepName + "'", stepName, params));
    }
    return new Pipeline(steps);
  }
}
