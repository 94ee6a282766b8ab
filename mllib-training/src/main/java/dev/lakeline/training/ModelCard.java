package dev.lakeline.training;

import dev.lakeline.featurestore.ModelTransformation;
import dev.lakeline.featurestore.SplitSpec;
import dev.lakeline.featurestore.SplitStatistics;
import dev.lakeline.featurestore.TrainingDataset;
import dev.lakeline.featurestore.TrainingDatasetManifest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.types.StructType;

/**
 * Everything recorded about a model version: how it was trained, on what, and how well it did. Cards are JSON files
 * ({@code model.json}); one written before a field existed reads with that field null ("not recorded").
 *
 * @param runKey identifies the training run's inputs; a rerun with the same key reuses the version
 * @param algorithm the MLlib estimator
 * @param params its parameters
 * @param metrics test metrics (areaUnderROC, areaUnderPR, accuracy, ...)
 * @param trainingDataset the training dataset's folder
 * @param sourceVersions the Delta version of every feature group the training dataset read
 * @param features the input feature columns
 * @param label the label column
 * @param logicalDate the logical date of the training run
 * @param versions Lakeline (and the commit it was built from), Spark, Delta and Java versions at training time
 * @param runId the job run that trained it ({@code lakeline runs show <id>}), or null (trained from a notebook, or
 *     before Lakeline recorded runs)
 * @param inputs the input schema: every feature column with its Spark type, its kind and its declared model-dependent
 *     transformation, in feature order; null when not recorded (a card written before Lakeline recorded it)
 * @param trainingData how the training rows were chosen and split; null when not recorded
 */
public record ModelCard(
    String runKey,
    String algorithm,
    Map<String, String> params,
    Map<String, Double> metrics,
    String trainingDataset,
    Map<String, Long> sourceVersions,
    List<String> features,
    String label,
    String logicalDate,
    Map<String, String> versions,
    String runId,
    List<Input> inputs,
    TrainingData trainingData) {

  /** The {@link Input#kind()} of a numeric feature. */
  public static final String NUMERIC = "numeric";

  /** The {@link Input#kind()} of a categorical feature. */
  public static final String CATEGORICAL = "categorical";

  /**
   * One input column of the model.
   *
   * @param name the column
   * @param type its Spark type as Spark writes it ({@code double}, {@code string}, {@code decimal(10,2)})
   * @param kind {@code numeric} (nulls imputed with the training median) or {@code categorical} (indexed and one-hot
   *     encoded unless the transformation says otherwise)
   * @param transformation the declared model-dependent transformation ({@code standard_scaler}, {@code label_encoder},
   *     ...; {@link ModelTransformation}), or null when none was declared
   */
  public record Input(String name, String type, String kind, String transformation) {}

  /**
   * How the training dataset's rows were chosen and split.
   *
   * @param filter the SQL filter of the base rows (for a training job, the event-time window and a known label)
   * @param eventTime the base group's event-time column
   * @param earliest the earliest event time of the dataset's rows (ISO-8601), or null when it has none
   * @param latest the latest event time of the dataset's rows, or null
   * @param split how the rows were divided into train, validation and test ({@link SplitSpec#describe()})
   * @param seed the seed of the split
   */
  public record TrainingData(String filter, String eventTime, String earliest, String latest, SplitSpec split, long seed) {}

  /** A card without input schema and training data (as cards were written before they were recorded). */
  public ModelCard(
      String runKey,
      String algorithm,
      Map<String, String> params,
      Map<String, Double> metrics,
      String trainingDataset,
      Map<String, Long> sourceVersions,
      List<String> features,
      String label,
      String logicalDate,
      Map<String, String> versions,
      String runId) {
    this(runKey, algorithm, params, metrics, trainingDataset, sourceVersions, features, label, logicalDate, versions, runId,
        null, null);
  }

  /** A card without a run id: trained outside a Lakeline job. */
  public ModelCard(
      String runKey,
      String algorithm,
      Map<String, String> params,
      Map<String, Double> metrics,
      String trainingDataset,
      Map<String, Long> sourceVersions,
      List<String> features,
      String label,
      String logicalDate,
      Map<String, String> versions) {
    this(runKey, algorithm, params, metrics, trainingDataset, sourceVersions, features, label, logicalDate, versions, null);
  }

  /**
   * The card of a model {@code trained} from {@code spec} on {@code dataset}: the one place a card is made, for the
   * training job and for notebooks alike.
   *
   * @param runKey the key of the training's inputs (a rerun with the same key reuses the version)
   * @param trainedOn the columns the model was fitted on: the dataset's train split, after any steps computed on it
   *     (their schema only; nothing is computed)
   * @param logicalDate the date the training stands for
   * @param runId the job run, or null from a notebook
   */
  public static ModelCard of(String runKey, TrainingDataset dataset, StructType trainedOn, TrainingSpec spec,
      Trainer.Trained trained, String logicalDate, String runId) {
    List<String> features = new ArrayList<>(spec.numericFeatures());
    features.addAll(spec.categoricalFeatures());
    List<Input> inputs = new ArrayList<>();
    for (String f : features) {
      ModelTransformation t = spec.transformations().get(f);
      inputs.add(new Input(f, trainedOn.apply(f).dataType().simpleString(),
          spec.numericFeatures().contains(f) ? NUMERIC : CATEGORICAL, t == null ? null : t.toString()));
    }
    TrainingDatasetManifest m = dataset.manifest();
    // the statistics' times of every split, as they wrote them (a date for a DATE column), compared as instants
    List<String> times = new ArrayList<>();
    for (SplitStatistics s : m.statistics().values()) {
      times.add(s.eventTimeMin());
      times.add(s.eventTimeMax());
    }
    times.removeIf(Objects::isNull);
    java.util.Comparator<String> byTime = java.util.Comparator.comparing(ModelCard::instant,
        java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
    TrainingData data = new TrainingData(m.identity().filter(), m.spine().eventTime(),
        times.stream().min(byTime).orElse(null), times.stream().max(byTime).orElse(null), m.identity().split(),
        m.identity().seed());
    return new ModelCard(runKey, spec.algorithm(), trained.params(), trained.metrics(), dataset.path(),
        m.identity().sourceVersions(), features, spec.label(), logicalDate, dev.lakeline.core.Versions.all(), runId,
        inputs, data);
  }

  /**
   * An event time of the statistics as an instant: an instant (TIMESTAMP), a local date-time (TIMESTAMP_NTZ, taken as
   * UTC) or a date (DATE); null for anything else.
   */
  private static Instant instant(String time) {
    try {
      return Instant.parse(time);
    } catch (java.time.format.DateTimeParseException notAnInstant) {
      try {
        return java.time.LocalDateTime.parse(time).toInstant(ZoneOffset.UTC);
      } catch (java.time.format.DateTimeParseException notALocalTime) {
        try {
          return LocalDate.parse(time).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (java.time.format.DateTimeParseException notADate) {
          return null;
        }
      }
    }
  }
}
