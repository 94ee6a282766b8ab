package dev.lakeline.core.config;

import java.util.List;
import java.util.Map;

/** Every configuration key Lakeline reads, each declared once with its type, default and meaning. */
public final class LakelineKeys {
  private LakelineKeys() {}

  public static final ConfigKey<String> LAKEHOUSE_ROOT =
      ConfigKey.string(
          "lakehouse.root",
          "./lakehouse",
          "Root URI of the lakehouse: a local folder, s3://, abfss://, dbfs:/ or /Volumes/ path.");

  public static final ConfigKey<Integer> LAKEHOUSE_HISTORY_RETENTION_DAYS =
      ConfigKey.integer(
          "lakehouse.history-retention-days",
          365,
          "Days of history (Delta log and removed files) a new feature group keeps, and that `lakeline maintain` keeps: "
              + "how far back time travel, and so `td recreate`, works.")
          .withRange(1, 36500);

  public static final ConfigKey<String> SPARK_MASTER =
      ConfigKey.string(
          "spark.master",
          "local[2]",
          "Master of the embedded local session. Ignored under spark-submit, Databricks and EMR, which bring a session.");

  public static final ConfigKey<String> SPARK_APP_NAME =
      ConfigKey.string("spark.app-name", "lakeline", "Application name of the embedded session.");

  public static final ConfigKey<Integer> SPARK_SHUFFLE_PARTITIONS =
      ConfigKey.integer(
          "spark.shuffle-partitions", 4, "spark.sql.shuffle.partitions of the embedded session.")
          .withRange(1, 100_000);

  public static final ConfigKey<Map<String, String>> SPARK_CONF =
      ConfigKey.map("spark.conf", "Extra Spark settings for the embedded session (name: value).");

  public static final ConfigKey<Double> DEMO_SCALE =
      ConfigKey.number(
          "demo.scale", 1.0, "Size of the generated sample data: 1.0 = 10,000 loans; 0.1 = 1,000 loans.")
          .withRange(0.001, 1000);

  public static final ConfigKey<Long> DEMO_SEED =
      ConfigKey.longValue("demo.seed", 42L, "Seed of the sample-data generator: the same seed gives the same data.");

  public static final ConfigKey<String> MODEL_NAME =
      ConfigKey.string("model.name", null, "Name of the model in the registry (required).");

  public static final ConfigKey<String> MODEL_FILE =
      ConfigKey.string(
          "model.file",
          "classpath:lakeline-conf/models/loan_default.yaml",
          "Model file: the feature view, label, ids and features that train, infer and monitor use (docs/model-registry.md); "
              + "default: the demo's loan model, bundled in the jar.");

  public static final ConfigKey<String> TRAINING_ALGORITHM =
      ConfigKey.oneOf(
          "training.algorithm",
          "logistic_regression",
          List.of("logistic_regression", "gbt"),
          "MLlib classifier to train.");

  public static final ConfigKey<Integer> TRAINING_HISTORY_DAYS =
      ConfigKey.integer("training.history-days", 365, "Days of labelled rows (the demo: loans) before the cutoff to train on.")
          .withRange(1, 36_500);

  public static final ConfigKey<Integer> TRAINING_LABEL_DELAY_DAYS =
      ConfigKey.integer(
          "training.label-delay-days",
          30,
          "Days a row's outcome needs to be known (a loan's, in the demo): training uses the rows dated before --date minus this.")
          .withRange(0, 3650);

  public static final ConfigKey<Double> TRAINING_TEST_FRACTION =
      ConfigKey.number("training.test-fraction", 0.2, "Share of the training dataset held out for test metrics.")
          .withRange(0.01, 0.9);

  public static final ConfigKey<Double> TRAINING_VALIDATION_FRACTION =
      ConfigKey.number(
          "training.validation-fraction", 0.0,
          "Share of the training dataset held out as a validation split: neither trained nor tested on, it is where "
              + "training.threshold-choice picks the threshold. 0: no validation split.")
          .withRange(0.0, 0.5);

  public static final ConfigKey<Long> TRAINING_SEED =
      ConfigKey.longValue("training.seed", 7L, "Seed of the split and the estimator.");

  public static final ConfigKey<String> TRAINING_PROMOTE_ALIAS =
      ConfigKey.string(
          "training.promote-alias",
          "champion",
          "Alias that training moves to its new version when the version's test AUC reaches training.min-auc and beats "
              + "the alias's version on the same rows (the new test split less the rows that version was trained on); "
              + "empty: no alias is moved.");

  public static final ConfigKey<Double> TRAINING_MIN_AUC =
      ConfigKey.number(
          "training.min-auc", 0.5, "Lowest test AUC (areaUnderROC) at which training.promote-alias may move to a new version.")
          .withRange(0.0, 1.0);

