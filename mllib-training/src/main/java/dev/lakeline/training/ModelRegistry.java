package dev.lakeline.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lakeline.core.Errors;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.Names;
import dev.lakeline.core.storage.LakeFiles;
import dev.lakeline.core.storage.StorageLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.SparkSession;

/**
 * A file-based model registry under {@code <root>/models/<name>/}. Version numbers are claimed atomically
 * ({@code _claims/v<n>}, created exclusively), so two trainings never share one; a version is visible only once
 * its {@code model.json} is written, after the model itself; versions are never overwritten.
 *
 * <p>Aliases ({@code champion}, {@code challenger}, …) are movable names for versions. Every move is an entry of the
 * model's alias log, {@code _aliases/<sequence>.json}, claimed the same way (created exclusively, so two moves never
 * share a place in the log); the current aliases are the log replayed in sequence order, so concurrent moves end
 * with the later entry and the log shows both. References resolve as a version number, {@code latest}, {@code @alias}
 * or {@code best:<metric>} (the highest test metric; the lowest for error metrics such as {@code rmse}).
 */
public final class ModelRegistry {
  static final String MODEL_DIR = "model";
  static final String CARD = "model.json";

  /** The card's file name: a version folder without it is not (yet) a version. */
  public static final String CARD_FILE = CARD;
  static final String ALIASES = "_aliases";
  /** The records of deleted versions, {@code _deleted/v<n>.json}. */
  static final String DELETED = "_deleted";
  static final String SCORES = "scores.json";
  static final String VALIDATION_SCORES = "validation-scores.json";
  static final String BASELINE = "baseline.json";
  static final String IMPORTANCE = "importance.json";
  /** Metrics where lower is better; every other metric is better higher. */
  static final java.util.Set<String> LOWER_IS_BETTER =
      java.util.Set.of("rmse", "mse", "mae", "logLoss", "brierScore", "hammingLoss", "validation_cost");
  /** Writes indented JSON; reads what a later Lakeline wrote too (a card with fields this one does not know). */
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final SparkSession spark;
  private final StorageLayout layout;
  private final LakeFiles files;
  private Runnable beforeLogAppend = () -> {};
  private Runnable afterDeleteCommit = () -> {};

  private ModelRegistry(SparkSession spark, StorageLayout layout) {
    this.spark = spark;
    this.layout = layout;
    this.files = LakeFiles.of(spark);
  }

  public static ModelRegistry open(SparkSession spark, StorageLayout layout) {
    return new ModelRegistry(spark, layout);
  }

  /** Registers {@code model} as the next version of {@code name}. */
  public ModelVersion register(String name, PipelineModel model, ModelCard card) {
    return register(name, model, card, null);
  }

  /**
   * Registers {@code model} as the next version of {@code name}, with its scores on the test split ({@code
   * scores.json}, written before the card, so a visible version has them; null for none).
   */
  public ModelVersion register(String name, PipelineModel model, ModelCard card, ScoreDistribution scores) {
    return register(name, model, card, scores, null);
  }

  /**
   * Registers {@code model} as the next version of {@code name}, with its test scores and the {@link DriftBaseline} that
   * monitoring measures batches against ({@code baseline.json}); both written before the card, either may be null.
   */
  public ModelVersion register(String name, PipelineModel model, ModelCard card, ScoreDistribution scores, DriftBaseline baseline) {
    return register(name, model, card, scores, null, baseline);
  }

  /**
   * Registers what {@link Trainer} trained as the next version of {@code name}: the model, its test scores, the
   * validation split's scores when the threshold was chosen on them ({@code validation-scores.json}), and the drift
   * baseline (null for none); the files are written before the card.
   */
  public ModelVersion register(String name, Trainer.Trained trained, ModelCard card, DriftBaseline baseline) {
    return register(name, trained.model(), card, trained.scores(), trained.validationScores(), baseline);
  }

  private ModelVersion register(String name, PipelineModel model, ModelCard card, ScoreDistribution scores,
      ScoreDistribution validationScores, DriftBaseline baseline) {
    Names.check("model", name);
    int version = claimVersion(name);
    String dir = layout.model(name, version);
    try {
      model.write().save(dir + "/" + MODEL_DIR);
      if (scores != null) {
        files.createExclusive(dir + "/" + SCORES, JSON.writeValueAsString(scores));
      }
      if (validationScores != null) {
        files.createExclusive(dir + "/" + VALIDATION_SCORES, JSON.writeValueAsString(validationScores));
      }
      if (baseline != null) {
        files.createExclusive(dir + "/" + BASELINE, JSON.writeValueAsString(baseline));
      }
      ModelVersion first = firstOfRunKey(name, card.runKey(), version);
      if (first != null) { // the same inputs were registered meanwhile: this copy is dropped, its number stays claimed
        files.delete(dir);
        return first;
      }
      files.createExclusive(dir + "/" + CARD, JSON.writeValueAsString(card));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot save model " + name + " v" + version, e);
    }
    return new ModelVersion(name, version, dir, card);
  }

  /** The visible versions of {@code name}, oldest first. */
  public List<ModelVersion> versions(String name) {
    String root = layout.models(name);
    List<ModelVersion> out = new ArrayList<>();
    for (String entry : files.list(root)) {
      if (entry.matches("v[0-9]+")) {
        int v = Integer.parseInt(entry.substring(1));
        String dir = layout.model(name, v);
        if (files.exists(dir + "/" + CARD)) {
          out.add(new ModelVersion(name, v, dir, readCard(dir)));
        }
      }
    }
    out.sort(Comparator.comparingInt(ModelVersion::version));
    return out;
  }

  /** An exact version; not found if it is not visible (the message says so when it was deleted). */
  public ModelVersion get(String name, int version) {
    String dir = layout.model(name, version);
    if (!files.exists(dir + "/" + CARD)) {
      throw notRegistered(name, version);
    }
    return new ModelVersion(name, version, dir, readCard(dir));
  }

