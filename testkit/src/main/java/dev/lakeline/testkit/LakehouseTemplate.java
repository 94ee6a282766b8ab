package dev.lakeline.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * A lakehouse built once and copied into each test's own {@link TestLakehouse}, for a test class whose tests all start
 * from the same tables.
 *
 * <p>Building Delta tables (creating them, writing and validating their first batches) is most of the time of such a
 * test. A copy of the folder takes milliseconds and gives every test its own tables to change, as if it had built them
 * itself: the copy keeps the files' modification times, which Delta reads as commit times and VACUUM compares with its
 * retention.
 *
 * <p>Hold one in a static field of the test class. It builds on the first {@link #copyInto} and deletes its folder when
 * the JVM exits. A lakehouse that writes its own absolute path into a file cannot be copied (the copy would point back
 * at the template), so the build fails if any file holds it.
 */
public final class LakehouseTemplate {
  private final BiConsumer<SparkSession, TestLakehouse> build;
  private TestLakehouse built;

  private LakehouseTemplate(BiConsumer<SparkSession, TestLakehouse> build) {
    this.build = build;
  }

  /** A template that {@code build} fills, given the test session and an empty lakehouse. */
  public static LakehouseTemplate of(BiConsumer<SparkSession, TestLakehouse> build) {
    return new LakehouseTemplate(build);
  }

  /** Copies the template's files into {@code lakehouse}, an empty folder; builds the template first if need be. */
  public synchronized void copyInto(SparkSession spark, TestLakehouse lakehouse) {
    try {
      if (built == null) {
        built = buildOnce(spark);
      }
      copyTree(built.root(), lakehouse.root());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TestLakehouse buildOnce(SparkSession spark) throws IOException {
    TestLakehouse template = new TestLakehouse(Files.createTempDirectory("lakehouse-template-"));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> SparkTestExtension.deleteRecursively(template.root())));
    try {
      build.accept(spark, template);
      requireNoOwnPath(template.root());
    } catch (RuntimeException | IOException | Error e) {
      SparkTestExtension.deleteRecursively(template.root());
      throw e;
    }
    return template;
  }

  static void requireNoOwnPath(Path root) throws IOException {
    // read as ISO-8859-1, one char per byte: a search that any file's bytes decode for, Parquet's included
    String own = new String(root.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path file : paths.filter(Files::isRegularFile).toList()) {
        if (Files.readString(file, StandardCharsets.ISO_8859_1).contains(own)) {
          throw new IllegalStateException(
              root.relativize(file) + " holds the lakehouse's absolute path " + root
                  + ": a copy would read the template's tables; build this lakehouse in each test instead");
        }
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
      // folders last-modified times change as their files arrive; Lakeline and Delta read only the files' times
    }
  }
}
