package dev.lakeline.jobs;

import dev.lakeline.core.config.LakelineConfig;
import dev.lakeline.core.spark.SparkSessions;
import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.featurestore.FeatureStore;
import dev.lakeline.training.ModelRegistry;
import org.apache.spark.sql.SparkSession;

/**
 * What a job runs with: its configuration, the session (created for the embedded default, borrowed otherwise),
 * the lakehouse layout, and a place to report progress and the summary.
 */
public final class JobContext implements AutoCloseable {
  private final LakelineConfig config;
  private final SparkSessions.Handle handle;
  private final StorageLayout layout;
  private final JobSummary summary;
  private final String runId;

  public JobContext(LakelineConfig config, SparkSessions.Handle handle, JobSummary summary, String runId) {
    this.config = config;
    this.handle = handle;
    this.layout = new StorageLayout(config.lakehouseRoot());
    this.summary = summary;
    this.runId = runId;
  }

  /** Obtains the session for {@code config} (see {@link SparkSessions#obtain}); the run has no run id. */
  public static JobContext open(LakelineConfig config, JobSummary summary) {
    return open(config, summary, null);
  }

  /**
   * Obtains the session for {@code config} (see {@link SparkSessions#obtain}) for the run {@code runId}, which the
   * feature groups' commits and validation reports record (null: none).
   */
  public static JobContext open(LakelineConfig config, JobSummary summary, String runId) {
    SparkSessions.Handle handle = SparkSessions.obtain(config);
    if (handle.owned()) {
      handle.session().sparkContext().setLogLevel("WARN");
    }
    return new JobContext(config, handle, summary, runId);
  }

  /** The job run's id (recorded with the feature groups' commits and the job-runs log), or null. */
  public String runId() {
    return runId;
  }

  /**
   * What a job's Delta commit records beside its batch ({@code lakeline.run_id} in the commit's userMetadata), so that
   * a table's history names the run that wrote each version; empty without a run id.
   */
  public java.util.Map<String, String> commitMetadata() {
    return runId == null ? java.util.Map.of() : java.util.Map.of("run_id", runId);
  }

  /**
   * Names the Spark jobs this run starts, in the Spark UI and event logs ({@code spark.job.description}, a property of
   * the calling thread): {@code lakeline <job> · run <id>}, then {@code · <stage>} while a stage of the summary runs.
   * Closing it puts back the description the thread had (a notebook's or a Databricks task's), so a borrowed session is
   * left as it was found.
   */
  public Description describeJobs(String job) {
    org.apache.spark.SparkContext sc = spark().sparkContext();
    String before = sc.getLocalProperty("spark.job.description");
    String base = "lakeline " + job + (runId == null ? "" : " · run " + runId);
    sc.setJobDescription(base);
    summary.onStage(stage -> sc.setJobDescription(stage == null ? base : base + " · " + stage));
    return () -> {
      summary.onStage(stage -> {});
      sc.setJobDescription(before);
    };
  }

  /** Ends {@link #describeJobs}: the thread's job description as it was before. */
  public interface Description extends AutoCloseable {
    @Override
    void close();
  }

  public LakelineConfig config() {
    return config;
  }

  public SparkSession spark() {
    return handle.session();
  }

  public String sessionMode() {
    return handle.mode();
  }

  /** The folders a lakehouse root holds once anything has been written to it. */
  private static final java.util.Set<String> LAKEHOUSE_FOLDERS =
      java.util.Set.of("feature_groups", "feature_views", "training_datasets", "models", "predictions", "_lakeline", "raw");

  /**
   * Not found unless the lakehouse root exists and is empty or holds at least one of Lakeline's folders: for the commands that
   * read what earlier runs wrote, a mistyped {@code --lakehouse} would otherwise look like an empty lakehouse (and a
   * job's failed-run record would start a new one there).
   */
  public void requireLakehouse() {
    String root = layout.root();
    dev.lakeline.core.storage.LakeFiles files = dev.lakeline.core.storage.LakeFiles.of(spark());
    java.util.List<String> entries = files.list(root);
    boolean exists = !entries.isEmpty() || files.exists(root);
    // an empty folder is a lakehouse nothing has been written to yet
    if (!exists || !entries.isEmpty() && entries.stream().noneMatch(LAKEHOUSE_FOLDERS::contains)) {
      throw dev.lakeline.core.Errors.notFound(
          !exists
              ? "The lakehouse %s does not exist. Check --lakehouse (or lakehouse.root); 'lakeline demo', 'lakeline features' "
                  + "and 'lakeline fg create' make one."
              : "%s is not a Lakeline lakehouse: it holds none of feature_groups/, models/, _lakeline/ and the other folders "
                  + "Lakeline writes. Check --lakehouse (or lakehouse.root); 'lakeline demo', 'lakeline features' and "
                  + "'lakeline fg create' make one.",
          root);
    }
  }

  public StorageLayout layout() {
    return layout;
  }

  public JobSummary summary() {
    return summary;
  }

  public FeatureStore featureStore() {
    return FeatureStore.open(spark(), layout)
        .withHistoryRetention(config.get(dev.lakeline.core.config.LakelineKeys.LAKEHOUSE_HISTORY_RETENTION_DAYS));
  }

  public ModelRegistry registry() {
    return ModelRegistry.open(spark(), layout);
  }

  @Override
  public void close() {
    handle.close();
  }
}
