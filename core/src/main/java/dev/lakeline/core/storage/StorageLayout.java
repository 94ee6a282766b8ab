package dev.lakeline.core.storage;

import dev.lakeline.core.Names;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where everything lives under one lakehouse root. Local roots (no URI scheme) are made absolute, so that a
 * job behaves the same wherever it is started from; remote roots ({@code s3://}, {@code abfss://}, {@code
 * dbfs:/}) and {@code /Volumes/…} paths are kept as they are.
 *
 * <pre>
 * &lt;root&gt;/raw/&lt;source&gt;/                                  raw source data (the demo's generated input)
 * &lt;root&gt;/feature_groups/&lt;name&gt;/v&lt;version&gt;/              Delta table
 * &lt;root&gt;/feature_views/&lt;name&gt;/v&lt;version&gt;.json         immutable definition
 * &lt;root&gt;/training_datasets/&lt;view&gt;/v&lt;version&gt;/td&lt;n&gt;/    Delta table + manifest
 * &lt;root&gt;/models/&lt;name&gt;/v&lt;version&gt;/                     model/ + model.json
 * &lt;root&gt;/predictions/&lt;model&gt;/                           Delta table of batch predictions
 * &lt;root&gt;/_lakeline/&lt;table&gt;/                             Lakeline's own Delta tables (validation reports, …)
 * &lt;root&gt;/_lakeline/quarantine/&lt;group&gt;/v&lt;version&gt;/      rows a feature group's gate held back
 * </pre>
 */
public final class StorageLayout {
  private final String root;

  public StorageLayout(String root) {
    this.root = normalise(root);
  }

  static String normalise(String root) {
    String r = root.trim();
    while (r.length() > 1 && r.endsWith("/") && !r.endsWith("://")) {
      r = r.substring(0, r.length() - 1);
    }
    if (hasScheme(r) || r.startsWith("/Volumes/")) {
      return r;
    }
    return Path.of(r).toAbsolutePath().normalize().toString();
  }

  /**
   * {@code location} in one spelling, to tell whether two locations name the same place: a {@code file:} URI as its
   * path and a local folder absolute (as {@link #normalise} makes the root), without a trailing slash. Other stores'
   * URIs are compared as written.
   */
  public static String comparable(String location) {
    String s = location.trim();
    if (s.regionMatches(true, 0, "file:", 0, 5)) {
      try {
        String path = URI.create(s.replace(" ", "%20")).getPath();
        s = path == null ? s : path;
      } catch (IllegalArgumentException e) {
        // not a URI Java reads: compared as written
      }
    }
    try {
      return normalise(s);
    } catch (java.nio.file.InvalidPathException e) {
      return s; // a glob or another spelling a local path cannot take
    }
  }

  private static boolean hasScheme(String r) {
    int colon = r.indexOf(':');
    if (colon < 2) {
      return false;
    }
    try {
      return URI.create(r.replace(" ", "%20")).getScheme() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The root, absolute for local folders. */
  public String root() {
    return root;
  }

  /** Whether the root is on the local file system. */
  public boolean isLocal() {
    return root.startsWith("/") && !root.startsWith("/Volumes/") || root.toLowerCase(Locale.ROOT).startsWith("file:");
  }

  public String raw(String source) {
    return join("raw", Names.check("raw source", source));
  }

  /**
   * Where {@code lakeline generate} writes the sample sources before they replace those of {@link #raw}: a run stopped
   * while writing leaves the old sources whole. Spark's file listing skips names starting with {@code _}.
   */
  public String rawStaging() {
    return join("raw", "_generating");
  }

  /** The folder that holds every feature group ({@code <name>/v<version>} under it). */
  public String featureGroups() {
    return join("feature_groups");
  }

  /** The folder that holds every feature view definition ({@code <name>/v<version>.json} under it). */
  public String featureViews() {
    return join("feature_views");
  }

  public String featureGroup(String name, int version) {
    return join("feature_groups", Names.check("feature group", name), "v" + checkVersion(version));
  }

  public String featureView(String name, int version) {
    return join("feature_views", Names.check("feature view", name), "v" + checkVersion(version) + ".json");
  }

  public String trainingDatasets(String view, int version) {
    return join("training_datasets", Names.check("feature view", view), "v" + checkVersion(version));
  }

  public String trainingDataset(String view, int version, int number) {
    return under(trainingDatasets(view, version), "td" + checkVersion(number));
  }

  private static final java.util.regex.Pattern TRAINING_DATASET =
      java.util.regex.Pattern.compile(".*training_datasets/([^/]+)/v([0-9]+)/td([0-9]+)/?");

  /** A training dataset named by its folder: the view, the view's version and the dataset's number. */
  public record DatasetFolder(String view, int version, int number) {
    /** "view v1 td3". */
    public String label() {
      return view + " v" + version + " td" + number;
    }
  }

  /**
   * The training dataset whose folder {@code path} is, wherever the lakehouse lies (a model card records the absolute
   * path of the lakehouse it was trained in); empty when it is not a dataset's folder.
   */
  public static java.util.Optional<DatasetFolder> trainingDatasetFolder(String path) {
    java.util.regex.Matcher m = TRAINING_DATASET.matcher(path == null ? "" : path);
    return m.matches()
        ? java.util.Optional.of(new DatasetFolder(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))))
        : java.util.Optional.empty();
  }

  /**
   * Whether two paths name the same training dataset: the same view, version and number under
   * {@code training_datasets/}, wherever the lakehouse root is (a lakehouse copied or moved, or reached through another
   * URI scheme); paths that name no dataset folder must be equal.
   */
  public static boolean sameTrainingDataset(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    var folder = trainingDatasetFolder(a);
    return folder.isPresent() ? folder.equals(trainingDatasetFolder(b)) : a.equals(b);
  }

  /** {@link #trainingDatasetFolder}'s label, or the path itself when it is not a dataset's folder. */
  public static String trainingDatasetLabel(String path) {
    return trainingDatasetFolder(path).map(DatasetFolder::label).orElse(path == null ? "-" : path);
  }

  /** The folder that holds every model ({@code <name>/v<version>} under it). */
  public String models() {
    return join("models");
  }

  public String models(String name) {
    return join("models", Names.check("model", name));
  }

  public String model(String name, int version) {
    return under(models(name), "v" + checkVersion(version));
  }

  public String predictions(String model) {
    return join("predictions", Names.check("model", model));
  }

  /** The quarantine table of a feature group version: rows its gate held back, with the reasons. */
  public String quarantine(String group, int version) {
    return join("_lakeline", "quarantine", Names.check("feature group", group), "v" + checkVersion(version));
  }

  /** One of Lakeline's own tables (catalog, validation reports, job runs, …). */
  public String system(String table) {
    return join("_lakeline", Names.check("system table", table));
  }

  private String join(String... parts) {
    return under(root, parts);
  }

  private static String under(String base, String... parts) {
    StringBuilder b = new StringBuilder(base);
    for (String p : parts) {
      if (b.charAt(b.length() - 1) != '/') {
        b.append('/');
      }
      b.append(p);
    }
    return b.toString();
  }

  private static int checkVersion(int version) {
    if (version < 1) {
      throw dev.lakeline.core.Errors.config("Versions start at 1; got %d.", version);
    }
    return version;
  }

  @Override
  public String toString() {
    return root;
  }
}
