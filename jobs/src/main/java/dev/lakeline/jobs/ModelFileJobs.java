package dev.lakeline.jobs;

import dev.lakeline.core.Errors;
import dev.lakeline.core.Names;
import dev.lakeline.core.config.ConfigLoader;
import dev.lakeline.core.config.ConfigSources;
import dev.lakeline.core.config.LakelineConfig;
import dev.lakeline.core.config.LakelineKeys;
import dev.lakeline.core.spark.SparkSessions;
import dev.lakeline.jobs.cli.CommonOptions;
import dev.lakeline.jobs.pipelines.InferencePipeline;
import dev.lakeline.jobs.pipelines.ModelDefinition;
import dev.lakeline.jobs.pipelines.ModelFile;
import dev.lakeline.jobs.pipelines.ModelMonitoring;
import dev.lakeline.jobs.pipelines.SameRows;
import dev.lakeline.jobs.pipelines.TrainingPipeline;
import dev.lakeline.training.ModelVersion;
import dev.lakeline.training.PermutationImportance;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code train}, {@code infer} and {@code monitor} jobs of one model file, for notebooks ({@link
 * Lakeline#modelFile}): each call does what {@code lakeline train|infer|monitor --date D --model-file FILE --set
 * model.name=NAME} does, on the notebook's session and lakehouse. The configuration is the jobs': the bundled {@code
 * lakeline.yaml} (or {@link #withConfig}), the environment's {@code LAKELINE_} variables, then {@link #withSetting}; so
 * are the checks, the registry and the run keys, and a notebook and a job reuse each other's training datasets, model
 * versions and predictions. Immutable: {@code withX} returns a new instance. Progress goes to standard output.
 */
public final class ModelFileJobs {
  private final SparkSession spark;
  private final String root;
  private final String configFile;
  private final Map<String, String> settings;
  private final LakelineConfig config;
  private final ModelDefinition definition;

  ModelFileJobs(SparkSession spark, String root, String configFile, Map<String, String> settings) {
    this.spark = spark;
    this.root = root;
    this.configFile = configFile;
    this.settings = Map.copyOf(settings);
    Map<String, String> overrides = new LinkedHashMap<>(settings);
    overrides.put(LakelineKeys.LAKEHOUSE_ROOT.name(), root);
    this.config = ConfigLoader.load(new ConfigSources(configFile, null, System.getenv(), overrides));
    Names.check("model", config.get(LakelineKeys.MODEL_NAME));
    this.definition = ModelFile.load(config.get(LakelineKeys.MODEL_FILE)); // a mistake in the file fails here, not later
  }

  /** The model file {@code location} (a path or {@code classpath:<resource>}) as model {@code name} of the registry. */
  static ModelFileJobs of(SparkSession spark, String root, String location, String name) {
    if (location == null || location.isBlank() || name == null || name.isBlank()) {
      throw Errors.config("modelFile needs %s: lake.modelFile(\"conf/models/churn.yaml\", \"churn\").",
          location == null || location.isBlank() ? "the model file's path (or classpath:<resource>)" : "the model's name in the registry");
    }
    return new ModelFileJobs(spark, root, CommonOptions.BUNDLED_CONFIG,
        Map.of(LakelineKeys.MODEL_FILE.name(), location, LakelineKeys.MODEL_NAME.name(), name));
  }

  /**
   * A copy with configuration key {@code key} set to {@code value}, as {@code --set key=value} does (e.g. {@code
   * training.history-days}, {@code inference.model-version}, {@code monitoring.lookback-days}); {@code lakeline config
   * --keys} lists them. An unknown key or a bad value is a ConfigError.
   */
  public ModelFileJobs withSetting(String key, String value) {
    if (key == null || value == null) {
      throw Errors.config("withSetting needs a configuration key and its value, as --set key=value; got %s=%s.", key, value);
    }
    Map<String, String> s = new LinkedHashMap<>(settings);
    s.put(key, value);
    return new ModelFileJobs(spark, root, configFile, s);
  }

  /** A copy that reads the jobs' configuration file {@code file} (a path or {@code classpath:<resource>}), as {@code --config}. */
  public ModelFileJobs withConfig(String file) {
    if (file == null || file.isBlank()) {
      throw Errors.config("withConfig needs the path of a configuration file (as --config).");
    }
    return new ModelFileJobs(spark, root, file, settings);
  }

  /** The model file, loaded and checked. */
  public ModelDefinition definition() {
    return definition;
  }

  /** The configuration the jobs run with; {@code config().describe()} says where each value came from. */
  public LakelineConfig config() {
    return config;
  }

  /** {@code lakeline train --date logicalDate}: the training dataset, and a new model version unless one was trained from the same inputs. */
  public TrainingPipeline.Result train(String logicalDate) {
    return run("train", logicalDate, TrainingPipeline::run);
  }

  /** {@code lakeline infer --date logicalDate}: the date's slice of the predictions table, and the batch's drift. */
  public InferencePipeline.Result infer(String logicalDate) {
    return run("infer", logicalDate, InferencePipeline::run);
  }

  /** {@code lakeline monitor --date logicalDate}: each run's realised performance, and its drift. */
  public ModelMonitoring.Result monitor(String logicalDate) {
    return run("monitor", logicalDate, ModelMonitoring::run);
  }

  /**
   * {@code lakeline models compare NAME ref other}: the two versions measured on the same rows, as promotion measures
   * them (ref's test split less every row other was trained on): {@code available()}, {@code rows()}, and each
   * version's metrics, {@code candidate()} (ref's) and {@code holder()} (other's).
   *
   * @throws dev.lakeline.core.LakelineException.ConfigError if both name the same version
   */
  public SameRows.Measured compare(String ref, String other) {
    return inContext("models compare", ctx -> {
      ModelVersion a = ctx.registry().resolve(name(), ref);
      ModelVersion b = ctx.registry().resolve(name(), other);
      if (a.version() == b.version()) {
        throw Errors.config("%s and %s are both %s: compare two different versions.", ref, other, a.label());
      }
      return SameRows.measure(ctx, definition, a, b, false);
    });
  }

  /**
   * {@code lakeline models importance NAME ref}: the version's permutation importance on its own test split, with the
   * defaults (5 shuffles per feature, at most 20,000 rows, seed 42): {@code rows()} in words and {@code result()}, whose
   * {@code features()} come most important first.
   */
  public SameRows.Importance importance(String ref) {
    return inContext("models importance", ctx -> SameRows.importance(ctx, definition, ctx.registry().resolve(name(), ref),
        PermutationImportance.DEFAULT_SEED, PermutationImportance.DEFAULT_REPEATS, PermutationImportance.DEFAULT_MAX_ROWS));
  }

  private String name() {
    return config.get(LakelineKeys.MODEL_NAME);
  }

  private <T> T run(String job, String logicalDate, BiFunction<JobContext, LocalDate, T> pipeline) {
    LocalDate date = LocalDate.parse(Lakeline.checkDate(logicalDate));
    return inContext(job + " " + date, ctx -> ctx.summary().stage(job + " " + name(), () -> pipeline.apply(ctx, date)));
  }

  private <T> T inContext(String what, java.util.function.Function<JobContext, T> work) {
    JobSummary summary = new JobSummary(System.out);
    String runId = "notebook-" + UUID.randomUUID();
    try (JobContext ctx = new JobContext(config, new SparkSessions.Handle(spark, false, "notebook session"), summary, runId);
        JobContext.Description described = ctx.describeJobs(what)) {
      ctx.requireLakehouse();
      return work.apply(ctx);
    }
  }

  @Override
  public String toString() {
    return "ModelFileJobs(" + config.get(LakelineKeys.MODEL_NAME) + " from " + config.get(LakelineKeys.MODEL_FILE) + ", " + root + ")";
  }
}
