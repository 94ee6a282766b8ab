package dev.lakeline.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Definition files named by a path or, for those bundled in the jar, by {@code classpath:<resource>}. */
public final class TextFiles {
  public static final String CLASSPATH = "classpath:";

  private TextFiles() {}

  /**
   * The text at {@code location}. {@code what} names the file in messages ("Feature pipeline", "Model"): a bundled one
   * that is not in the jar or a missing file is not found, a folder is a config error that asks for the file.
   */
  public static String read(String location, String what) {
    String lower = what.toLowerCase(Locale.ROOT);
    if (location.startsWith(CLASSPATH)) {
      String resource = location.substring(CLASSPATH.length());
      try (InputStream in = TextFiles.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw Errors.notFound("%s %s is not bundled in this jar.", what, location);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw Errors.config(e, "Cannot read %s %s: %s", lower, location, e.getMessage());
      }
    }
    Path file = Path.of(location);
    if (Files.isDirectory(file)) {
      throw Errors.config("%s %s is a folder: pass the %s file itself (%s<name>.yaml).",
          what, location, lower.replace("feature ", ""), location.endsWith("/") ? location : location + "/");
    }
    if (!Files.isRegularFile(file)) {
      throw Errors.notFound("%s file %s does not exist.", what, location);
    }
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw Errors.config(e, "Cannot read %s file %s: %s", lower, location, e.getMessage());
    }
  }
}
