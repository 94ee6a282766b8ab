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
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.SparkSession;

/**
 * A file-based model registry under {@code <root>/models/<name>/}. Version numbers are claimed atomically
 * ({@code _claims/v<n>}, created exclusively), so two trainings never share one; a version is visible only once
 * its {@code model.json} is written, after the model itself; versions are never overwritten.
 */
public final class ModelRegistry {
  static final String MODEL_DIR = "model";
  static final String CARD = "model.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final SparkSession spark;
  private final StorageLayout layout;
  private final LakeFiles files;

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
    Names.check("model", name);
    int version = claimVersion(name);
    String dir = layout.model(name, version);
    try {
      model.write().save(dir + "/" + MODEL_DIR);
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

  /** An exact version; not found if it is not visible. */
  public ModelVersion get(String name, int version) {
    String dir = layout.model(name, version);
    if (!files.exists(dir + "/" + CARD)) {
      throw Errors.notFound(
          "Model %s has no version %d. Registered versions: %s.",
          name, version, versions(name).stream().map(ModelVersion::version).toList());
    }
    return new ModelVersion(name, version, dir, readCard(dir));
  }

  /**
   * Resolves a reference: a version number or {@code latest}. (Aliases such as {@code @champion} arrive with
   * the registry's alias log.)
   */
  public ModelVersion resolve(String name, String reference) {
    String ref = reference.trim();
    if (ref.equals("latest")) {
      List<ModelVersion> all = versions(name);
      if (all.isEmpty()) {
        throw Errors.notFound("Model %s has no versions yet. Train one first (lakeline train --date <day>).", name);
      }
      return all.get(all.size() - 1);
    }
    if (ref.matches("[0-9]+")) {
      return get(name, Integer.parseInt(ref));
    }
    throw Errors.config(
        "Cannot resolve model version '%s' of %s: use a version number or 'latest'.", reference, name);
  }

  /** The version trained from the same inputs ({@link ModelCard#runKey()}), if any. */
  public Optional<ModelVersion> findByRunKey(String name, String runKey) {
    return versions(name).stream().filter(v -> runKey.equals(v.card().runKey())).findFirst();
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
