package dev.lakeline.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The key declarations: what error messages say is expected, ranges, required keys. */
class ConfigKeyTest {
  @Test
  void expectedDescribesTypeAndRange() {
    assertEquals("a string", LakelineKeys.SPARK_MASTER.expected());
    assertEquals("an integer >= 1 and <= 100000", LakelineKeys.SPARK_SHUFFLE_PARTITIONS.expected());
    assertEquals("a number >= 0.01 and <= 0.9", LakelineKeys.TRAINING_TEST_FRACTION.expected());
    assertEquals("one of [logistic_regression, gbt]", LakelineKeys.TRAINING_ALGORITHM.expected());
    assertEquals("true or false", ConfigKey.bool("x.flag", false, "").expected());
    assertEquals("an integer >= 0", ConfigKey.integer("x.n", 0, "").withRange(0, Double.POSITIVE_INFINITY).expected());
    assertEquals("a number <= 1", ConfigKey.number("x.d", 0.0, "").withRange(Double.NEGATIVE_INFINITY, 1).expected());
    assertEquals("a number > 0 and < 1", LakelineKeys.TRAINING_DECISION_THRESHOLD.expected());
    assertTrue(LakelineKeys.TRAINING_DECISION_THRESHOLD.inRange(0.5));
    assertFalse(LakelineKeys.TRAINING_DECISION_THRESHOLD.inRange(0) || LakelineKeys.TRAINING_DECISION_THRESHOLD.inRange(1));
    assertTrue(LakelineKeys.TRAINING_TEST_FRACTION.inRange(0.9), "a closed range keeps its bounds");
  }

  @Test
  void rangesIncludeTheirBounds() {
    ConfigKey<Double> fraction = LakelineKeys.TRAINING_TEST_FRACTION;

    assertTrue(fraction.inRange(0.01));
    assertTrue(fraction.inRange(0.9));
    assertFalse(fraction.inRange(0.0));
    assertFalse(fraction.inRange(0.91));
  }

  @Test
  void onlyTheModelNameIsRequired() {
    List<ConfigKey<?>> required = LakelineKeys.ALL.stream().filter(ConfigKey::required).toList();

    assertEquals(List.of(LakelineKeys.MODEL_NAME), required);
  }

  @Test
  void keyNamesAndEnvironmentVariablesAreUnique() {
    Set<String> names = new HashSet<>();
    Set<String> variables = new HashSet<>();
    for (ConfigKey<?> key : LakelineKeys.ALL) {
      assertTrue(names.add(key.name()), "duplicate key " + key.name());
      assertTrue(variables.add(key.environmentVariable()), "duplicate variable " + key.environmentVariable());
    }
  }
}
