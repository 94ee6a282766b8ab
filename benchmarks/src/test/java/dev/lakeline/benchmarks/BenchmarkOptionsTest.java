package dev.lakeline.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

/** The benchmarks' command lines: what each reads, and the one-line errors for what it cannot. */
class BenchmarkOptionsTest {
  @Test
  void theDefaultsAreTheDocumentedRuns() {
    PitJoinBenchmark.Options pit = BenchmarkOptions.parse(new PitJoinBenchmark.Options());
    assertEquals(List.of(), pit.scenarios, "every scenario");
    assertEquals(3, pit.runs);
    assertEquals(5, pit.warmUp);
    assertEquals(180, pit.rankTimeout);
    GateBenchmark.Options gate = BenchmarkOptions.parse(new GateBenchmark.Options());
    assertEquals(List.of(1_000_000L, 10_000_000L), gate.rows);
    WindowBenchmark.Options windows = BenchmarkOptions.parse(new WindowBenchmark.Options());
    assertEquals(List.of("1h", "4h", "1d", "7d", "30d"), windows.windows);
    assertFalse(windows.noSelfJoin);
  }

  @Test
  void theDocumentedCommandsAreRead() {
    PitJoinBenchmark.Options pit = BenchmarkOptions.parse(
        new PitJoinBenchmark.Options(), "--scenario", "uniform,hot-key", "--runs", "5", "--warm-up", "1", "--rank-timeout", "300");
    assertEquals(List.of("uniform", "hot-key"), pit.scenarios);
    assertEquals(5, pit.runs);
    assertEquals(1, pit.warmUp);
    assertEquals(300, pit.rankTimeout);
    GateBenchmark.Options gate = BenchmarkOptions.parse(new GateBenchmark.Options(), "--rows", "1_000_000", "--runs", "7");
    assertEquals(List.of(1_000_000L), gate.rows);
    assertEquals(7, gate.runs);
    WindowBenchmark.Options windows =
        BenchmarkOptions.parse(new WindowBenchmark.Options(), "--windows", "1h,4h,1d,7d", "--no-self-join", "--runs", "5");
    assertEquals(List.of("1h", "4h", "1d", "7d"), windows.windows);
    assertTrue(windows.noSelfJoin);
  }

  @Test
  void wrongCommandLinesAreOneLineErrorsNamingTheProblem() {
    assertMessage("Unknown options: '--scenarios'", new PitJoinBenchmark.Options(), "--scenarios", "uniform");
    String scenario = message(new PitJoinBenchmark.Options(), "--scenario", "uniform,unifrom");
    assertTrue(scenario.contains("Unknown scenario 'unifrom'") && scenario.contains("uniform, hot-key, large, few-per-key, five-groups"),
        scenario);
    assertMessage("'three' is not an int", new PitJoinBenchmark.Options(), "--runs", "three");
    assertMessage("--runs and --rank-timeout must be at least 1", new PitJoinBenchmark.Options(), "--runs", "0");
    assertMessage("'1M' is not a number of rows", new GateBenchmark.Options(), "--rows", "1M");
    String window = message(new WindowBenchmark.Options(), "--windows", "1h,1w");
    assertTrue(window.contains("not '1w' in --windows"), window);
  }

  private static void assertMessage(String expected, Object options, String... args) {
    String message = message(options, args);
    assertTrue(message.contains(expected), message);
  }

  private static String message(Object options, String... args) {
    return assertThrows(ParameterException.class, () -> BenchmarkOptions.parse(options, args)).getMessage();
  }
}
