package dev.lakeline.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Resolves {@link SparkSession} and {@link TestLakehouse} parameters; see {@link SparkTest}. */
public final class SparkTestExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SparkTestExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    Class<?> type = p.getParameter().getType();
    return type == SparkSession.class || type == TestLakehouse.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    if (p.getParameter().getType() == SparkSession.class) {
      return TestSpark.session();
    }
    return c.getStore(NS)
        .getOrComputeIfAbsent(
            c.getUniqueId(),
            id -> {
              try {
                return new TestLakehouse(Files.createTempDirectory("lakehouse-"));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            TestLakehouse.class);
  }

  @Override
  public void afterEach(ExtensionContext c) {
    TestLakehouse lakehouse = c.getStore(NS).remove(c.getUniqueId(), TestLakehouse.class);
    if (lakehouse != null) {
      deleteRecursively(lakehouse.root());
    }
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