  public static final ConfigKey<Double> TRAINING_MIN_RECALL =
      ConfigKey.number(
          "training.min-recall", 0.0,
          "Lowest test recall (the share of positive rows predicted positive, at training.decision-threshold) at which "
              + "training.promote-alias may move to a new version; 0: no minimum.")
          .withRange(0.0, 1.0);

  public static final ConfigKey<Double> TRAINING_MIN_PRECISION =
      ConfigKey.number(
          "training.min-precision", 0.0,
          "Lowest test precision (the share of rows predicted positive that are positive, at training.decision-threshold) "
              + "at which training.promote-alias may move to a new version; 0: no minimum. A version that predicts no "
              + "row positive has no precision and does not pass a minimum above 0.")
          .withRange(0.0, 1.0);

  public static final ConfigKey<Double> TRAINING_DECISION_THRESHOLD =
      ConfigKey.number(
          "training.decision-threshold", 0.5,
          "Score above which a row is predicted positive (1), strictly between 0 and 1: saved inside the model, so the "
              + "batch predictions' prediction column and the card's accuracy, precision and recall use it. Lower it "
              + "when positives are rare and missing one costs more than a false alarm.")
          .withOpenRange(0.0, 1.0);

  public static final ConfigKey<String> TRAINING_THRESHOLD_CHOICE =
      ConfigKey.oneOf(
          "training.threshold-choice",
          "fixed",
          List.of("fixed", "best-f1", "target-recall", "min-cost"),
          "How the decision threshold is set: 'fixed' (training.decision-threshold), 'best-f1' (the threshold with the "
              + "best F1 on the validation split), 'target-recall' (the highest threshold that catches "
              + "training.target-recall of the validation split's positives) or 'min-cost' (the threshold with the "
              + "lowest cost on the validation split, a false alarm costing 1 and a missed positive "
              + "training.false-negative-cost). All but 'fixed' need training.validation-fraction above 0, or "
              + "training.threshold-folds to choose on out-of-fold scores of the train split instead.");

  public static final ConfigKey<Double> TRAINING_TARGET_RECALL =
      ConfigKey.number(
          "training.target-recall", 0.5,
          "With training.threshold-choice: target-recall, the share of the validation split's positive rows the chosen "
              + "threshold must predict positive.")
          .withOpenRange(0.0, 1.0);

  public static final ConfigKey<Double> TRAINING_FALSE_NEGATIVE_COST =
      ConfigKey.number(
          "training.false-negative-cost", 1.0,
          "With training.threshold-choice: min-cost, what a missed positive costs in false alarms: 5 means a missed "
              + "default costs as much as five good loans turned away.")
          .withOpenRange(0.0, 1_000_000.0);

  public static final ConfigKey<Integer> TRAINING_THRESHOLD_FOLDS =
      ConfigKey.integer(
          "training.threshold-folds", 0,
          "With a training.threshold-choice other than 'fixed', choose the threshold on out-of-fold scores of the train "
              + "split instead of a validation split: its rows are dealt into this many folds, each scored by the model "
              + "fitted on the others (one more fit per fold), and the model is fitted on every train row. 0: choose on "
              + "the validation split (training.validation-fraction).")
          .withRange(0, 20);

  public static final ConfigKey<String> TRAINING_SEARCH_GRID =
      ConfigKey.string(
          "training.search.grid", "",
          "A hyperparameter search by cross-validation on the train split: the values to try, MLlib's names of "
              + "training.algorithm's hyperparameters separated by ';', each with its values ('regParam=0.0001,0.001,0.01; "
              + "elasticNetParam=0,0.5', or for gbt 'maxDepth=3,5; stepSize=0.05,0.1'). Every combination is fitted on "
              + "training.search.folds - 1 folds and scored (AUC) on the one left out; the best mean AUC is fitted on every "
              + "train row. Empty: no search, the hyperparameters as set.");

  public static final ConfigKey<Integer> TRAINING_SEARCH_FOLDS =
      ConfigKey.integer(
          "training.search.folds", 3,
          "With training.search.grid: the folds of the train split each combination is fitted and scored on "
              + "(one fit per fold and combination).")
          .withRange(2, 10);

  public static final ConfigKey<String> TRAINING_CLASS_WEIGHT =
      ConfigKey.oneOf(
          "training.class-weight",
          "none",
          List.of("none", "balanced"),
          "How the training rows of each outcome are weighted: 'none' (each row once) or 'balanced' (each outcome's "
              + "rows weigh as much as the other's, for rare positives: more recall, scores no longer calibrated).");

  public static final ConfigKey<Integer> TRAINING_LR_MAX_ITER =
      ConfigKey.integer("training.logistic-regression.max-iter", 100, "Logistic regression: most iterations of the solver.")
          .withRange(1, 10_000);

  public static final ConfigKey<Double> TRAINING_LR_REG_PARAM =
      ConfigKey.number(
          "training.logistic-regression.reg-param", 0.001,
          "Logistic regression: regularization strength; larger values shrink the coefficients more.")
          .withRange(0.0, 1_000_000.0);

