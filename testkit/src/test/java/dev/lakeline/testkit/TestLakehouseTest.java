package dev.lakeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Each test method gets its own new, empty lakehouse folder, deleted after the method. */
@SparkTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestLakehouseTest {
  private static Path firstRoot;
  private TestLakehouse fromBeforeEach;

  @BeforeEach
  void remember(TestLakehouse lakehouse) {
    fromBeforeEach = lakehouse;
  }

  private static void assertEmptyFolder(Path root) throws IOException {
    assertTrue(Files.isDirectory(root), root + " should be a folder");
    try (Stream<Path> entries = Files.list(root)) {
      assertEquals(0, entries.count(), root + " should be empty");
    }
  }

  @Test
  @Order(1)
  void theFirstMethodGetsAnEmptyFolder(TestLakehouse lakehouse) throws IOException {
    assertEmptyFolder(lakehouse.root());
    assertSame(fromBeforeEach, lakehouse, "one lakehouse per method, shared with @BeforeEach");
    Files.createDirectories(lakehouse.root().resolve("feature_groups/loans"));
    Files.writeString(lakehouse.root().resolve("feature_groups/loans/data.txt"), "x");
    firstRoot = lakehouse.root();
  }

  @Test
  @Order(2)
  void theNextMethodGetsAnotherEmptyFolderAndTheFirstIsGone(TestLakehouse lakehouse) throws IOException {
    assertNotNull(firstRoot, "the first method runs first");
    assertNotEquals(firstRoot, lakehouse.root());
    assertEmptyFolder(lakehouse.root());
    assertFalse(Files.exists(firstRoot), "the first method's lakehouse should be deleted after it");
  }

  @Test
  @Order(3)
  void itsLayoutAndUriPointAtTheFolder(TestLakehouse lakehouse) {
    assertTrue(lakehouse.root().isAbsolute());
    assertEquals(lakehouse.root().toString(), lakehouse.uri());
    assertEquals(lakehouse.uri(), lakehouse.layout().root());
    assertEquals(lakehouse.uri() + "/feature_groups/loans/v1", lakehouse.layout().featureGroup("loans", 1));
  }
}
