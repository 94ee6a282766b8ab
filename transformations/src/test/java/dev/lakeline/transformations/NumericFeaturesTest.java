package dev.lakeline.transformations;

import static dev.lakeline.transformations.TestData.frame;
import static dev.lakeline.transformations.TestData.row;
import static dev.lakeline.transformations.TestData.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.SparkTest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class NumericFeaturesTest {
  private static Dataset<Row> numbers(SparkSession spark) {
    return frame(spark, schema("id string", "x double"),
        row("low", -5.0), row("b0", 0.0), row("mid", 5.5), row("b1", 10.0), row("high", 1e9),
        row("nan", Double.NaN), row("null", null));
  }

  private static Map<String, Object> column(Dataset<Row> df, String name) {
    return TestData.byId(df, "id", name, o -> o);
  }

  @Test
  void bucketsAreLeftClosedAndABoundaryStartsItsBucket(SparkSession spark) {
    Map<String, Object> b = column(NumericFeatures.bucketize("x", "b", 0.0, 10.0).apply(numbers(spark)), "b");
    Map<String, Object> expected = new HashMap<>(Map.of("low", 0, "b0", 1, "mid", 1, "b1", 2, "high", 2));
    expected.put("nan", null);
    expected.put("null", null);
    assertEquals(expected, b);
    assertThrows(LakelineException.ConfigError.class, () -> NumericFeatures.bucketize("x", "b", 1.0, 1.0));
  }

  @Test
  void clipLimitsBothSidesAndKeepsNullAndNaN(SparkSession spark) {
    Map<String, Object> c = column(NumericFeatures.clip("x", 0.0, 8.0, "x").apply(numbers(spark)), "x");
    assertEquals(0.0, c.get("low"));
    assertEquals(5.5, c.get("mid"));
    assertEquals(8.0, c.get("high"));
    assertTrue(((Double) c.get("nan")).isNaN());
    assertEquals(null, c.get("null"));
    Map<String, Object> below = column(NumericFeatures.clip("x", null, 1.0, "c").apply(numbers(spark)), "c");
    assertEquals(-5.0, below.get("low"));
    assertThrows(LakelineException.ConfigError.class, () -> NumericFeatures.clip("x", 2.0, 1.0, "c"));
  }

  @Test
  void log1pHandlesNegativesByTheChosenRule(SparkSession spark) {
    Map<String, Object> signed = column(NumericFeatures.log1p("x", "signed", "l").apply(numbers(spark)), "l");
    assertEquals(-Math.log1p(5.0), (Double) signed.get("low"), 1e-12);
    assertEquals(0.0, signed.get("b0"));
    assertEquals(Math.log1p(10.0), (Double) signed.get("b1"), 1e-12);
    assertEquals(null, signed.get("null"));
    Map<String, Object> nulls = column(NumericFeatures.log1p("x", "null", "l").apply(numbers(spark)), "l");
    assertEquals(null, nulls.get("low"));
    assertEquals(Math.log1p(5.5), (Double) nulls.get("mid"), 1e-12);
    assertThrows(LakelineException.ConfigError.class, () -> NumericFeatures.log1p("x", "abs", "l"));
  }

  @Test
  void ratioIsNullForAZeroOrMissingDenominator(SparkSession spark) {
    Dataset<Row> df = frame(spark, schema("id string", "a int", "b double"),
        row("ok", 3, 2.0), row("zero", 1, 0.0), row("null", 1, null));
    Map<String, Object> r = column(NumericFeatures.ratio("a", "b", "r").apply(df), "r");
    Map<String, Object> expected = new HashMap<>(Map.of("ok", 1.5));
    expected.put("zero", null);
    expected.put("null", null);
    assertEquals(expected, r);
  }

  @Test
  void haversineGivesGreatCircleKilometres(SparkSession spark) {
    Dataset<Row> df = frame(spark, schema("id string", "lat1 double", "lon1 double", "lat2 double", "lon2 double"),
        row("paris-london", 48.8566, 2.3522, 51.5074, -0.1278),
        row("same", 10.0, 20.0, 10.0, 20.0),
        row("antipodes", 0.0, 0.0, 0.0, 180.0),
        row("dateline", 0.0, 179.5, 0.0, -179.5),
        row("bad-lat", 91.0, 0.0, 0.0, 0.0),
        row("null", null, 0.0, 0.0, 0.0));
    Map<String, Object> km = column(NumericFeatures.haversineKm("lat1", "lon1", "lat2", "lon2", "km").apply(df), "km");
    assertEquals(343.556, (Double) km.get("paris-london"), 0.001);
    assertEquals(0.0, (Double) km.get("same"), 1e-9);
    assertEquals(Math.PI * 6371.0, (Double) km.get("antipodes"), 1e-6);
    assertEquals(111.195, (Double) km.get("dateline"), 0.001);
    assertEquals(Arrays.asList(null, null), Arrays.asList(km.get("bad-lat"), km.get("null")));
  }

  @Test
  void positiveFlagIsOneAboveZeroZeroOtherwiseAndNullForNullOrNaN(SparkSession spark) {
    // Spark orders NaN above every number (NaN > 0 is true in Spark SQL), yet NaN is not a positive value: null.
    Dataset<Row> df = frame(spark, schema("id string", "x double"),
        row("neg", -5.0), row("negzero", -0.0), row("zero", 0.0), row("tiny", 1e-30), row("inf",
            Double.POSITIVE_INFINITY), row("-inf", Double.NEGATIVE_INFINITY), row("nan", Double.NaN), row("null", null));
    Map<String, Object> expected = new HashMap<>(
        Map.of("neg", 0, "negzero", 0, "zero", 0, "tiny", 1, "inf", 1, "-inf", 0));
    expected.put("nan", null);
    expected.put("null", null);
    assertEquals(expected, column(NumericFeatures.positiveFlag("x", "f").apply(df), "f"));
    Dataset<Row> floats = df.selectExpr("id", "CAST(x AS FLOAT) AS x");
    assertEquals(expected, column(NumericFeatures.positiveFlag("x", "f").apply(floats), "f"));
  }

  @Test
  void nonNumericInputIsAnErrorNamingStepAndColumn(SparkSession spark) {
    Dataset<Row> df = frame(spark, schema("id string", "x double"), row("a", 1.0));
    for (Step step : List.of(NumericFeatures.bucketize("id", "b", 1.0), NumericFeatures.clip("id", 0.0, 1.0, "c"),
        NumericFeatures.log1p("id", "signed", "l"), NumericFeatures.haversineKm("x", "x", "id", "x", "d"))) {
      var e = assertThrows(LakelineException.ConfigError.class, () -> step.apply(df));
      assertTrue(e.getMessage().contains("'" + step.name() + "'") && e.getMessage().contains("'id'"), e.getMessage());
    }
  }
}
