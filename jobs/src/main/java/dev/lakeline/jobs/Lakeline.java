package dev.lakeline.jobs;

import dev.lakeline.core.Errors;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.Versions;
import dev.lakeline.core.spark.SparkSessions;
import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.featurestore.FeatureGroup;
import dev.lakeline.featurestore.FeatureGroupSpec;
import dev.lakeline.featurestore.FeatureStore;
import dev.lakeline.featurestore.FeatureView;
import dev.lakeline.featurestore.FeatureViewFiles;
import dev.lakeline.featurestore.FeatureViewSpec;
import dev.lakeline.featurestore.InsertOptions;
import dev.lakeline.featurestore.InsertResult;
import dev.lakeline.featurestore.TrainingDataset;
import dev.lakeline.featurestore.TrainingDatasetOptions;
import dev.lakeline.jobs.lineage.Lineage;
import dev.lakeline.training.BatchScorer;
import dev.lakeline.training.Drift;
import dev.lakeline.training.DriftBaseline;
import dev.lakeline.training.DriftThresholds;
import dev.lakeline.training.FeatureDrift;
import dev.lakeline.training.ModelCard;
import dev.lakeline.training.ModelRegistry;
import dev.lakeline.training.ModelVersion;
import dev.lakeline.training.PermutationImportance;
import dev.lakeline.training.Trainer;
import dev.lakeline.training.TrainingSpec;
import dev.lakeline.validation.SuiteFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Lakeline in one object, for notebooks: every step of the loop is one call with plain Java arguments (strings,
 * numbers, {@code java.util.List}, Spark's {@code Dataset<Row>}), so it reads the same from PySpark's JVM gateway
 * ({@code spark._jvm}), a Scala cell or Java.
 *
 * <pre>{@code
 * Lakeline lake = Lakeline.open(spark, "/Volumes/main/ml/lakehouse");
 * lake.createFeatureGroup("loans", 1, List.of("loan_id"), "issue_ts", loans.schema(), suiteYaml);
 * lake.insert("loans", 1, loans, "loans:2024-06-30");                    // through the gate, exactly once
 * lake.createFeatureView(viewYaml);                                     // the format of `lakeline fv create`
 * TrainingDataset td = lake.createTrainingDataset("loan_default", 1, "issue_ts < '2024-06-01'", 0.2, 42);
 * ModelVersion model = lake.train("loan_default", td, spec, "2024-06-30");
 * Dataset<Row> scored = lake.score(lake.model("loan_default", "latest"),
 *     lake.batchData("loan_default", 1, "issue_ts >= '2024-06-01'"), List.of("loan_id"));
 * lake.modelFile("conf/models/churn.yaml", "churn").train("2024-03-01");   // what `lakeline train` does
 * }</pre>
 *
 * It adds no behaviour of its own: each method is a thin call into {@link FeatureStore}, {@link FeatureGroup},
 * {@link FeatureView}, {@link ModelRegistry}, {@link Trainer}, {@link BatchScorer} and the jobs' pipelines ({@link
 * #modelFile}), which {@link #featureStore()}
 * and {@link #registry()} expose for everything beyond it. It never creates or stops a session.
 */
public final class Lakeline {
  private final SparkSession spark;
  private final StorageLayout layout;

  private Lakeline(SparkSession spark, StorageLayout layout) {
    this.spark = spark;
    this.layout = layout;
  }

  /**
   * Opens the lakehouse under {@code root} ({@code /path}, {@code s3://…}, {@code abfss://…}, {@code dbfs:/…} or
   * {@code /Volumes/…}) with the notebook's session. Nothing is created until something is written.
   *
   * @throws dev.lakeline.core.LakelineException.ConfigError when the root is blank, or the session lacks Delta's SQL
   *     extension (set {@code spark.sql.extensions} and {@code spark.sql.catalog.spark_catalog} when starting it;
   *     Databricks provides Delta itself)
   */
  public static Lakeline open(SparkSession spark, String root) {
    if (spark == null) {
      throw Errors.config("Lakeline.open needs the notebook's SparkSession (spark._jsparkSession from PySpark).");
    }
    if (root == null || root.isBlank()) {
      throw Errors.config("Lakeline.open needs the lakehouse root: a folder, s3://…, abfss://…, dbfs:/… or /Volumes/….");
    }
    String extensions = spark.conf().get("spark.sql.extensions", "");
    if (!SparkSessions.onDatabricks() && !extensions.contains(SparkSessions.DELTA_EXTENSION)) {
      throw Errors.config(
          "The session has no Delta Lake extension (spark.sql.extensions is '%s'). Start it with "
              + "spark.sql.extensions=%s and spark.sql.catalog.spark_catalog=%s, and the Lakeline jar in spark.jars.",
          extensions, SparkSessions.DELTA_EXTENSION, SparkSessions.DELTA_CATALOG);
    }
    return new Lakeline(spark, new StorageLayout(root));
  }

  /** The lakehouse root, absolute for local folders. */
  public String root() {
    return layout.root();
  }

  public SparkSession spark() {
    return spark;
  }

  /** The feature store of this lakehouse: feature groups, views and training datasets, with every option. */
  public FeatureStore featureStore() {
    return FeatureStore.open(spark, layout);
  }

  /** The model registry of this lakehouse. */
  public ModelRegistry registry() {
    return ModelRegistry.open(spark, layout);
  }

  /**
   * Where model {@code name}'s version {@code reference} (a number, latest, @alias, best:metric) came from: its training
   * dataset, the Delta version of every group it read with their three latest commits up to it, and the dates it
   * scored ({@code lakeline lineage model}).
   */
  public Lineage.ModelLineage lineage(String name, String reference) {
    return lineage().ofModel(require(name, "name"), require(reference, "reference"), 3);
  }

  /**
   * What feature group {@code name} v{@code version} fed from Delta version {@code fromDeltaVersion} on (its rows, as row
   * tracking tells), or at any version when it is negative: training datasets, the model versions trained on them, and
   * predictions ({@code lakeline lineage group}).
   */
  public Lineage.Impact impact(String name, int version, long fromDeltaVersion) {
    return lineage().ofGroup(require(name, "name"), version, fromDeltaVersion < 0 ? null : fromDeltaVersion);
  }

  private Lineage lineage() {
    return Lineage.of(spark, layout, featureStore(), registry());
  }

  /** {@code value}, or a config error naming the argument when it is null (None from Python). */
  private static String require(String value, String argument) {
    if (value == null) {
      throw Errors.config("The lineage needs its %s, got null.", argument);
    }
    return value;
  }

  /**
   * Creates feature group {@code name} v{@code version} with the columns of {@code schema} (for example {@code
   * df.schema()}), or returns it when it exists with the same definition. Every batch must then pass the key
   * contract: {@code primaryKey} (with the event time) never null and unique.
   *
   * @param eventTime the event-time column, or null for a group without time (joined on key alone)
   */
  public FeatureGroup createFeatureGroup(String name, int version, List<String> primaryKey, String eventTime, StructType schema) {
    return createFeatureGroup(name, version, primaryKey, eventTime, schema, null);
  }

  /**
   * As {@link #createFeatureGroup(String, int, List, String, StructType)}, with an expectation suite that gates every
   * batch.
   *
   * @param suiteYaml the suite's text in the layout of {@code conf/expectations/*.yaml} (Great Expectations names,
   *     optional {@code policy: strict|always|quarantine}), or null for none
   */
  public FeatureGroup createFeatureGroup(
      String name, int version, List<String> primaryKey, String eventTime, StructType schema, String suiteYaml) {
    if (schema == null) {
      throw Errors.config("Feature group '%s' needs a schema: pass the schema of a DataFrame (df.schema()).", name);
    }
    FeatureGroupSpec spec = new FeatureGroupSpec(name, version, primaryKey, eventTime, List.of(), "", null);
    if (suiteYaml != null && !suiteYaml.isBlank()) {
      spec = spec.withSuite(SuiteFiles.parse("the expectation suite of feature group " + name, suiteYaml));
    }
    return featureStore().createFeatureGroup(spec, schema);
  }

  /** Feature group {@code name} v{@code version}; not found if it was never created. */
  public FeatureGroup featureGroup(String name, int version) {
    return featureStore().getFeatureGroup(name, version);
  }

  /**
   * Appends {@code batch} to feature group {@code name} v{@code version} through its gate (schema, key contract,
   * suite). {@code batchId} names the batch (for example {@code loans:2024-06-30}): inserting the same batch again
   * commits nothing and returns {@code skipped() == true}.
   *
   * @throws dev.lakeline.core.LakelineException.DataRejected when the gate rejects the batch; nothing is written
   */
  public InsertResult insert(String name, int version, Dataset<Row> batch, String batchId) {
    return featureGroup(name, version).insert(batch, InsertOptions.append(batchId));
  }

  /** As {@link #insert}, but rows whose primary key and event time exist are replaced (a Delta MERGE). */
  public InsertResult upsert(String name, int version, Dataset<Row> batch, String batchId) {
    return featureGroup(name, version).insert(batch, InsertOptions.upsert(batchId));
  }

  /**
   * Creates a feature view from its definition, or returns it when it exists with the same definition.
   *
   * @param definitionYaml the view in the YAML format of {@code lakeline fv create --file} (name, version, base,
   *     features, labels, joins; see {@link FeatureViewFiles})
   */
  public FeatureView createFeatureView(String definitionYaml) {
    if (definitionYaml == null || definitionYaml.isBlank()) {
      throw Errors.config("createFeatureView needs the view's YAML definition (name, base, features, labels, joins).");
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("lakeline-");
      Path file = Files.writeString(dir.resolve("feature-view.yaml"), definitionYaml, StandardCharsets.UTF_8);
      FeatureViewSpec spec;
      try {
        spec = FeatureViewFiles.load(file);
      } catch (LakelineException.ConfigError e) {
        // the messages name the file they read: here a temporary copy the notebook never saw
        String message = e.getMessage().replace(file.toString(), "the feature view definition");
        throw Errors.config(e, "%s", Character.toUpperCase(message.charAt(0)) + message.substring(1));
      }
      return featureStore().createFeatureView(spec);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot stage the feature view definition in a temporary file", e);
    } finally {
      deleteQuietly(dir);
    }
  }

  /** Feature view {@code name} v{@code version}. */
  public FeatureView featureView(String name, int version) {
    return featureStore().getFeatureView(name, version);
  }

  /**
   * Materialises a training dataset of a view: the base rows matching {@code filter} (SQL; null for all), features
   * joined point-in-time, and a seeded random train/test split with {@code testFraction} of the rows in test. The
   * same arguments on the same data return the existing dataset.
   */
  public TrainingDataset createTrainingDataset(String view, int version, String filter, double testFraction, long seed) {
    return createTrainingDataset(view, version, new TrainingDatasetOptions(filter, testFraction, seed));
  }

  /** As above with any split ({@code SplitSpec.random}, {@code byTime} or {@code byEntity}). */
  public TrainingDataset createTrainingDataset(String view, int version, TrainingDatasetOptions options) {
    if (options == null) {
      throw Errors.config("createTrainingDataset needs its options: new TrainingDatasetOptions(filter, testFraction, seed), got null.");
    }
    return featureView(view, version).createTrainingDataset(options);
  }

  /** Training dataset {@code td<number>} of view {@code view} v{@code version}. */
  public TrainingDataset trainingDataset(String view, int version, int number) {
    return featureStore().getTrainingDataset(view, version, number);
  }

  /**
   * Batch-inference data of a view: the base rows matching {@code filter} (SQL; null for all), each with the
   * features valid at its own event time, labels left out; the same code path as training data.
   */
  public Dataset<Row> batchData(String view, int version, String filter) {
    return featureView(view, version).batchData(filter).data();
  }

  /**
   * Applies the transformation library's steps to {@code rows}: {@code stepsYaml} is YAML text with a top-level
   * {@code steps} list, as in a feature pipeline's file or {@code conf/on_demand/} ({@code PipelineSteps}). The steps
   * are checked against the rows' schema first; a step that names a missing column is a ConfigError naming it.
   */
  public Dataset<Row> transform(Dataset<Row> rows, String stepsYaml) {
    if (rows == null || stepsYaml == null) {
      throw Errors.config("transform needs %s, got null.", rows == null
          ? "the rows to transform: a DataFrame"
          : "the steps: YAML text with a top-level 'steps' list (see docs/transformations.md)");
    }
    return dev.lakeline.transformations.PipelineSteps.fromYaml(stepsYaml).apply(rows);
  }

  /**
   * Trains {@code spec} on the dataset's train split, evaluates it on its test split and registers it as the next
   * version of {@code model}. A spec whose threshold is chosen ({@code spec.withThresholdChoice(ThresholdChoice.bestF1())})
   * chooses it on the dataset's validation split. Training again from the same dataset and spec returns the version
   * trained the first time instead of registering another.
   *
   * @param logicalDate the date the training stands for, {@code YYYY-MM-DD}, recorded in the model card (never the
   *     clock)
   */
  public ModelVersion train(String model, TrainingDataset dataset, TrainingSpec spec, String logicalDate) {
    if (dataset == null || spec == null) {
      throw Errors.config("train needs a training dataset and a TrainingSpec (algorithm, features, label, seed).");
    }
    String date = checkDate(logicalDate);
    ModelRegistry registry = registry();
    String runKey = runKey(dataset, spec);
    Optional<ModelVersion> existing =
        registry.findTrainedFrom(model, runKey, dataset.path(), path -> runKey(path, dataset, spec));
    if (existing.isPresent()) {
      return existing.get();
    }
    Dataset<Row> train = dataset.train();
    Trainer.Trained trained = Trainer.train(train, spec.thresholdChoice().fromValidation() ? dataset.validation() : null,
        dataset.test(), spec);
    ModelCard card = ModelCard.of(runKey, dataset, train.schema(), spec, trained, date, null);
    DriftBaseline baseline = DriftBaseline.of(train, spec.numericFeatures(), spec.categoricalFeatures(), trained.scores());
    return registry.register(model, trained, card, baseline);
  }

  /**
   * The drift of {@code batch} (the model's input columns, and {@code score} if scored) against the training data of
   * {@code model}: per feature and for the scores, the population stability index, the largest gap between the shares,
   * the null rates and a status ({@link DriftThresholds#DEFAULT}: {@code warn} from PSI 0.1, {@code alert} from 0.25,
   * {@code few_rows} under 200 rows). One Spark job over the batch.
   */
  public List<FeatureDrift> drift(ModelVersion model, Dataset<Row> batch) {
    if (model == null || batch == null) {
      throw Errors.config("drift needs a model version and a batch: lake.drift(lake.model(name, \"latest\"), features).");
    }
    DriftBaseline baseline = registry().baseline(model).orElseThrow(() -> Errors.notFound(
        "Model %s was registered without a drift baseline (by hand, or before Lakeline kept one); train a new version to get one.",
        model.label()));
    return Drift.measure(baseline, batch, DriftThresholds.DEFAULT);
  }

  /**
   * Which features {@code model} leans on: its permutation importance on {@code rows} (labelled rows with the model's
   * input columns, which it was not trained on: its training dataset's {@code test()}). The rows are scored as they
   * are, then once per feature with that feature's values shuffled 5 times; a feature's importance is how much the AUC
   * drops. At most 20,000 rows (a seeded sample), seed 42: {@link PermutationImportance#measure} takes others.
   * {@code modelFile(file, name).importance(ref)} measures a version on its own test split.
   *
   * @return {@code auc()}, {@code rows()} and {@code features()}, most important first: {@code feature()}, {@code drop()},
   *     {@code sd()}
   */
  public PermutationImportance.Result importance(ModelVersion model, Dataset<Row> rows) {
    if (model == null || rows == null) {
      throw Errors.config("importance needs %s: lake.importance(lake.model(name, \"latest\"), dataset.test()).",
          model == null ? "a model version" : "the labelled rows to measure on");
    }
    return PermutationImportance.measure(model.load(), rows, model.card().features(), model.card().label());
  }

  /**
   * A model version by reference: a version number ({@code "3"}), {@code "latest"}, an alias ({@code "@champion"}) or
   * the best by a test metric ({@code "best:areaUnderROC"}).
   */
  public ModelVersion model(String name, String reference) {
    if (reference == null || reference.isBlank()) {
      throw Errors.config("Name the version of model %s to load: a number, 'latest', '@alias' or 'best:<metric>'.", name);
    }
    return registry().resolve(name, reference);
  }

  /** Model {@code name} at an exact version. */
  public ModelVersion model(String name, int version) {
    return registry().get(name, version);
  }

  /**
   * Scores {@code features} with {@code model}: the {@code keep} columns plus {@code score} (probability of the
   * positive class), {@code prediction} (0/1), {@code model_name} and {@code model_version}.
   */
  public Dataset<Row> score(ModelVersion model, Dataset<Row> features, List<String> keep) {
    if (model == null) {
      throw Errors.config("score needs a model version: lake.model(name, \"latest\").");
    }
    if (features == null || keep == null) {
      throw Errors.config("score needs %s, got null.", features == null
          ? "the features to score: a DataFrame such as lake.batchData(view, version, filter)"
          : "keepColumns: the list of columns to keep beside the score (an empty list for none)");
    }
    List<String> columns = List.of(features.columns());
    for (String c : keep) {
      if (!columns.contains(c)) {
        throw Errors.missingColumn("Scoring with " + model.label(), c, columns);
      }
    }
    return BatchScorer.score(model, features, keep);
  }

  /**
   * The {@code train}, {@code infer} and {@code monitor} jobs of a model file (docs/model-registry.md, "Your own model"),
   * as model {@code name} of the registry: {@code lake.modelFile("conf/models/churn.yaml", "churn").train("2024-03-01")}
   * does what {@code lakeline train --date 2024-03-01 --model-file conf/models/churn.yaml --set model.name=churn} does,
   * with the same configuration, checks and run keys, so a notebook and a job reuse each other's versions.
   *
   * @param location the model file's path, or {@code classpath:<resource>} for one bundled in a jar ({@code
   *     classpath:lakeline-conf/models/loan_default.yaml}: the demo's)
   * @throws dev.lakeline.core.LakelineException.ConfigError when the file has a mistake (it is loaded and checked here)
   */
  public ModelFileJobs modelFile(String location, String name) {
    return ModelFileJobs.of(spark, layout.root(), location, name);
  }

  @Override
  public String toString() {
    return "Lakeline(" + layout.root() + ")";
  }

  static String checkDate(String logicalDate) {
    try {
      return LocalDate.parse(logicalDate == null ? "" : logicalDate.trim()).toString();
    } catch (DateTimeParseException e) {
      throw Errors.config(
          "The logical date '%s' is not a date: give the day the run stands for as YYYY-MM-DD (Lakeline never reads the clock).",
          logicalDate);
    }
  }

  /**
   * A digest of what determines the trained model: the dataset (by its label, not its path, so a copied lakehouse or
   * another URI of it reuses the version), its identity, the spec and Lakeline's version.
   */
  private static String runKey(TrainingDataset dataset, TrainingSpec spec) {
    return runKey(dataset.label(), dataset, spec);
  }

  /** The key with the dataset named by {@code name}; earlier keys named it by its path (still matched on a rerun). */
  private static String runKey(String name, TrainingDataset dataset, TrainingSpec spec) {
    String material = "notebook|" + name + "|" + dataset.manifest().identity() + "|" + spec + "|" + Versions.lakeline();
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temporary file is harmless
    }
  }
}
