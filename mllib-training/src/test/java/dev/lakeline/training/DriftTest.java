package dev.lakeline.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.SparkTest;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Profiles, their bins and the drift between two of them, by hand and on small generated frames. */
@SparkTest
class DriftTest {
  private static final StructType SCHEMA = new StructType()
      .add("x", DataTypes.DoubleType, true)
      .add("colour", DataTypes.StringType, true);

  /** Rows with x = offset + 0 … offset + n - 1 (every tenth null when {@code nulls}) and colours red 60 %, blue 30 %, green 10 %. */
  private static Dataset<Row> frame(SparkSession spark, int n, double offset, boolean nulls) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String colour = i % 10 < 6 ? "red" : i % 10 < 9 ? "blue" : "green";
      rows.add(RowFactory.create(nulls && i % 10 == 3 ? null : offset + i, colour));
    }
    return spark.createDataFrame(rows, SCHEMA).repartition(3);
  }

  @Test
  void psiByHand() {
    assertEquals(0.0, Drift.psi(new long[] {50, 50}, new long[] {5, 5}), 1e-12, "the same shares, whatever the row counts");
    double expected = (0.5 - 0.9) * Math.log(0.5 / 0.9) + (0.5 - 0.1) * Math.log(0.5 / 0.1);
    assertEquals(expected, Drift.psi(new long[] {90, 10}, new long[] {50, 50}), 1e-12);
    // an empty bin counts as a share of EPSILON, not as an infinite surprise
    double floored = (Drift.EPSILON - 0.5) * Math.log(Drift.EPSILON / 0.5) + (1 - 0.5) * Math.log(1 / 0.5);
    assertEquals(floored, Drift.psi(new long[] {50, 50}, new long[] {0, 10}), 1e-12);
    assertEquals(0.0, Drift.psi(new long[] {0, 0}, new long[] {3, 4}), "no baseline rows: nothing to compare");
    DriftThresholds t = DriftThresholds.DEFAULT;
    assertEquals(FeatureDrift.ALERT, t.status(0.25, 200));
    assertEquals(FeatureDrift.WARN, t.status(0.1, 200));
    assertEquals(FeatureDrift.OK, t.status(0.0999, 200));
    assertEquals(FeatureDrift.FEW_ROWS, t.status(5.0, 199), "too few rows to judge, however large the PSI");
    assertThrows(IllegalArgumentException.class, () -> new DriftThresholds(0.3, 0.2, 100), "warn above alert");
  }

  @Test
  void numericProfilesCutAtTheDecilesAndCountNullsApart(SparkSession spark) {
    FeatureProfile x = FeatureProfile.of(frame(spark, 1000, 0, true), List.of("x"), List.of()).get(0);
    assertEquals(FeatureProfile.NUMERIC, x.kind());
    assertEquals(9, x.edges().size(), x.edges().toString());
    assertEquals(100, x.nulls());
    assertEquals(1000, x.rows());
    // 900 distinct values (0 … 999 without 3, 13, …): each decile bin holds about 90 of them
    for (long c : x.counts()) {
      assertTrue(c >= 85 && c <= 95, "a bin of about a tenth: " + x.counts());
    }
    // a value equal to an edge goes to the bin below it
    double edge = x.edges().get(4);
    Dataset<Row> one = spark.createDataFrame(List.of(RowFactory.create(edge, "red")), SCHEMA);
    assertEquals(1L, FeatureProfile.measure(one, List.of(x)).get(0).counts().get(4));
    assertEquals(List.of("≤ " + (long) (double) x.edges().get(0)), x.binLabels().subList(0, 1));
  }

  @Test
  void categoricalProfilesListTheMostFrequentFirstAndPoolTheRest(SparkSession spark) {
    FeatureProfile c = FeatureProfile.of(frame(spark, 200, 0, false), List.of(), List.of("colour")).get(0);
    assertEquals(List.of("red", "blue", "green"), c.categories());
    assertEquals(List.of(120L, 60L, 20L, 0L), c.counts());
    List<Row> other = List.of(RowFactory.create(1.0, "purple"), RowFactory.create(2.0, null), RowFactory.create(3.0, "red"));
    FeatureProfile later = FeatureProfile.measure(spark.createDataFrame(other, SCHEMA), List.of(c)).get(0);
    assertEquals(List.of(1L, 0L, 0L, 1L), later.counts(), "purple is one of the others");
    assertEquals(1, later.nulls());
    // shares of the non-null rows: red .6 → .5, blue .3 → 0, green .1 → 0, other 0 → .5
    assertEquals(0.5, Drift.compare(c, later, DriftThresholds.DEFAULT).maxGap(), 1e-12);
    // category by category, not cumulated: red .6 → .5 and blue .3 → .5 give .2 (cumulated shares would differ by .1)
    List<Row> mixed = List.of(RowFactory.create(1.0, "blue"), RowFactory.create(2.0, "blue"), RowFactory.create(3.0, "red"),
        RowFactory.create(4.0, "red"));
    FeatureProfile two = FeatureProfile.measure(spark.createDataFrame(mixed, SCHEMA), List.of(c)).get(0);
    assertEquals(0.2, Drift.compare(c, two, DriftThresholds.DEFAULT).maxGap(), 1e-12);
    assertEquals(List.of("red", "blue", "green", "other"), c.binLabels());
    // a category named "other" (rare_categories' default bucket, one of the demo's purposes) is not the pooled bin
    FeatureProfile named = new FeatureProfile("purpose", FeatureProfile.CATEGORICAL, List.of(), List.of("car", "other"), List.of(5L, 3L, 0L), 0);
    assertEquals(List.of("car", "other", "(other)"), named.binLabels());
  }

  @Test
  void theSameDataDoesNotDriftAShiftedOneDoes(SparkSession spark) {
    DriftBaseline baseline = new DriftBaseline(FeatureProfile.of(frame(spark, 1000, 0, true), List.of("x"), List.of("colour")), null);
    List<FeatureDrift> same = Drift.measure(baseline, frame(spark, 1000, 0, true), DriftThresholds.DEFAULT);
    assertEquals(List.of("x", "colour"), same.stream().map(FeatureDrift::feature).toList());
    for (FeatureDrift d : same) {
      assertEquals(0.0, d.psi(), 1e-12, d.toString());
      assertEquals(FeatureDrift.OK, d.status());
    }

    // x moved up by 300 and lost its nulls: the PSI and the largest gap follow the shares bin by bin
    Dataset<Row> shifted = frame(spark, 1000, 300, false);
    FeatureDrift d = Drift.measure(baseline, shifted, DriftThresholds.DEFAULT).get(0);
    FeatureProfile b = baseline.features().get(0);
    long[] expected = new long[b.counts().size() + 1];
    long[] actual = new long[b.counts().size() + 1];
    for (int i = 0; i < b.counts().size(); i++) {
      expected[i] = b.counts().get(i);
    }
    expected[expected.length - 1] = b.nulls();
    double gap = 0;
    for (int v = 300; v < 1300; v++) {
      int bin = 0;
      while (bin < b.edges().size() && v > b.edges().get(bin)) {
        bin++;
      }
      actual[bin]++;
    }
    long ce = 0;
    long ca = 0;
    for (int i = 0; i < b.counts().size(); i++) {
      ce += expected[i];
      ca += actual[i];
      gap = Math.max(gap, Math.abs(ce / 900.0 - ca / 1000.0));
    }
    assertEquals(Drift.psi(expected, actual), d.psi(), 1e-12);
    assertTrue(d.psi() > 0.25, "a third of the range moved: " + d.psi());
    assertEquals(FeatureDrift.ALERT, d.status());
    assertEquals(gap, d.maxGap(), 1e-12);
    assertEquals(0.1, d.baselineNullRate(), 1e-12);
    assertEquals(0.0, d.nullRate());
    assertEquals(1000, d.rows());
  }

  @Test
  void theScoresProfileComesExactlyFromTheKeptDistribution() {
    // 100 bins: 10 rows in each of bins 0 … 49, none above; deciles every fifth bin
    long[] neg = new long[100];
    long[] pos = new long[100];
    for (int b = 0; b < 50; b++) {
      (b % 2 == 0 ? neg : pos)[b] = 10;
    }
    FeatureProfile p = FeatureProfile.ofScores("score", new ScoreDistribution(100, neg, pos));
    assertEquals(List.of(0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45), p.edges());
    assertEquals(List.of(50L, 50L, 50L, 50L, 50L, 50L, 50L, 50L, 50L, 50L), p.counts());
    assertEquals(500, p.rows());
  }

  @Test
  void aColumnTheBatchLacksIsNamed(SparkSession spark) {
    FeatureProfile x = FeatureProfile.of(frame(spark, 100, 0, false), List.of("x"), List.of()).get(0);
    Dataset<Row> other = frame(spark, 10, 0, false).withColumnRenamed("x", "y");
    LakelineException.ConfigError e = assertThrows(LakelineException.ConfigError.class, () -> FeatureProfile.measure(other, List.of(x)));
    assertTrue(e.getMessage().contains("Column 'x' is not in the data"), e.getMessage());
  }
}
