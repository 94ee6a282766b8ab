package dev.lakeline.featurestore;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.lakeline.core.Errors;
import dev.lakeline.core.Spelling;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A model-dependent transformation a feature view declares for one of its features: a transformation whose
 * parameters are learnt from the training split (a mean, a range, a vocabulary) and so belong to the model, not to
 * the feature group. The view only declares them; training fits them on the train split and saves them inside the
 * model (the {@code mllib-training} module maps each to MLlib stages), so scoring applies what training learnt.
 * The names are Hopsworks' built-in transformation functions.
 */
public enum ModelTransformation {
  /** {@code (x - mean) / stdev} of the train split (numeric features). */
  STANDARD_SCALER("standard_scaler", true),
  /** {@code (x - min) / (max - min)} of the train split, into [0, 1] (numeric features). */
  MIN_MAX_SCALER("min_max_scaler", true),
  /** {@code (x - median) / (q75 - q25)} of the train split: robust to outliers (numeric features). */
  ROBUST_SCALER("robust_scaler", true),
  /** Each category becomes its index by frequency in the train split; unseen categories get one extra index. */
  LABEL_ENCODER("label_encoder", false),
  /** Each category becomes a 0/1 vector over the train split's categories, plus one slot for unseen ones. */
  ONE_HOT_ENCODER("one_hot_encoder", false);

  private final String id;
  private final boolean numeric;

  ModelTransformation(String id, boolean numeric) {
    this.id = id;
    this.numeric = numeric;
  }

  /** The name files use: {@code standard_scaler}. */
  @JsonValue
  public String id() {
    return id;
  }

  /** True if it takes a numeric feature; false if it takes a categorical (string) one. */
  public boolean numeric() {
    return numeric;
  }

  /** All names, in declaration order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(ModelTransformation::id).toList();
  }

  /** The transformation called {@code name}; an unknown name is an error listing the known ones. */
  @JsonCreator
  public static ModelTransformation of(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (ModelTransformation t : values()) {
      if (t.id.equals(n)) {
        return t;
      }
    }
    String close = Spelling.closest(n, ids());
    throw Errors.config(
        "Unknown model-dependent transformation '%s'.%s Known: %s.",
        name, close == null ? "" : " Did you mean '" + close + "'?", String.join(", ", ids()));
  }

  @Override
  public String toString() {
    return id;
  }
}
