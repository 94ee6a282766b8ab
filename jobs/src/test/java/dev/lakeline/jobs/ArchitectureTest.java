package dev.lakeline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The module rules of DESIGN.md, checked on the sources and POMs of the whole repository. */
class ArchitectureTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** The allowed Lakeline dependencies of each module (DESIGN.md's module table). */
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "core", Set.of(),
          "testkit", Set.of("core"),
          "transformations", Set.of("core", "testkit"),
          "validation", Set.of("core", "testkit"),
          "pit-join", Set.of("core", "testkit"),
          "feature-store", Set.of("core", "validation", "pit-join", "testkit"),
          "mllib-training", Set.of("core", "transformations", "feature-store", "testkit"),
          "jobs", Set.of("core", "transformations", "validation", "pit-join", "feature-store", "mllib-training", "testkit"));

  @Test
  void modulesDependOnlyOnWhatTheDesignAllows() throws IOException {
    Map<String, Set<String>> actual = new TreeMap<>();
    Pattern dep = Pattern.compile("<artifactId>lakeline-([a-z-]+)</artifactId>");
    for (String module : ALLOWED.keySet()) {
      String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
      String deps = pom.substring(pom.indexOf("<dependencies>"));
      Set<String> found = new TreeSet<>();
      Matcher m = dep.matcher(deps);
      while (m.find()) {
        found.add(m.group(1));
      }
      actual.put(module, found);
      assertTrue(ALLOWED.get(module).containsAll(found), module + " depends on " + found + ", allowed " + ALLOWED.get(module));
    }
    assertEquals(ALLOWED.keySet(), actual.keySet());
  }

  @Test
  void onlyValidationTouchesDeequAndScalaStaysInternal() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Path file : mainSources()) {
      String rel = ROOT.relativize(file).toString();
      String text = Files.readString(file);
      boolean internalDeequ = rel.startsWith("validation/src/main/java/dev/lakeline/validation/internal/");
      if (text.contains("import com.amazon.deequ") && !internalDeequ) {
        violations.add(rel + " imports Deequ");
      }
      // Scala interop (building a Seq for a Spark internal) only in a module's internal package, never in its API
      boolean internal = rel.matches("[a-z-]+/src/main/java/dev/lakeline/[a-z]+/internal/.*");
      if (Pattern.compile("^import scala\\.", Pattern.MULTILINE).matcher(text).find() && !internal) {
        violations.add(rel + " imports a Scala type");
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void noJobReadsTheWallClock() throws IOException {
    Pattern now = Pattern.compile("(LocalDate|LocalDateTime|Instant|ZonedDateTime|OffsetDateTime)\\.now\\(|new java\\.util\\.Date\\(\\)"
        + "|System\\.currentTimeMillis\\(|current_date\\(|current_timestamp\\(");
    // the one exception: maintenance counts retentions back from now (Maintenance.now), as Delta's own VACUUM does
    Path maintenance = ROOT.resolve("feature-store/src/main/java/dev/lakeline/featurestore/Maintenance.java");
    assertTrue(now.matcher(Files.readString(maintenance)).find(), "the exception is still needed");
    List<String> violations = new ArrayList<>();
    for (Path file : mainSources()) {
      if (!file.equals(maintenance) && now.matcher(Files.readString(file)).find()) {
        violations.add(ROOT.relativize(file).toString());
      }
    }
    assertEquals(List.of(), violations, "dates come from arguments (Airflow's logical date), never from the clock");
  }

  private static List<Path> mainSources() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String module : ALLOWED.keySet()) {
      Path src = ROOT.resolve(module).resolve("src/main/java");
      try (Stream<Path> s = Files.walk(src)) {
        s.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
      }
    }
    assertTrue(files.size() > 30, "found the sources: " + files.size());
    return files;
  }
}
