package dev.lakeline.jobs.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing a report page: replaced whole through a file beside it, which is not left behind. */
class ReportPagesTest {
  @Test
  void aPageWrittenAgainIsReplacedWholeAndGetsTheFolderDefaultPermissions(@TempDir Path dir) throws IOException {
    Path page = dir.resolve("reports/monitor.html");

    assertEquals(page.toAbsolutePath(), ReportPages.write(page, "<p>first</p>"));
    ReportPages.write(page, "<p>second</p>");

    assertEquals("<p>second</p>", Files.readString(page));
    try (Stream<Path> files = Files.list(page.getParent())) {
      assertEquals(List.of(page.getFileName().toString()), files.map(p -> p.getFileName().toString()).toList(),
          "no temporary file left beside the page");
    }
    // as any new file gets them (a temporary file of Files.createTempFile would be readable by its owner alone)
    Path plain = Files.writeString(dir.resolve("plain.html"), "x");
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(page));
  }
}
