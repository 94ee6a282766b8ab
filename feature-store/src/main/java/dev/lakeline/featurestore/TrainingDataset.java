package dev.lakeline.featurestore;

import static org.apache.spark.sql.functions.col;

import dev.lakeline.core.storage.LakeFiles;
import dev.lakeline.core.storage.StorageLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A materialised, immutable training dataset: a Delta table plus its manifest. */
public final class TrainingDataset {
  static final String MANIFEST = "manifest.json";

  private final SparkSession spark;
  private final String dir;
  private final TrainingDatasetManifest manifest;
  private final boolean existed;

  TrainingDataset(SparkSession spark, String dir, TrainingDatasetManifest manifest) {
    this(spark, dir, manifest, true);
  }

  private TrainingDataset(SparkSession spark, String dir, TrainingDatasetManifest manifest, boolean existed) {
    this.spark = spark;
    this.dir = dir;
    this.manifest = manifest;
    this.existed = existed;
  }

  /** The dataset just written by {@link FeatureView#createTrainingDataset}. */
  static TrainingDataset written(SparkSession spark, String dir, TrainingDatasetManifest manifest) {
    return new TrainingDataset(spark, dir, manifest, false);
  }

  /**
   * False only for the dataset {@link FeatureView#createTrainingDataset} has just written; true when it found the
   * dataset already made (the same definition, from the same Delta versions) and when the dataset was opened.
   */
  public boolean existed() {
    return existed;
  }

  /** Its Delta table ({@code data/} under {@link #path}). */
  public String dataPath() {
    return dir + "/data";
  }

  /** Opens {@code td<number>} of a view version, or returns null when it is absent or incomplete. */
  static TrainingDataset open(SparkSession spark, StorageLayout layout, String view, int version, int number) {
    String dir = layout.trainingDataset(view, version, number);
    LakeFiles files = LakeFiles.of(spark);
    if (!files.exists(dir + "/" + MANIFEST)) {
      return null;
    }
    return new TrainingDataset(
        spark, dir, Json.read(files.read(dir + "/" + MANIFEST), TrainingDatasetManifest.class, dir + "/" + MANIFEST));
  }

  public TrainingDatasetManifest manifest() {
    return manifest;
  }

  /** The dataset's folder: {@code data/} (Delta) and {@code manifest.json}. */
  public String path() {
    return dir;
  }

  /** A short name, "view v1 td3". */
  public String label() {
    return manifest.identity().view() + " v" + manifest.identity().viewVersion() + " td" + manifest.number();
  }

  /**
   * Its rows per split over event time, a histogram of every numeric feature per split ({@code bins} equal-width bins
   * over the range of all splits), and the mean of every numeric label per split: what a report draws. Three small
   * Spark jobs over the stored rows.
   */
  public TrainingDatasetProfile profile(int bins) {
    return TrainingDatasetProfile.of(read(), manifest, bins);
  }

  public Dataset<Row> read() {
    return spark.read().format("delta").load(dataPath());
  }

  /** The rows of one split ({@link SplitSpec#TRAIN}, {@link SplitSpec#VALIDATION} or {@link SplitSpec#TEST}). */
  public Dataset<Row> split(String name) {
    return read().where(col(FeatureView.SPLIT).equalTo(name));
  }

  public Dataset<Row> train() {
    return split(SplitSpec.TRAIN);
  }

  /** The validation rows (none when the split has no validation share). */
  public Dataset<Row> validation() {
    return split(SplitSpec.VALIDATION);
  }

  public Dataset<Row> test() {
    return split(SplitSpec.TEST);
  }
}
