package dev.lakeline.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that uses Spark. Test methods and constructors can then take a {@code SparkSession} (the
 * JVM's one shared session) and a {@link TestLakehouse} (a new, empty lakehouse folder per test method).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SparkTestExtension.class)
@Tag("spark")
public @interface SparkTest {}
