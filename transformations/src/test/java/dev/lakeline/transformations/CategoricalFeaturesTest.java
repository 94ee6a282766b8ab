package dev.lakeline.transformations;

import static dev.lakeline.transformations.TestData.frame;
import static dev.lakeline.transformations.TestData.row;
import static dev.lakeline.transformations.TestData.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.SparkTest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class CategoricalFeaturesTest {
  @Test
  void normalizeTrimsLowersAndCollapsesWhiteSpace(SparkSession spark) {
    Dataset<Row> df = frame(spark, schema("id int", "s string"),
        row(1, "  New   York "), row(2, "SAN\tFRANCISCO"), row(3, "Saint\u00a0Paul\n"), row(4, "   "), row(5, null));
    List<List<Object>> out = TestData.values(CategoricalFeatures.normalize("s", true, "s").apply(df), "id", "s");
    assertEquals(List.of(
        Arrays.asList(1, "new york"), Arrays.asList(2, "san francisco"), Arrays.asList(3, "saint paul"),
        Arrays.asList(4, null), Arrays.asList(5, null)), out);
    List<List<Object>> keepEmpty = TestData.values(CategoricalFeatures.normalize("s", false, "n").apply(df), "id", "n");
    assertEquals("", keepEmpty.get(3).get(1));
  }

  private static Dataset<Row> colours(SparkSession spark) {
    // red x5, blue x3, green x1, null x1: 9 non-null values.
    return frame(spark, schema("id int", "c string"),
        row(1, "red"), row(2, "red"), row(3, "red"), row(4, "red"), row(5, "red"),
        row(6, "blue"), row(7, "blue"), row(8, "blue"), row(9, "green"), row(10, null));
  }

  @Test
  void rareCategoriesByCountOrShareOfTheInputGiven(SparkSession spark) {
    Map<String, Object> byCount = mapping(
        CategoricalFeatures.rareToBucket("c", 3L, null, "other", "r").apply(colours(spark)));
    assertEquals(Arrays.asList("red", "blue", "other", null),
        Arrays.asList(byCount.get("1"), byCount.get("6"), byCount.get("9"), byCount.get("10")));
    // blue has 3/9 = 0.333 of the non-null rows: rare below 0.34, frequent at 0.3.
    Map<String, Object> share = mapping(
        CategoricalFeatures.rareToBucket("c", null, 0.34, "other", "c").apply(colours(spark)));
    assertEquals(Arrays.asList("red", "other", "other", null),
        Arrays.asList(share.get("1"), share.get("6"), share.get("9"), share.get("10")));
    Map<String, Object> lower = mapping(
        CategoricalFeatures.rareToBucket("c", null, 0.3, "other", "c").apply(colours(spark)));
    assertEquals("blue", lower.get("6"));
    // Computed on the input given: in a batch of blue rows alone, blue is not rare.
    Map<String, Object> blueOnly = mapping(
        CategoricalFeatures.rareToBucket("c", 3L, null, "other", "c").apply(colours(spark).where("c = 'blue'")));
    assertEquals("blue", blueOnly.get("6"));
    assertThrows(LakelineException.ConfigError.class, () -> CategoricalFeatures.rareToBucket("c", null, null, "o", "c"));
    assertThrows(LakelineException.ConfigError.class, () -> CategoricalFeatures.rareToBucket("c", null, 1.5, "o", "c"));
  }

  @Test
  void mapValuesReplacesKnownValuesAndKeepsOrDefaultsOthers(SparkSession spark) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("red", "warm");
    m.put("blue", "cold");
    Map<String, Object> keep = mapping(CategoricalFeatures.mapValues("c", m, null, "c").apply(colours(spark)));
    assertEquals(Arrays.asList("warm", "cold", "green", null),
        Arrays.asList(keep.get("1"), keep.get("6"), keep.get("9"), keep.get("10")));
    Map<String, Object> dflt = mapping(CategoricalFeatures.mapValues("c", m, "unknown", "c").apply(colours(spark)));
    assertEquals(Arrays.asList("warm", "cold", "unknown", null),
        Arrays.asList(dflt.get("1"), dflt.get("6"), dflt.get("9"), dflt.get("10")));
  }

  private static Map<String, Object> mapping(Dataset<Row> df) {
    String out = df.columns()[df.columns().length - 1];
    return TestData.byId(df, "id", out, o -> o);
  }
}