  public static final ConfigKey<Double> TRAINING_LR_ELASTIC_NET_PARAM =
      ConfigKey.number(
          "training.logistic-regression.elastic-net-param", 0.0,
          "Logistic regression: the regularization's mix, from 0 (L2, ridge) to 1 (L1, lasso: drops features).")
          .withRange(0.0, 1.0);

  public static final ConfigKey<Integer> TRAINING_GBT_MAX_ITER =
      ConfigKey.integer("training.gbt.max-iter", 30, "GBT: number of trees.").withRange(1, 10_000);

  public static final ConfigKey<Integer> TRAINING_GBT_MAX_DEPTH =
      ConfigKey.integer("training.gbt.max-depth", 4, "GBT: depth of each tree (MLlib allows up to 30).").withRange(1, 30);

  public static final ConfigKey<Double> TRAINING_GBT_STEP_SIZE =
      ConfigKey.number("training.gbt.step-size", 0.1, "GBT: learning rate, the weight of each new tree (> 0 and <= 1).")
          .withRange(0.001, 1.0);

  public static final ConfigKey<String> INFERENCE_MODEL_VERSION =
      ConfigKey.string(
          "inference.model-version",
          "@champion",
          "Model version to score with: '@alias' (the default '@champion': the version training promoted, as of the "
              + "job's date), a number, 'latest' or 'best:<metric>' (for example 'best:areaUnderROC').");

  public static final ConfigKey<Integer> INFERENCE_WINDOW_DAYS =
      ConfigKey.integer(
          "inference.window-days", 30, "Days of rows (the demo: loan applications), ending at --date, that one inference run scores.")
          .withRange(1, 3650);

  public static final ConfigKey<Double> MONITORING_PSI_WARN =
      ConfigKey.number(
          "monitoring.psi-warn", 0.1, "Population stability index at which a feature's or the scores' drift is a warning.")
          .withRange(0.0, 100.0);

  public static final ConfigKey<Double> MONITORING_PSI_ALERT =
      ConfigKey.number(
          "monitoring.psi-alert", 0.25, "Population stability index at which drift is an alert (at least monitoring.psi-warn).")
          .withRange(0.0, 100.0);

  public static final ConfigKey<Integer> MONITORING_MIN_ROWS =
      ConfigKey.integer(
          "monitoring.min-rows",
          200,
          "Fewest rows of a batch for its drift to be judged; a smaller batch's PSI is recorded with the status few_rows.")
          .withRange(0, 1_000_000_000);

  public static final ConfigKey<Integer> MONITORING_LOOKBACK_DAYS =
      ConfigKey.integer(
          "monitoring.lookback-days",
          90,
          "Days of prediction runs, ending at --date, whose predictions monitor joins to the labels known by then.")
          .withRange(1, 3650);

  /** All keys, in documentation order. */
  public static final List<ConfigKey<?>> ALL =
      List.of(
          LAKEHOUSE_ROOT,
          LAKEHOUSE_HISTORY_RETENTION_DAYS,
          SPARK_MASTER,
          SPARK_APP_NAME,
          SPARK_SHUFFLE_PARTITIONS,
          SPARK_CONF,
          DEMO_SCALE,
          DEMO_SEED,
          MODEL_NAME,
          MODEL_FILE,
          TRAINING_ALGORITHM,
          TRAINING_HISTORY_DAYS,
          TRAINING_LABEL_DELAY_DAYS,
          TRAINING_TEST_FRACTION,
          TRAINING_VALIDATION_FRACTION,
          TRAINING_SEED,
          TRAINING_PROMOTE_ALIAS,
          TRAINING_MIN_AUC,
          TRAINING_MIN_RECALL,
          TRAINING_MIN_PRECISION,
          TRAINING_DECISION_THRESHOLD,
          TRAINING_THRESHOLD_CHOICE,
          TRAINING_TARGET_RECALL,
          TRAINING_FALSE_NEGATIVE_COST,
          TRAINING_THRESHOLD_FOLDS,
          TRAINING_SEARCH_GRID,
          TRAINING_SEARCH_FOLDS,
          TRAINING_CLASS_WEIGHT,
          TRAINING_LR_MAX_ITER,
          TRAINING_LR_REG_PARAM,
          TRAINING_LR_ELASTIC_NET_PARAM,
          TRAINING_GBT_MAX_ITER,
          TRAINING_GBT_MAX_DEPTH,
          TRAINING_GBT_STEP_SIZE,
          INFERENCE_MODEL_VERSION,
          INFERENCE_WINDOW_DAYS,
          MONITORING_PSI_WARN,
          MONITORING_PSI_ALERT,
          MONITORING_MIN_ROWS,
          MONITORING_LOOKBACK_DAYS);

  /** The length of the longest key's name: the width of the key column where keys are listed. */
  public static int longestName() {
    return ALL.stream().mapToInt(k -> k.name().length()).max().orElse(0);
  }
}