  /** Not found: {@code version} is not visible; says who deleted it and when if it was deleted with {@link #delete}. */
  private LakelineException.NotFound notRegistered(String name, int version) {
    String deleted = deleted(name, version).map(d -> String.format(
        ": it was deleted by %s at %s%s; its card is kept in %s", d.deletedBy(), d.deletedAt(),
        d.reason().isEmpty() ? "" : " (" + d.reason() + ")", tombstone(name, version))).orElse("");
    return Errors.notFound("Model %s has no version %d%s. Registered versions: %s.",
        name, version, deleted, versions(name).stream().map(ModelVersion::version).toList());
  }

  /** An exact version, or null when it is not visible (never registered, or its folder deleted since). */
  private ModelVersion find(String name, int version) {
    String dir = layout.model(name, version);
    return files.exists(dir + "/" + CARD) ? new ModelVersion(name, version, dir, readCard(dir)) : null;
  }

  /**
   * Resolves a reference: a version number, {@code latest}, {@code @alias} (where the alias points now) or {@code
   * best:<metric>} (the version with the best value of that test metric in its card; ties go to the newer version).
   */
  public ModelVersion resolve(String name, String reference) {
    return resolveAsOf(name, reference, null);
  }

  /**
   * Resolves a reference for a job of the logical date {@code date}: {@code latest} and {@code best:<metric>} choose
   * among the versions trained for that date or before (a card's {@code logicalDate}; a version trained outside a job,
   * without one, always counts), so that a rerun of a past date scores with the model it had, whatever has been
   * trained since. {@code @alias} is where the alias points now if that version was trained for the date or before,
   * else where its latest move to such a version took it (the alias's version of that time). An exact version is the
   * caller's choice and resolves as {@link #resolve} does. A null date: every version, and aliases as they are now.
   */
  public ModelVersion resolveAsOf(String name, String reference, java.time.LocalDate date) {
    checkReference(reference);
    String ref = reference.trim();
    if (ref.equals("latest")) {
      List<ModelVersion> all = candidates(name, date);
      if (all.isEmpty()) {
        throw noneYet(name, date);
      }
      if (date == null) {
        return all.get(all.size() - 1);
      }
      // the one trained for the latest date (a backfill's version, registered later for an earlier date, is not it);
      // among those of one date, the last registered
      return all.stream()
          .max(java.util.Comparator.comparing((ModelVersion v) -> trainedFor(v, date)).thenComparingInt(ModelVersion::version))
          .orElseThrow();
    }
    if (ref.matches(VERSION_NUMBER)) {
      int version;
      try {
        version = Integer.parseInt(ref.replaceFirst("^[vV]", ""));
      } catch (NumberFormatException tooLarge) {
        throw Errors.notFound("Model %s has no version %s. Registered versions: %s.",
            name, ref, versions(name).stream().map(ModelVersion::version).toList());
      }
      return get(name, version);
    }
    if (ref.startsWith("@")) {
      String alias = ref.substring(1);
      Map<String, Integer> aliases = aliases(name);
      Integer version = aliases.get(alias);
      if (version == null) {
        throw Errors.notFound("Model %s has no alias '%s' (its aliases: %s): no version has taken it yet. Training moves "
                + "training.promote-alias to a version whose test AUC reaches training.min-auc; set it by hand with "
                + "'lakeline models alias %s %s <version>', or score with another version (--model-version latest).",
            name, alias, aliases.isEmpty() ? "none" : String.join(", ", describeAliases(name)), name, alias);
      }
      if (date != null) {
        version = aliasAsOf(name, alias, version, date);
      }
      ModelVersion target = find(name, version);
      if (target == null) {
        throw Errors.notFound(
            "Model %s's alias '%s' points at v%d, which is no longer registered (its folder was deleted). Point the alias at "
                + "a registered version (%s): 'lakeline models alias %s %s <version>'.",
            name, alias, version, versions(name).stream().map(v -> "v" + v.version()).toList(), name, alias);
      }
      return target;
    }
    if (ref.startsWith("best:")) {
      List<ModelVersion> all = candidates(name, date);
      if (all.isEmpty()) {
        throw noneYet(name, date);
      }
      return best(name, all, ref.substring("best:".length()).trim());
    }
    throw new IllegalStateException("unreachable: " + reference); // checkReference knows every form
  }

  /**
   * Checks the form of a version reference, before any registry is read: a version number ({@code 3}, or {@code v3}
   * as {@code models list} shows it), {@code latest}, {@code @alias} or {@code best:<metric>}.
   *
   * @throws dev.lakeline.core.LakelineException.ConfigError naming the forms when it has none of them
   */
  public static void checkReference(String reference) {
    String ref = reference == null ? "" : reference.trim();
    boolean valid = ref.equals("latest") || ref.matches(VERSION_NUMBER) || ref.matches("@[A-Za-z0-9][A-Za-z0-9_-]*")
        || ref.startsWith("best:") && !ref.substring("best:".length()).isBlank();
    if (!valid) {
      throw Errors.config(
          "Invalid model version '%s': use a version number (3 or v3), 'latest', '@alias' (for example @champion) or "
              + "'best:<metric>' (for example best:areaUnderROC).", reference);
    }
  }

