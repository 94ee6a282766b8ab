package dev.lakeline.training;

/**
 * A metric of two model versions measured on the same rows: what {@link ModelRegistry#promoteIfBetter(String, String,
 * int, String, double, java.util.function.Function) promotion} compares when it can, instead of each version's metric on
 * its own test split (two test splits differ by chance, by drift, and by whatever rows one version was trained on).
 *
 * @param candidate the new version's metric on the rows, or null when the two could not be measured on the same rows
 * @param holder the metric of the version the alias points at, on the same rows, or null likewise
 * @param rows which rows, in words ("the 1,204 rows of v3's test split that v1 was not trained on"); when the versions
 *     could not be compared, why not ("v1's training dataset … is gone, so its training rows cannot be left out")
 */
public record Comparison(Double candidate, Double holder, String rows) {
  /** The two versions could not be measured on the same rows, for the reason given. */
  public static Comparison unavailable(String why) {
    return new Comparison(null, null, why);
  }

  /** Whether both metrics were measured. */
  public boolean available() {
    return candidate != null && holder != null && !candidate.isNaN() && !holder.isNaN();
  }
}
