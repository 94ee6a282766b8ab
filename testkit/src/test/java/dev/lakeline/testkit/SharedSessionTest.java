package dev.lakeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The JVM's one test session and its settings. {@link SharedSessionSecondTest} checks it from another class. */
@SparkTest
class SharedSessionTest {
  /** The first session any of the two classes saw; the other class must see the same instance. */
  static final AtomicReference<SparkSession> FIRST = new AtomicReference<>();

  static void assertTheSharedSession(SparkSession spark) {
    FIRST.compareAndSet(null, spark);
    assertSame(FIRST.get(), spark);
    assertSame(TestSpark.session(), spark);
  }

  @Test
  void everyMethodGetsTheSameSession(SparkSession spark) {
    assertTheSharedSession(spark);
  }

  @Test
  void anotherMethodToo(SparkSession spark) {
    assertTheSharedSession(spark);
    assertSame(spark, SparkSession.active());
  }

  @Test
  void theSessionRunsInUtc(SparkSession spark) {
    assertEquals("UTC", spark.conf().get("spark.sql.session.timeZone"));
    long epochSeconds = spark.sql("SELECT unix_timestamp(TIMESTAMP '2024-01-01 00:00:00')").head().getLong(0);
    assertEquals(1_704_067_200L, epochSeconds);
  }

  @Test
  void theSessionHasTwoShufflePartitionsAndDelta(SparkSession spark) {
    assertEquals("2", spark.conf().get("spark.sql.shuffle.partitions"));
    assertEquals("local[2]", spark.sparkContext().master());
    assertTrue(spark.conf().get("spark.sql.extensions").contains("DeltaSparkSessionExtension"));
  }
}