  /**
   * Checks a new alias's name: a valid name ({@link Names}) that does not read as a version reference. {@code latest},
   * {@code 3} or {@code v3} would be an alias that {@code models alias M latest 1} (arguments swapped) creates by
   * mistake, and that every reader of {@code @latest} next to {@code latest} must tell apart.
   *
   * @throws dev.lakeline.core.LakelineException.ConfigError naming the problem and the usual names
   */
  public static String checkAliasName(String alias) {
    Names.check("alias", alias);
    if (alias.equalsIgnoreCase("latest") || alias.matches(VERSION_NUMBER)) {
      throw Errors.config(
          "'%s' cannot be an alias: it reads as a version reference (a number, v3 or latest). "
              + "Use a name such as champion or challenger; the arguments are MODEL ALIAS VERSION.", alias);
    }
    return alias;
  }

  /** The versions trained for {@code date} or before (all when it is null), oldest first. */
  private List<ModelVersion> candidates(String name, java.time.LocalDate date) {
    List<ModelVersion> all = versions(name);
    if (date == null) {
      return all;
    }
    return all.stream().filter(v -> trainedBy(v, date)).toList();
  }

  /**
   * The version {@code alias} stands for in a job of {@code date}: where it points now if that version was trained for
   * the date or before, else the target of its latest move to such a version (versions deleted since are passed over).
   * A rerun or backfill of a past date so scores with the alias's version of that time, not with one trained since on
   * later rows; a rollback by hand to an older version counts for every date after that version's.
   */
  private int aliasAsOf(String name, String alias, int now, java.time.LocalDate date) {
    ModelVersion current = find(name, now);
    if (current == null || trainedBy(current, date)) {
      return now;
    }
    List<AliasMove> log = aliasLog(name);
    for (int i = log.size() - 1; i >= 0; i--) {
      AliasMove move = log.get(i);
      if (move.alias().equals(alias) && move.version() != null) {
        ModelVersion then = find(name, move.version());
        if (then != null && trainedBy(then, date)) {
          return then.version();
        }
      }
    }
    throw Errors.notFound("Model %s's alias '%s' points at v%d, trained for %s, and never pointed at a registered version "
            + "trained for %s or before, so a job of that date has no %s to score with. Score it with a version trained by "
            + "then (--model-version latest), or by its number.",
        name, alias, now, trainedFor(current, date), date, alias);
  }

  private static boolean trainedBy(ModelVersion v, java.time.LocalDate date) {
    return !trainedFor(v, date).isAfter(date);
  }

  /** The logical date a version was trained for; {@code otherwise} for one without (trained outside a job). */
  private static java.time.LocalDate trainedFor(ModelVersion v, java.time.LocalDate otherwise) {
    String trained = v.card().logicalDate();
    if (trained == null || trained.isBlank()) {
      return otherwise;
    }
    try {
      return java.time.LocalDate.parse(trained.trim());
    } catch (java.time.format.DateTimeParseException notADate) {
      return otherwise;
    }
  }

  private LakelineException.NotFound noneYet(String name, java.time.LocalDate date) {
    List<ModelVersion> all = versions(name);
    if (all.isEmpty() || date == null) {
      return Errors.notFound("Model %s has no versions yet. Train one first (lakeline train --date <day>).", name);
    }
    return Errors.notFound(
        "Model %s has no version trained for %s or before (its versions: %s). Train one for that date, or name a version "
            + "(--model-version N) to score earlier loans with a later model.",
        name, date, all.stream().map(v -> "v" + v.version() + " of " + v.card().logicalDate()).toList());
  }

  private ModelVersion best(String name, List<ModelVersion> versions, String metric) {
    boolean lower = LOWER_IS_BETTER.contains(metric);
    ModelVersion best = null;
    java.util.Set<String> known = new java.util.TreeSet<>();
    for (ModelVersion v : versions) {
      Map<String, Double> metrics = v.card().metrics() == null ? Map.of() : v.card().metrics();
      known.addAll(metrics.keySet());
      Double value = metrics.get(metric);
      if (value == null || value.isNaN()) {
        continue;
      }
      double current = best == null ? Double.NaN : best.card().metrics().get(metric);
      if (best == null || (lower ? value <= current : value >= current)) {
        best = v;
      }
    }
    if (best == null) {
      throw Errors.notFound("No version of model %s has the metric '%s'. Its versions' metrics: %s.", name, metric,
          known.isEmpty() ? "none" : known);
    }
    return best;
  }

  /**
   * Points {@code alias} at {@code version} (which must be registered) and logs the move with {@code reason}.
   * Returns the log entry, or null when the alias already pointed there (nothing is logged then).
   */
  public AliasMove setAlias(String name, String alias, int version, String reason) {
    checkAliasName(alias);
    get(name, version);
    Integer previous = aliases(name).get(alias);
    if (previous != null && previous == version) {
      return null;
    }
    return appendMove(name, alias, version, reason);
  }

  /**
   * Moves {@code alias} to {@code version} when it is good enough and better than where the alias points now: its
   * {@code metric} (from its card) must reach {@code minimum} (at most {@code minimum} for error metrics such as
   * {@code rmse}) and beat the current version's. Ties keep the current version. The move is logged with the
   * comparison as its reason; the decision is returned either way. A rerun decides the same (the alias already points
   * at the version, or the same comparison fails again). A version trained for an earlier logical date than the
   * alias's version (a backfill) never takes the alias.
   */
  public Promotion promoteIfBetter(String name, String alias, int version, String metric, double minimum) {
    return promoteIfBetter(name, alias, version, metric, minimum, null);
  }

  /**
   * As {@link #promoteIfBetter(String, String, int, String, double)}, but the candidate must beat the alias's version
   * on the same rows: {@code onSameRows} measures {@code metric} of both versions, given the alias's version, on rows
   * that neither was trained on (training measures both on the new version's test split, less the rows the alias's
   * version was trained on). It is called only when the candidate passes the minimum and the alias points at a
   * registered version, at most once per such version. When it cannot measure both (it says why), or is null, the
   * versions' recorded metrics are compared, each from its own test split.
   */
  public Promotion promoteIfBetter(String name, String alias, int version, String metric, double minimum,
      java.util.function.Function<ModelVersion, Comparison> onSameRows) {
    return promoteIfBetter(name, alias, version, PromotionPolicy.of(metric, minimum), onSameRows);
  }

