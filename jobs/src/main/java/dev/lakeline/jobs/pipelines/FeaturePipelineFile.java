package dev.lakeline.jobs.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakeline.core.Durations;
import dev.lakeline.core.Errors;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.Names;
import dev.lakeline.core.config.ConfigLoader;
import dev.lakeline.core.delta.WriteMode;
import dev.lakeline.featurestore.FeatureGroupSpec;
import dev.lakeline.jobs.pipelines.GroupTarget.OutputColumn;
import dev.lakeline.jobs.pipelines.SourceSpec.Rows;
import dev.lakeline.transformations.Pipeline;
import dev.lakeline.transformations.Step;
import dev.lakeline.transformations.Steps;
import dev.lakeline.validation.ExpectationSuite;
import dev.lakeline.validation.SuiteFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.types.StructType;

/**
 * Loads a feature pipeline file (docs/feature-pipelines.md) strictly: unknown fields, missing or mistyped values,
 * unknown steps or parameters, and combinations that cannot work (a window longer than the lookback, a mode that
 * would duplicate or lose rows for the date semantics) are configuration errors naming the file and the field.
 * Nothing here reads data. When the source's schema is declared, the steps and the groups' plain columns are checked
 * against it here (so a dry run finds a step reading an undeclared column); {@link FeaturePipeline#validate} then
 * checks the whole pipeline against the schema the source has.
 */
public final class FeaturePipelineFile {
  private static final ObjectMapper YAML = YamlFields.YAML;
  private static final List<String> TOP = List.of("name", "description", "source", "steps", "feature_groups");
  private static final List<String> GROUP = List.of(
      "name", "version", "primary_key", "event_time", "partition_columns", "description", "suite", "mode", "columns");

  private FeaturePipelineFile() {}

  /** Loads the pipeline at {@code location}: a file path, or {@code classpath:<resource>} for a bundled one. */
  public static FeaturePipeline load(String location) {
    return parse(location, read(location));
  }

  /** Parses pipeline text; {@code location} names it in messages and anchors relative suite paths. */
  public static FeaturePipeline parse(String location, String text) {
    YamlFields top = YamlFields.top(location, text, "name, source, steps and feature_groups");
    top.onlyKnown(TOP);
    String name = top.requiredString("name");
    try {
      Names.check("feature pipeline", name);
    } catch (LakelineException.ConfigError e) {
      throw top.error("name", "%s", e.getMessage());
    }
    SourceSpec source = SourceFile.parse(top.object("source", true));
    Pipeline steps = steps(location, top.raw("steps"));
    List<YamlFields> groupNodes = top.objects("feature_groups");
    if (groupNodes.isEmpty()) {
      throw top.error("feature_groups", "is required: list the feature groups the pipeline writes (name, primary_key, ...).");
    }
    List<GroupTarget> groups = new ArrayList<>();
    for (YamlFields g : groupNodes) {
      groups.add(group(location, g, source));
    }
    checkWindows(top, source, steps);
    if (source.schema() != null) {
      checkDeclared(location, source, steps, groups);
    }
    return new FeaturePipeline(name, top.string("description") == null ? "" : top.string("description"), location, source, steps, groups);
  }

  /**
   * The location of a pipeline named on the command line: {@code classpath:<resource>} or an existing file as
   * given; a bare name is {@code conf/pipelines/<name>.yaml} when that file exists, else the bundled pipeline of
   * that name.
   */
  public static String resolve(String ref) {
    if (ref.startsWith(ConfigLoader.CLASSPATH) || Files.isRegularFile(Path.of(ref)) || !ref.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
      return ref;
    }
    Path local = Path.of("conf", "pipelines", ref + ".yaml");
    if (Files.isRegularFile(local)) {
      return local.toString();
    }
    String bundled = ConfigLoader.CLASSPATH + "lakeline-conf/pipelines/" + ref + ".yaml";
    if (FeaturePipelineFile.class.getClassLoader().getResource(bundled.substring(ConfigLoader.CLASSPATH.length())) == null) {
      throw Errors.notFound(
          "No pipeline named '%s': neither %s nor a bundled one exists. Pass the path of a pipeline file.", ref, local);
    }
    return bundled;
  }

