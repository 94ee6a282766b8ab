package dev.lakeline.validation.internal.deequ;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazon.deequ.VerificationResult;
import com.amazon.deequ.VerificationSuite;
import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckLevel;
import com.amazon.deequ.checks.CheckStatus;
import com.amazon.deequ.constraints.Constraint;
import dev.lakeline.testkit.SparkTest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * Deequ 2.0.7's own behaviour on the cases Lakeline works around, pinned so that a Deequ upgrade that changes
 * them shows up here. The Lakeline side of each case is in {@code DeequTrapsTest}.
 */
@SparkTest
class DeequBehaviourTest {
  private static final AbstractFunction1<Object, Object> IS_ONE = new IsOne();

  private static final class IsOne extends AbstractFunction1<Object, Object> implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object value) {
      return ((Number) value).doubleValue() == 1.0;
    }
  }

  private static Check check(String description) {
    return new Check(CheckLevel.Error(), description, JavaConverters.asScalaBuffer(new ArrayList<Constraint>()).toList());
  }

  private static VerificationResult run(Dataset<Row> data, Check check) {
    return VerificationSuite.apply().onData(data).addCheck(check).run();
  }

  /** Deequ's isNonNegative casts to DECIMAL(20,10): -99999999999 overflows to null, which it counts as passing. */
  @Test
  void isNonNegativeMissesLargeNegatives(SparkSession spark) {
    Dataset<Row> data = spark.sql("SELECT CAST(-99999999999 AS BIGINT) AS v");
    Check nonNegative = check("non-negative").isNonNegative("v", IS_ONE, Option.empty());
    assertEquals(CheckStatus.Success(), run(data, nonNegative).status(), "Deequ 2.0.7 lets -99999999999 pass isNonNegative");
  }

  /** Deequ's uniqueness drops rows whose key columns are all null: two (NULL, NULL) keys are "unique". */
  @Test
  void uniquenessIgnoresAllNullKeys(SparkSession spark) {
    Dataset<Row> data = spark.sql("SELECT * FROM VALUES ('x', 1), (NULL, NULL), (NULL, NULL) AS t(_c0, _c1)");
    DeequRunner.Result r =
        DeequRunner.run(data, List.of(new DeequRunner.Item("pk", true, new Measure.Uniqueness(List.of("_c0", "_c1"), null))));
    Measurement m = r.measurements().get(0);
    assertEquals(1.0, m.value());
    assertEquals(1L, m.count(), "only the non-null key is counted");
  }

  /** A filter that matches no row makes Deequ's metric an "empty state" failure instead of a vacuous success. */
  @Test
  void aFilterMatchingNoRowIsAnEmptyState(SparkSession spark) {
    Dataset<Row> data = spark.sql("SELECT * FROM VALUES (false, false), (false, false) AS t(_o0, _a0)");
    Check c = check("e0").satisfies("_o0", "e0", IS_ONE, Option.empty(),
        JavaConverters.asScalaBuffer(List.of("_o0", "_a0")).toList(), Option.empty()).where("_a0");
    assertEquals(CheckStatus.Error(), run(data, c).status(), "Deequ 2.0.7 fails a constraint whose filter matches nothing");
    Measurement m = DeequRunner.run(data, List.of(new DeequRunner.Item("e0", true, new Measure.Compliance("_o0", "_a0")))).measurements().get(0);
    assertTrue(m.empty());
    assertFalse(m.failed());
    assertEquals(0L, m.count());
  }

  /** Exact counts come from Deequ's states, not from its ratios. */
  @Test
  void complianceCountsComeFromTheState(SparkSession spark) {
    Dataset<Row> data = spark.sql("SELECT * FROM VALUES (true, true), (false, true), (false, false), (true, true) AS t(_o0, _a0)");
    DeequRunner.Result r = DeequRunner.run(data, List.of(new DeequRunner.Item("e0", true, new Measure.Compliance("_o0", "_a0"))));
    assertEquals(4L, r.rows());
    Measurement m = r.measurements().get(0);
    assertEquals(2L, m.matches());
    assertEquals(3L, m.count());
    assertNull(m.failure());
  }
}