  /**
   * As {@link #promoteIfBetter(String, String, int, String, double, java.util.function.Function)}, with the policy's
   * gates too: after its metric reaches the minimum, each gate's metric on the candidate's card must reach its bound
   * (a recall of at least 0.5 at the version's threshold, say), before the candidate is compared with the alias's
   * version. The decision's reason names the first gate that failed, or the gates passed.
   */
  public Promotion promoteIfBetter(String name, String alias, int version, PromotionPolicy policy,
      java.util.function.Function<ModelVersion, Comparison> onSameRows) {
    checkAliasName(alias);
    ModelVersion candidate = get(name, version);
    Map<Integer, Comparison> measured = new java.util.HashMap<>();
    java.util.function.Function<ModelVersion, Comparison> once = onSameRows == null
        ? null : holder -> measured.computeIfAbsent(holder.version(), v -> onSameRows.apply(holder));
    for (int attempt = 0; attempt < 100; attempt++) {
      List<AliasMove> log = aliasLog(name);
      Integer current = pointsAt(log, alias);
      Decision decision = decide(name, alias, candidate, current, policy, once);
      if (!decision.move()) {
        return new Promotion(alias, false, decision.reason());
      }
      // appended only right after the log the decision read; a move that came in between takes that place, and the
      // decision is made again against the log as it is then
      if (tryAppend(name, log, alias, version, decision.reason()) != null) {
        return new Promotion(alias, true, alias + " → v" + version + ": " + decision.reason());
      }
    }
    throw Errors.conflict("Could not promote v%d of model %s to '%s': the alias kept moving.", version, name, alias);
  }

  private record Decision(boolean move, String reason) {}

  private Decision decide(String name, String alias, ModelVersion candidate, Integer current, PromotionPolicy policy,
      java.util.function.Function<ModelVersion, Comparison> onSameRows) {
    String metric = policy.metric();
    double minimum = policy.minimum();
    int version = candidate.version();
    boolean lower = LOWER_IS_BETTER.contains(metric);
    Double value = candidate.card().metrics() == null ? null : candidate.card().metrics().get(metric);
    String label = "v" + version;
    if (current != null && current == version) {
      return new Decision(false, String.format(java.util.Locale.ROOT, "%s is already %s", alias, label));
    }
    String stays = current == null ? alias + " not set" : alias + " stays v" + current;
    // a version deleted by hand leaves the alias pointing at nothing: nothing to compare with, nothing a backfill could
    // take from; the candidate takes the alias if it reaches the minimum (otherwise every training would fail here)
    ModelVersion holder = current == null ? null : find(name, current);
    String gone = current != null && holder == null ? String.format(java.util.Locale.ROOT,
        "; v%d, where %s pointed, is no longer registered", current, alias) : "";
    if (holder != null) {
      // a backfill (a training for an earlier date than the alias's version's) never takes the alias: later dates'
      // jobs would switch to a model that knows less, and a rerun of them would score differently
      java.time.LocalDate mine = trainedFor(candidate, null);
      java.time.LocalDate held = trainedFor(holder, null);
      if (mine != null && held != null && mine.isBefore(held)) {
        return new Decision(false, String.format(java.util.Locale.ROOT, "%s: %s is trained for %s, before v%d's %s (a backfill)",
            stays, label, mine, current, held));
      }
    }
    if (value == null || value.isNaN()) {
      return new Decision(false, String.format("%s: %s has no %s%s", stays, label, metric, gone));
    }
    if (lower ? value > minimum : value < minimum) {
      return new Decision(false, String.format(java.util.Locale.ROOT, "%s: %s's %s %.4f is %s the minimum %.4f%s",
          stays, label, metric, value, lower ? "above" : "below", minimum, gone));
    }
    String gates = "";
    for (Map.Entry<String, Double> gate : policy.gates().entrySet()) {
      String failed = failedGate(candidate, gate.getKey(), gate.getValue());
      if (failed != null) {
        return new Decision(false, stays + ": " + failed + gone);
      }
      gates += passedGate(candidate, gate.getKey(), gate.getValue());
    }
    if (holder == null) {
      return new Decision(true, String.format(java.util.Locale.ROOT, "%s %.4f %s the minimum %.4f%s%s", metric, value,
          lower ? "within" : "reaches", minimum, gates, current == null ? "; no " + alias + " before" : gone));
    }
    Comparison same = onSameRows == null ? null : onSameRows.apply(holder);
    if (same != null && same.available()) {
      if (!beats(same.candidate(), same.holder(), lower)) {
        return new Decision(false, String.format(java.util.Locale.ROOT, "%s: on %s, %s's %s %.4f does not beat v%d's %.4f",
            stays, same.rows(), label, metric, same.candidate(), current, same.holder()));
      }
      return new Decision(true, String.format(java.util.Locale.ROOT, "%s %.4f beats v%d's %.4f on %s%s",
          metric, same.candidate(), current, same.holder(), same.rows(), gates));
    }
    // each version's metric from its own test split: the only comparison when the same rows could not be had
    String own = same == null ? "" : " (each on its own test split: " + same.rows() + ")";
    Map<String, Double> heldMetrics = holder.card().metrics();
    Double held = heldMetrics == null ? null : heldMetrics.get(metric);
    if (held != null && !held.isNaN() && !beats(value, held, lower)) {
      return new Decision(false, String.format(java.util.Locale.ROOT, "%s: %s's %s %.4f does not beat v%d's %.4f%s",
          stays, label, metric, value, current, held, own));
    }
    return new Decision(true, held == null || held.isNaN()
        ? String.format(java.util.Locale.ROOT, "%s %.4f; v%d has no %s%s", metric, value, current, metric, gates)
        : String.format(java.util.Locale.ROOT, "%s %.4f beats v%d's %.4f%s%s", metric, value, current, held, own, gates));
  }