  /** Whether the YAML file at {@code location} looks like a pipeline file (it has a source or feature groups). */
  public static boolean isPipelineFile(String location) {
    try {
      JsonNode root = YAML.readTree(read(location));
      return root != null && root.isObject() && (root.has("feature_groups") || root.has("source"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** A {@code name: <SQL expression>} column whose expression does not parse: found as the file loads (so by --dry-run). */
  private static void requireExpression(YamlFields g, String field, OutputColumn column) {
    try {
      CatalystSqlParser$.MODULE$.parseExpression(column.expression());
    } catch (Exception e) { // Spark's ParseException is checked in Java's eyes but not declared
      if (!(e instanceof ParseException)) {
        throw e;
      }
      String reason = String.valueOf(e.getMessage()).lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
      throw g.error(field, "'%s: %s' is not a SQL expression: %s Fix the expression (a SQL expression over the steps' "
          + "output columns, e.g. 'amount > 500').", column.name(), column.expression(), reason);
    }
  }

  static String read(String location) {
    return read(location, "Feature pipeline");
  }

  /** The text at {@code location} (a path or {@code classpath:<resource>}); {@code what} names it in messages. */
  static String read(String location, String what) {
    return dev.lakeline.core.TextFiles.read(location, what);
  }

  static Pipeline steps(String location, JsonNode node) {
    if (node == null) {
      return new Pipeline(List.of());
    }
    if (!node.isArray()) {
      throw Errors.config("%s: steps: must be a list of steps, each a mapping with 'step: <name>' and its parameters.", location);
    }
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String where = location + ": steps[" + (i + 1) + "]";
      JsonNode item = node.get(i);
      if (!item.isObject()) {
        throw Errors.config("%s: a step must be a mapping with 'step: <name>' and its parameters.", where);
      }
      Map<String, Object> params = new LinkedHashMap<>(YAML.convertValue(item, Map.class));
      Object name = params.remove("step");
      if (!(name instanceof String stepName)) {
        throw Errors.config("%s: missing 'step: <name>'. Known steps: %s.", where, Steps.names());
      }
      try {
        steps.add(Steps.build(stepName, params));
      } catch (LakelineException.ConfigError e) {
        throw Errors.config(e, "%s: %s", where, e.getMessage());
      }
    }
    return new Pipeline(steps);
  }

  private static GroupTarget group(String location, YamlFields g, SourceSpec source) {
    g.onlyKnown(GROUP);
    String name = g.requiredString("name");
    List<String> key = g.strings("primary_key");
    if (key.isEmpty()) {
      throw g.error("primary_key", "is required: the column(s) that identify an entity.");
    }
    String eventTime = g.string("event_time");
    ExpectationSuite suite = suite(location, g);
    // read before the spec: their own errors already name the file and the field
    int version = g.integer("version", 1);
    List<String> partitions = g.strings("partition_columns");
    String description = g.string("description");
    FeatureGroupSpec spec;
    try {
      spec = new FeatureGroupSpec(name, version, key, eventTime, partitions, description, suite);
    } catch (LakelineException.ConfigError e) {
      throw Errors.config(e, "%s: %s", g.where(), e.getMessage());
    }
    WriteMode dflt = source.rows() == Rows.ON_DATE ? WriteMode.MERGE : WriteMode.OVERWRITE;
    WriteMode mode = g.choice("mode", Map.of("overwrite", WriteMode.OVERWRITE, "append", WriteMode.APPEND, "upsert", WriteMode.MERGE), dflt);
    if (source.rows() == Rows.ON_DATE && mode == WriteMode.OVERWRITE) {
      throw g.error("mode", "overwrite would replace the whole group with one date's rows (rows: on_date). Use append or upsert.");
    }
    if (source.rows() != Rows.ON_DATE && mode == WriteMode.APPEND) {
      throw g.error("mode", "append would add the whole history again on every run (rows: %s). Use overwrite or upsert, "
          + "or read one date per run with rows: on_date.", source.rows().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (source.lookback() != null && eventTime == null) {
      throw g.error("event_time", "is required with a lookback: the run keeps the output rows whose event time is on its date.");
    }
    return new GroupTarget(spec, mode, columns(g));
  }

  /** The group's suite file, relative to the pipeline file; a missing or invalid one names the field and the path. */
  private static ExpectationSuite suite(String location, YamlFields g) {
    String suitePath = g.string("suite");
    if (suitePath == null) {
      return null;
    }
    String resolved = relativeTo(location, suitePath);
    try {
      return SuiteFiles.load(resolved);
    } catch (LakelineException.NotFound e) {
      throw Errors.notFound(
          "%s: the expectation suite file '%s' does not exist (looked for at %s; a relative path is taken from the "
              + "pipeline file's folder). Fix the path, or remove 'suite' to write the group with an empty suite.",
          g.where("suite"), suitePath, resolved);
    } catch (LakelineException.ConfigError e) {
      throw Errors.config(e, "%s: %s", g.where("suite"), e.getMessage());
    }
  }

  private static List<OutputColumn> columns(YamlFields g) {
    JsonNode node = g.raw("columns");
    List<OutputColumn> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (!node.isArray()) {
      throw g.error("columns", "must be a list of column names or 'name: <SQL expression>' entries.");
    }
    if (node.isEmpty()) {
      throw g.error("columns", "is an empty list: a group needs at least one column. List them, or leave 'columns' out "
          + "to take every output column of the steps.");
    }
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode c = node.get(i);
      String field = "columns[" + (i + 1) + "]";
      OutputColumn column;
      if (c.isTextual()) {
        column = new OutputColumn(c.asText(), null);
      } else if (c.isObject() && c.size() == 1 && c.fields().next().getValue().isNull()) {
        String n = c.fields().next().getKey();
        throw g.error(field, "'%s' has no expression (null). Write 'name: <SQL expression>' (a typed null is "
            + "'%s: CAST(NULL AS double)'), or the name alone to take the output column as it is.", n, n);
      } else if (c.isObject() && c.size() == 1 && c.fields().next().getValue().isValueNode()) {
        Map.Entry<String, JsonNode> e = c.fields().next();
        if (e.getValue().asText().isBlank()) {
          throw g.error(field, "'%s' has an empty expression. Write 'name: <SQL expression>', or the name alone.", e.getKey());
        }
        column = new OutputColumn(e.getKey(), e.getValue().asText());
        requireExpression(g, field, column);
      } else {
        throw g.error(field, "must be a column name or one 'name: <SQL expression>' entry, not %s.", YamlFields.kind(c));
      }
      if (column.name().isBlank()) {
        throw g.error(field, "a column's name is empty. Give every column of the group a name.");
      }
      // column names are case-insensitive in Spark and Delta: Amount and amount are the same column
      Integer earlier = seen.putIfAbsent(column.name().toLowerCase(java.util.Locale.ROOT), i + 1);
      if (earlier != null) {
        throw g.error("columns", "the name '%s' is given to columns[%d] and columns[%d] (%s); a group's columns need distinct "
            + "names (case aside). Rename one, e.g. '%s_2: <expression>', or drop it.",
            column.name(), earlier, i + 1, column, column.name());
      }
      out.add(column);
    }
    return out;
  }

  /** {@code path} relative to the folder of the pipeline file (in the jar for a bundled one). */
  static String relativeTo(String location, String path) {
    if (path.startsWith(ConfigLoader.CLASSPATH) || Path.of(path).isAbsolute() || path.contains("://")) {
      return path;
    }
    if (location.startsWith(ConfigLoader.CLASSPATH)) {
      Path parent = Path.of(location.substring(ConfigLoader.CLASSPATH.length())).getParent();
      Path resolved = (parent == null ? Path.of(path) : parent.resolve(path)).normalize();
      return ConfigLoader.CLASSPATH + resolved.toString().replace('\\', '/');
    }
    Path parent = Path.of(location).toAbsolutePath().getParent();
    return parent.resolve(path).normalize().toString();
  }

  /**
   * With a declared source schema, the steps and the groups' plain columns are checked against it here, so that a
   * dry run finds a step reading an undeclared column: the run reads exactly the declared columns.
   */
  private static void checkDeclared(String location, SourceSpec source, Pipeline steps, List<GroupTarget> groups) {
    StructType features = FeaturePipeline.features(location, steps, source.schema());
    for (int i = 0; i < groups.size(); i++) {
      GroupTarget g = groups.get(i);
      for (OutputColumn c : g.columns()) {
        if (c.expression() == null) {
          FeaturePipeline.requireColumn(
              location + ": feature_groups[" + (i + 1) + "] '" + g.spec().name() + "': columns", c.name(), features);
        }
      }
    }
  }

  /** With rows: on_date, the lookback must cover the longest window of the steps. */
  private static void checkWindows(YamlFields top, SourceSpec source, Pipeline steps) {
    if (source.rows() != Rows.ON_DATE) {
      return;
    }
    for (int i = 0; i < steps.steps().size(); i++) {
      Step step = steps.steps().get(i);
      if (!(step.parameters().get("windows") instanceof List<?> windows)) {
        continue;
      }
      for (Object w : windows) {
        Duration length = Durations.parse("steps[" + (i + 1) + "]", String.valueOf(w));
        Duration lookback = source.lookback() == null ? Duration.ZERO : source.lookback();
        if (length.compareTo(lookback) > 0) {
          throw Errors.config(
              "%s: steps[%d] '%s' has a %s window, but with rows: on_date the run reads only its date%s. The windows of "
                  + "the date's first rows would miss earlier events: set source.lookback to at least %s.",
              top.file(), i + 1, step.name(), w,
              source.lookback() == null ? "" : " and a lookback of " + Durations.format(source.lookback()), w);
        }
      }
    }
  }
}
