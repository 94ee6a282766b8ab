package dev.lakeline.testkit;

import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A second class: it must get the session {@link SharedSessionTest} got, whichever of the two runs first. */
@SparkTest
class SharedSessionSecondTest {
  private final SparkSession fromConstructor;

  SharedSessionSecondTest(SparkSession spark) {
    this.fromConstructor = spark;
  }

  @Test
  void anotherClassGetsTheSameSession(SparkSession spark) {
    assertSame(fromConstructor, spark);
    SharedSessionTest.assertTheSharedSession(spark);
  }
}