  /** Why {@code candidate}'s card fails the gate {@code metric} → {@code bound}, or null when it passes. */
  private static String failedGate(ModelVersion candidate, String metric, double bound) {
    Map<String, Double> metrics = candidate.card().metrics();
    Double value = metrics == null ? null : metrics.get(metric);
    boolean lower = LOWER_IS_BETTER.contains(metric);
    if (value == null || value.isNaN()) {
      // a card with a recall but no precision is one whose model predicted no test row positive; a card with neither
      // was written before cards had them
      boolean nonePredicted = metric.equals("precision") && metrics != null && metrics.containsKey("recall");
      return String.format(java.util.Locale.ROOT, "v%d has no %s, which must be %s %.4f%s", candidate.version(), metric,
          lower ? "at most" : "at least", bound, nonePredicted ? " (it predicts no row positive)" : "");
    }
    if (lower ? value > bound : value < bound) {
      return String.format(java.util.Locale.ROOT, "v%d's %s %.4f is %s the gate's %.4f", candidate.version(), metric, value,
          lower ? "above" : "below", bound);
    }
    return null;
  }

  /** The gate passed, in words: "; recall 0.6800 reaches the gate's 0.5000". */
  private static String passedGate(ModelVersion candidate, String metric, double bound) {
    return String.format(java.util.Locale.ROOT, "; %s %.4f %s the gate's %.4f", metric, candidate.card().metrics().get(metric),
        LOWER_IS_BETTER.contains(metric) ? "within" : "reaches", bound);
  }

  /**
   * Whether {@code value} is better than {@code held} by more than floating-point noise: retraining on the same rows
   * can give a metric that differs in its last bits (0.769207596353063 and 0.7692075963530632), which is a tie, and a
   * tie keeps the current version.
   */
  static boolean beats(double value, double held, boolean lowerIsBetter) {
    double noise = METRIC_NOISE * Math.max(1.0, Math.abs(held));
    return lowerIsBetter ? value < held - noise : value > held + noise;
  }

  /**
   * Which of two values of {@code metric} is better, as promotion judges: 1 when {@code a} beats {@code b} by more than
   * floating-point noise, -1 when {@code b} beats {@code a}, 0 for a tie. Lower is better for error metrics ({@code
   * logLoss}, {@code brierScore}, {@code rmse}, …).
   */
  public static int better(String metric, double a, double b) {
    boolean lower = LOWER_IS_BETTER.contains(metric);
    return beats(a, b, lower) ? 1 : beats(b, a, lower) ? -1 : 0;
  }

  /** Whether lower values of {@code metric} are better (error metrics such as {@code logLoss}). */
  public static boolean lowerIsBetter(String metric) {
    return LOWER_IS_BETTER.contains(metric);
  }

  /** A version by its number, as {@code models list} shows it ({@code v3}) or bare ({@code 3}). */
  private static final String VERSION_NUMBER = "[vV]?[0-9]+";

  /** Metric differences up to this (relative to values above 1) are floating-point noise, not an improvement. */
  static final double METRIC_NOISE = 1e-9;

  /** Removes {@code alias} and logs it; not found when it is not set. Returns the log entry. */
  public AliasMove removeAlias(String name, String alias, String reason) {
    Names.check("alias", alias);
    Map<String, Integer> aliases = aliases(name);
    if (!aliases.containsKey(alias)) {
      throw Errors.notFound("Model %s has no alias '%s' to remove. Its aliases: %s.", name, alias,
          aliases.isEmpty() ? "none" : String.join(", ", describeAliases(name)));
    }
    return appendMove(name, alias, null, reason);
  }

  /** Every alias of {@code name} and the version it points at now, by alias name. */
  public Map<String, Integer> aliases(String name) {
    Map<String, Integer> current = new java.util.TreeMap<>();
    for (AliasMove m : aliasLog(name)) {
      if (m.version() == null) {
        current.remove(m.alias());
      } else {
        current.put(m.alias(), m.version());
      }
    }
    return current;
  }

  /**
   * The aliases of {@code name} as people read them, in alias order: {@code @champion → v2}, or {@code @champion → v1
   * (deleted)} when the version is no longer registered ({@link #delete}d, or its folder removed by hand).
   */
  public List<String> describeAliases(String name) {
    List<String> out = new ArrayList<>();
    aliases(name).forEach((alias, v) -> out.add(describeAlias(alias, v, files.exists(layout.model(name, v) + "/" + CARD))));
    return out;
  }

  /** One alias as people read it: {@code @champion → v2}, or {@code @champion → v1 (deleted)} when not {@code registered}. */
  public static String describeAlias(String alias, int version, boolean registered) {
    return "@" + alias + " → v" + version + (registered ? "" : " (deleted)");
  }

  /** The alias log of {@code name}, oldest first, each entry with the version its alias pointed at before it. */
  public List<AliasMove> aliasLog(String name) {
    String dir = layout.models(name) + "/" + ALIASES;
    List<Integer> sequences = new ArrayList<>();
    for (String entry : files.list(dir)) {
      if (entry.matches("[0-9]+\\.json")) {
        sequences.add(Integer.parseInt(entry.substring(0, entry.length() - 5)));
      }
    }
    java.util.Collections.sort(sequences);
    Map<String, Integer> current = new java.util.HashMap<>();
    List<AliasMove> log = new ArrayList<>();
    for (int seq : sequences) {
      AliasMove stored;
      try {
        stored = JSON.readValue(files.read(dir + "/" + entryName(seq)), AliasMove.class);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("Cannot read " + dir + "/" + entryName(seq) + ": " + e.getOriginalMessage(), e);
      }
      Integer previous = current.get(stored.alias());
      if (stored.version() == null) {
        current.remove(stored.alias());
      } else {
        current.put(stored.alias(), stored.version());
      }
      // when: the entry file's time as the store recorded it (no job reads the clock)
      String at = java.time.Instant.ofEpochMilli(files.modified(dir + "/" + entryName(seq))).toString();
      log.add(new AliasMove(seq, stored.alias(), stored.version(), previous, stored.reason(), stored.movedBy(), at));
    }
    return log;
  }

