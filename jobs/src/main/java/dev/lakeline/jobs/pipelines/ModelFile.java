package dev.lakeline.jobs.pipelines;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lakeline.core.Errors;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.Messages;
import dev.lakeline.featurestore.FeatureViewFiles;
import dev.lakeline.featurestore.FeatureViewSpec;
import dev.lakeline.transformations.Pipeline;
import dev.lakeline.validation.ExpectationSuite;
import dev.lakeline.validation.SuiteFiles;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a model file (docs/model-registry.md, "Your own model") strictly: unknown fields, missing or mistyped values,
 * unknown steps, and a view file that defines another view are configuration errors naming the file and the field.
 * A model file that names its view's file is also checked against that definition ({@link ModelDefinition#checkView}).
 * Nothing here reads data; {@link ModelDefinition#check} checks the definition against the view and its base group when
 * a job runs.
 *
 * <pre>
 * feature_view: {name: loan_default, version: 1, file: ../views/loan_default.yaml}
 * label: is_default
 * id_columns: [loan_id]                # optional: default the base group's primary key
 * keep_columns: [applicant_id]         # optional
 * features:
 *   numeric: [loan_amount, int_rate, loan_to_income]
 *   categorical: [purpose]
 * on_demand: ../on_demand/loan_default.yaml    # or a list of steps; optional
 * predictions_suite: ../expectations/predictions.yaml   # optional
 * </pre>
 */
public final class ModelFile {
  private static final List<String> TOP = List.of(
      "description", "feature_view", "label", "id_columns", "keep_columns", "features", "on_demand", "predictions_suite");

  private ModelFile() {}

  /** Loads the model file at {@code location}: a file path, or {@code classpath:<resource>} for a bundled one. */
  public static ModelDefinition load(String location) {
    return parse(location, FeaturePipelineFile.read(location, "Model"));
  }

  /** Parses model file text; {@code location} names it in messages and anchors relative paths. */
  public static ModelDefinition parse(String location, String text) {
    YamlFields top = YamlFields.top(location, text, "feature_view, label and features (docs/model-registry.md)");
    top.onlyKnown(TOP);
    top.string("description");

    YamlFields view = top.object("feature_view", true);
    view.onlyKnown(List.of("name", "version", "file"));
    String viewName = view.requiredString("name");
    int viewVersion = view.integer("version", 1);
    String viewFile = view.string("file") == null ? null : FeaturePipelineFile.relativeTo(location, view.string("file"));
    FeatureViewSpec spec = null;
    if (viewFile != null) {
      try {
        spec = FeatureViewFiles.load(viewFile);
      } catch (LakelineException.ConfigError e) {
        throw Errors.config(e, "%s: %s", view.where("file"), e.getMessage());
      } catch (LakelineException.NotFound e) {
        throw Errors.notFound("%s: the feature view file '%s' does not exist (looked for at %s; a relative path is taken "
            + "from the model file's folder).", view.where("file"), view.string("file"), viewFile);
      }
      if (!spec.name().equals(viewName) || spec.version() != viewVersion) {
        throw view.error("file", "%s defines feature view %s v%d, not %s v%d. Name the view the file defines, or point "
            + "to that view's file.", viewFile, spec.name(), spec.version(), viewName, viewVersion);
      }
    }

    String label = top.requiredString("label");
    List<String> ids = top.strings("id_columns");
    List<String> keep = top.strings("keep_columns");
    YamlFields features = top.object("features", true);
    features.onlyKnown(List.of("numeric", "categorical"));
    List<String> numeric = features.strings("numeric");
    List<String> categorical = features.strings("categorical");
    if (numeric.isEmpty() && categorical.isEmpty()) {
      throw features.error("numeric", "the model has no inputs: list its numeric and/or categorical features.");
    }
    List<String> all = new ArrayList<>(numeric);
    for (String c : categorical) {
      if (all.contains(c)) {
        throw features.error("categorical", "'%s' is listed as numeric and as categorical; a feature is one or the other.", c);
      }
      all.add(c);
    }
    if (all.contains(label)) {
      throw features.error(numeric.contains(label) ? "numeric" : "categorical",
          "'%s' is the label: a model that takes its label as an input learns nothing. Remove it from the features.", label);
    }
    Pipeline onDemand = onDemand(location, top);
    ExpectationSuite suite = suite(location, top);
    ModelDefinition model =
        new ModelDefinition(location, viewName, viewVersion, viewFile, spec, label, ids, keep, numeric, categorical, onDemand, suite);
    if (spec != null) {
      model.checkView(spec); // what the view's definition alone decides, before any job starts
    }
    return model;
  }

  /** The on-demand steps: a list of steps, or the path of a file with {@code steps: [...]}; none when absent. */
  private static Pipeline onDemand(String location, YamlFields top) {
    JsonNode node = top.raw("on_demand");
    if (node == null || node.isNull()) {
      return new Pipeline(List.of());
    }
    if (node.isArray()) {
      return FeaturePipelineFile.steps(location + ": on_demand", node);
    }
    if (!node.isTextual()) {
      throw top.error("on_demand", "must be a list of steps (as a pipeline's 'steps') or the path of a file with 'steps: [...]'.");
    }
    String file = FeaturePipelineFile.relativeTo(location, node.asText());
    JsonNode steps;
    try {
      JsonNode root = YamlFields.YAML.readTree(FeaturePipelineFile.read(file, "On-demand steps"));
      if (root == null || !root.isObject() || !root.has("steps")) {
        throw top.error("on_demand", "%s must be a YAML mapping with 'steps: [...]'.", file);
      }
      new YamlFields(file, "", root).onlyKnown(List.of("steps"));
      steps = root.get("steps");
    } catch (JsonProcessingException e) {
      throw top.error("on_demand", "%s is not valid YAML: %s", file, Messages.parserProblem(e.getOriginalMessage()));
    }
    return FeaturePipelineFile.steps(file, steps);
  }

  private static ExpectationSuite suite(String location, YamlFields top) {
    String path = top.string("predictions_suite");
    if (path == null) {
      return null;
    }
    String resolved = FeaturePipelineFile.relativeTo(location, path);
    try {
      return SuiteFiles.load(resolved);
    } catch (LakelineException.NotFound e) {
      throw Errors.notFound("%s: the expectation suite file '%s' does not exist (looked for at %s; a relative path is taken "
          + "from the model file's folder).", top.where("predictions_suite"), path, resolved);
    } catch (LakelineException.ConfigError e) {
      throw Errors.config(e, "%s: %s", top.where("predictions_suite"), e.getMessage());
    }
  }
}
