package dev.lakeline.testkit;

import dev.lakeline.core.storage.StorageLayout;
import java.nio.file.Path;

/** A temporary lakehouse root for one test method; deleted after the test. */
public record TestLakehouse(Path root) {
  public StorageLayout layout() {
    return new StorageLayout(root.toString());
  }

  /** The root as a string, for {@code --lakehouse} arguments and config. */
  public String uri() {
    return root.toString();
  }
}