  /** Appends a move to the log, after whatever other moves come first. */
  private AliasMove appendMove(String name, String alias, Integer version, String reason) {
    for (int attempt = 0; attempt < 100; attempt++) {
      AliasMove appended = tryAppend(name, aliasLog(name), alias, version, reason);
      if (appended != null) {
        return appended;
      }
    }
    throw Errors.conflict("Could not append to the alias log of model %s after 100 attempts.", name);
  }

  /**
   * Appends a move right after {@code log} (the whole log as just read); null when another move has taken that place
   * in the meantime. Creating the entry exclusively makes the check and the append one step.
   */
  private AliasMove tryAppend(String name, List<AliasMove> log, String alias, Integer version, String reason) {
    String dir = layout.models(name) + "/" + ALIASES;
    int seq = log.isEmpty() ? 1 : log.get(log.size() - 1).sequence() + 1;
    // the previous version is worked out when the log is read, so a concurrent move cannot make it wrong
    AliasMove move = new AliasMove(seq, alias, version, null, reason == null ? "" : reason,
        System.getProperty("user.name", ""), null);
    try {
      beforeLogAppend.run();
      files.createExclusive(dir + "/" + entryName(seq), JSON.writeValueAsString(move));
    } catch (LakelineException.Conflict movedByAnother) {
      return null;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    // the entries before this one are exactly those in the log: a move that came between would have taken this place
    String at = java.time.Instant.ofEpochMilli(files.modified(dir + "/" + entryName(seq))).toString();
    return new AliasMove(seq, alias, version, pointsAt(log, alias), move.reason(), move.movedBy(), at);
  }

  /** Where the log leaves {@code alias}: its last move's version, or null. */
  private static Integer pointsAt(List<AliasMove> log, String alias) {
    Integer at = null;
    for (AliasMove m : log) {
      if (m.alias().equals(alias)) {
        at = m.version();
      }
    }
    return at;
  }

  /** Test seam: runs just before an alias move is written, to let a test put another move in between. */
  ModelRegistry beforeLogAppend(Runnable hook) {
    this.beforeLogAppend = hook;
    return this;
  }

  /** Test seam: runs right after a delete's commit point, to let a test stop it there. */
  ModelRegistry afterDeleteCommit(Runnable hook) {
    this.afterDeleteCommit = hook;
    return this;
  }

  private static String entryName(int sequence) {
    return String.format(java.util.Locale.ROOT, "%08d.json", sequence);
  }

  /**
   * A version removed with {@link #delete}: its card, kept as {@code _deleted/v<n>.json}, so that the predictions and
   * monitoring that name the version can still be traced to what it was.
   *
   * @param version the version's number
   * @param deletedBy who deleted it (the JVM's {@code user.name})
   * @param reason why, as given (may be empty)
   * @param deletedAt when, as an ISO-8601 instant: the record's file time as the store recorded it (Lakeline never
   *     reads the clock)
   * @param card the version's card
   */
  public record DeletedVersion(int version, String deletedBy, String reason, String deletedAt, ModelCard card) {}

  /**
   * What {@link #delete} removed, or would remove.
   *
   * @param version "loan_default v2"
   * @param entries the entries of its folder ({@code baseline.json}, {@code model.json}, {@code model/}, ...)
   * @param files how many files they hold
   * @param deleted whether they were removed (false for a check)
   * @param resumed whether an earlier delete of the version had stopped after its commit point, and this one removed the
   *     rest of its folder
   */
  public record Deletion(String version, List<String> entries, long files, boolean deleted, boolean resumed) {}

  /** The record {@code _deleted/v<n>.json} (the time is its file's). */
  record Tombstone(String deletedBy, String reason, ModelCard card) {}

  /**
   * Deletes version {@code version} of {@code name}, as MLflow's {@code delete_model_version} does. Refused (a conflict
   * that names them) while an alias points at it. Otherwise, in this order: the number is claimed ({@code _claims/v<n>},
   * so no later version gets it, also for a version registered before numbers were claimed); the card is kept as
   * {@code _deleted/v<n>.json} with who deleted it and why; {@code model.json} is removed — the commit point, one file,
   * which every store removes at once: from then on nothing lists, resolves or loads the version; then the rest of the
   * folder. A delete stopped before the commit point leaves the version whole; one stopped after it leaves files that
   * are no version, which deleting the version again removes ({@link Deletion#resumed()}). With {@code check} nothing
   * changes: the refusal, or what would be removed.
   *
   * <p>An alias moved onto the version while it is being deleted (a check, then the delete: not one step) points at a
   * deleted version, as after a folder removed by hand: {@code @alias} then fails with a message that says so.
   */
  public Deletion delete(String name, int version, String reason, boolean check) {
    Names.check("model", name);
    String dir = layout.model(name, version);
    String label = name + " v" + version;
    if (!files.exists(dir + "/" + CARD)) {
      if (!files.exists(tombstone(name, version)) || !files.exists(dir)) {
        throw notRegistered(name, version); // never registered, deleted already, or a registration still running
      }
      // an earlier delete stopped after its commit point: the rest of the folder
      Map<String, Long> rest = files.modifiedUnder(dir);
      List<String> entries = entries(dir, rest.keySet());
      if (!check) {
        files.delete(dir);
      }
      return new Deletion(label, entries, rest.size(), !check, true);
    }
    List<String> pointing = new ArrayList<>();
    aliases(name).forEach((alias, v) -> {
      if (v == version) {
        pointing.add(alias);
      }
    });
    if (!pointing.isEmpty()) {
      String first = pointing.get(0);
      throw Errors.conflict(
          "Cannot delete %s: %s. Point %s at another version first ('lakeline models alias %s %s <version>') or remove "
              + "%s ('lakeline models alias %s %s --remove'), then delete v%d.",
          label, pointing.size() == 1 ? "the alias @" + first + " points at it" : "the aliases @" + String.join(", @", pointing)
              + " point at it", pointing.size() == 1 ? "it" : "each", name, first, pointing.size() == 1 ? "it" : "them", name,
          first, version);
    }
    ModelCard card = readCard(dir);
    Map<String, Long> written = files.modifiedUnder(dir);
    List<String> entries = entries(dir, written.keySet());
    if (check) {
      return new Deletion(label, entries, written.size(), false, false);
    }
    try {
      files.createExclusive(layout.models(name) + "/_claims/v" + version, "claimed");
    } catch (LakelineException.Conflict claimedAtRegistration) {
      // the usual case: register() claimed it
    }
    try {
      files.createExclusive(tombstone(name, version), JSON.writeValueAsString(
          new Tombstone(System.getProperty("user.name", ""), reason == null ? "" : reason, card)));
    } catch (LakelineException.Conflict earlierDelete) {
      // a delete of it stopped before its commit point: its record stands
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    files.delete(dir + "/" + CARD); // the commit point
    afterDeleteCommit.run();
    files.delete(dir);
    return new Deletion(label, entries, written.size(), true, false);
  }

  /**
   * The record of a version removed with {@link #delete}; empty when it was not (never registered, registered now, or
   * its folder removed by hand).
   */
  public Optional<DeletedVersion> deleted(String name, int version) {
    String file = tombstone(name, version);
    if (!files.exists(file) || files.exists(layout.model(name, version) + "/" + CARD)) {
      return Optional.empty();
    }
    try {
      Tombstone t = JSON.readValue(files.read(file), Tombstone.class);
      return Optional.of(new DeletedVersion(version, t.deletedBy(), t.reason() == null ? "" : t.reason(),
          java.time.Instant.ofEpochMilli(files.modified(file)).toString(), t.card()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot read " + file + ": " + e.getOriginalMessage(), e);
    }
  }

  private String tombstone(String name, int version) {
    return layout.models(name) + "/" + DELETED + "/v" + version + ".json";
  }

  /** The names directly under {@code dir} of {@code paths} (files under it, as {@link LakeFiles#modifiedUnder}), a folder with a slash. */
  private static List<String> entries(String dir, java.util.Set<String> paths) {
    String prefix = new org.apache.hadoop.fs.Path(dir).toUri().getPath() + "/";
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (String p : paths) {
      String rel = p.startsWith(prefix) ? p.substring(prefix.length()) : p;
      out.add(rel.contains("/") ? rel.substring(0, rel.indexOf('/') + 1) : rel);
    }
    return List.copyOf(out);
  }

  /**
   * A model version whose registration never finished: its number claimed and maybe its model saved, but no card (the
   * training was stopped or failed between the two). Nothing lists or loads it.
   *
   * @param version "loan_default v3"
   * @param idleHours hours since a file under it was last written
   * @param files the files under it
   * @param deleted whether they were deleted; its number stays claimed ({@code _claims/v<n>})
   */
  public record IncompleteVersion(String version, double idleHours, long files, boolean deleted) {}

  /**
   * The version folders without a card that hold files, of every model; those whose files have not been written for
   * {@code idleHours} are deleted when {@code delete} (the number stays claimed, so it is never given to another
   * version). Counted back from {@code nowMillis}, as Delta's VACUUM counts back from now: for {@code lakeline
   * maintain}, which gives the clock's time (the one place Lakeline reads it). A folder without a file is left alone.
   */
  public List<IncompleteVersion> incomplete(double idleHours, boolean delete, long nowMillis) {
    List<IncompleteVersion> out = new ArrayList<>();
    for (String model : new java.util.TreeSet<>(files.list(layout.models()))) {
      String root;
      try {
        root = layout.models(model);
      } catch (LakelineException.ConfigError notAModelName) {
        continue; // a folder Lakeline did not make
      }
      List<Integer> numbers = new ArrayList<>();
      for (String entry : files.list(root)) {
        if (entry.matches("v[0-9]+")) {
          numbers.add(Integer.parseInt(entry.substring(1)));
        }
      }
      numbers.sort(Comparator.naturalOrder());
      for (int v : numbers) {
        String dir = layout.model(model, v);
        if (files.exists(dir + "/" + CARD)) {
          continue;
        }
        java.util.Map<String, Long> written = files.modifiedUnder(dir);
        if (written.isEmpty()) {
          continue; // no file yet: a training that has just claimed the number may be about to write its model here
        }
        double idle = (nowMillis - written.values().stream().mapToLong(Long::longValue).max().getAsLong()) / 3_600_000.0;
        boolean deleted = delete && idle > idleHours;
        if (deleted) {
          files.delete(dir);
        }
        out.add(new IncompleteVersion(model + " v" + v, idle, written.size(), deleted));
      }
    }
    return out;
  }

  /** Every model with at least one visible version, by name. */
  public List<String> models() {
    List<String> out = new ArrayList<>();
    for (String entry : files.list(layout.models())) {
      try {
        if (!versions(entry).isEmpty()) {
          out.add(entry);
        }
      } catch (LakelineException.ConfigError notAModelName) {
        // a folder Lakeline did not make (its name is not a valid model name)
      }
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /** The version's scores on its test split, when it was registered with them. */
  public Optional<ScoreDistribution> scores(ModelVersion version) {
    return readIfThere(version, SCORES, ScoreDistribution.class);
  }

  /**
   * The scores on the validation split that the version's threshold was chosen on, when it was (see {@link
   * ScoreDistribution} for their bins); empty for a fixed threshold and for versions registered before they were kept.
   */
  public Optional<ScoreDistribution> validationScores(ModelVersion version) {
    return readIfThere(version, VALIDATION_SCORES, ScoreDistribution.class);
  }

  /** The version's drift baseline, when it has one ({@link #register(String, PipelineModel, ModelCard, ScoreDistribution, DriftBaseline)}). */
  public Optional<DriftBaseline> baseline(ModelVersion version) {
    return readIfThere(version, BASELINE, DriftBaseline.class);
  }

  /** A JSON file kept with the version, read as {@code type}; empty when the version has none. */
  private <T> Optional<T> readIfThere(ModelVersion version, String name, Class<T> type) {
    String file = version.path() + "/" + name;
    if (!files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(files.read(file), type));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot read " + file + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The version's permutation importance on its own test split as last measured ({@link #keepImportance}), or empty
   * when it was never measured.
   */
  public Optional<PermutationImportance.Result> importance(ModelVersion version) {
    return readIfThere(version, IMPORTANCE, PermutationImportance.Result.class);
  }

  /**
   * Keeps {@code result}, the version's permutation importance measured on its own test split, with the version, in
   * place of any measured before: what the registry shows is the latest measure. Of two measures kept at once, one wins.
   */
  public void keepImportance(ModelVersion version, PermutationImportance.Result result) {
    String file = version.path() + "/" + IMPORTANCE;
    try {
      String json = JSON.writeValueAsString(result);
      if (files.exists(file)) {
        files.delete(file);
      }
      files.createExclusive(file, json);
    } catch (LakelineException.Conflict e) {
      // another measure was kept at the same moment: it stands
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Keeps {@code baseline} with a version registered without one (a version trained before baselines were kept) and
   * returns what the version has then: if another job kept one first, that one. A version's baseline never changes.
   */
  public DriftBaseline keepBaseline(ModelVersion version, DriftBaseline baseline) {
    try {
      files.createExclusive(version.path() + "/" + BASELINE, JSON.writeValueAsString(baseline));
      return baseline;
    } catch (LakelineException.Conflict e) {
      return baseline(version).orElseThrow(() -> e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Null when {@code version} is the version of {@code runKey}: it took the key's file ({@code _runs/<sha-256 of the
   * key>}, created exclusively, so of trainings of the same inputs finishing at once exactly one does). Otherwise the
   * version another training registered first, which every training of these inputs returns. Should that training have
   * been stopped between taking the file and writing its card (a moment), this one is registered after all.
   */
  private ModelVersion firstOfRunKey(String name, String runKey, int version) {
    if (runKey == null || runKey.isEmpty()) {
      return null;
    }
    String file;
    try {
      file = layout.models(name) + "/_runs/" + java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(runKey.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return files.takeOrFind(file, "v" + version, holder -> findByRunKey(name, runKey),
        // deleted since (its folder removed, or deleted with delete()): its card will never come
        holder -> !holder.matches("v[0-9]+") || !files.exists(layout.model(name, Integer.parseInt(holder.substring(1))))
            || deleted(name, Integer.parseInt(holder.substring(1))).isPresent())
        .orElse(null);
  }

  /** The version trained from the same inputs ({@link ModelCard#runKey()}), if any. */
  public Optional<ModelVersion> findByRunKey(String name, String runKey) {
    return versions(name).stream().filter(v -> runKey.equals(v.card().runKey())).findFirst();
  }

  /**
   * The version trained from the same inputs: the one registered under {@code runKey}, or one registered under a key
   * that named its training dataset by the absolute path the card records (keys before 2026-12-05 did; the path is
   * stale in a copied or moved lakehouse): among the versions whose card names the same dataset as {@code datasetPath}
   * (view, version and number, wherever the lakehouse lies), the one whose key {@code keyByPath} computes again from
   * the card's own path.
   */
  public Optional<ModelVersion> findTrainedFrom(String name, String runKey, String datasetPath,
      java.util.function.UnaryOperator<String> keyByPath) {
    return findByRunKey(name, runKey).or(() -> versions(name).stream()
        .filter(v -> StorageLayout.sameTrainingDataset(v.card().trainingDataset(), datasetPath)
            && keyByPath.apply(v.card().trainingDataset()).equals(v.card().runKey()))
        .findFirst());
  }

  private int claimVersion(String name) {
    String claims = layout.models(name) + "/_claims";
    // past claims and any version folder (even one a crashed training left without a claim) are never reused
    java.util.List<String> taken = new ArrayList<>(files.list(claims));
    taken.addAll(files.list(layout.models(name)));
    int next =
        taken.stream().filter(e -> e.matches("v[0-9]+")).mapToInt(e -> Integer.parseInt(e.substring(1))).max().orElse(0)
            + 1;
    for (int attempt = 0; attempt < 100; attempt++, next++) {
      try {
        files.createExclusive(claims + "/v" + next, "claimed");
        return next;
      } catch (LakelineException.Conflict claimedByAnother) {
        // another training claimed it; try the next number
      }
    }
    throw Errors.conflict("Could not claim a version number for model %s after 100 attempts.", name);
  }

  private ModelCard readCard(String dir) {
    try {
      return JSON.readValue(files.read(dir + "/" + CARD), ModelCard.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot read " + dir + "/" + CARD + ": " + e.getOriginalMessage(), e);
    }
  }

  SparkSession spark() {
    return spark;
  }
}
