package dev.lakeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class MessagesTest {

  @Test
  void theFirstLineOfAMessageIsStrippedAndNullIsEmpty() {
    assertEquals("Column 'x' does not exist.", Messages.firstLine("  Column 'x' does not exist.  \nPlan:\n+- Scan"));
    assertEquals("", Messages.firstLine((String) null));
    assertEquals("", Messages.firstLine("  \n"));
  }

  @Test
  void anExceptionWithoutAMessageIsNamedByItsClass() {
    assertEquals("one", Messages.firstLine(new IllegalStateException("one\ntwo")));
    assertEquals("IllegalStateException", Messages.firstLine(new IllegalStateException()));
  }

  @Test
  void aParsersProblemsAreKeptAndItsQuotesOfTheFileLeftOut() {
    String snakeYaml = "while parsing a flow sequence\n in 'reader', line 2, column 14:\n    primary_key: [id\n                 ^\n"
        + "expected ',' or ']', but got <block mapping start>\n in 'reader', line 3, column 1:\n    event_time: ts\n    ^\n";
    assertEquals("while parsing a flow sequence: expected ',' or ']', but got <block mapping start>", Messages.parserProblem(snakeYaml));
    assertEquals("Duplicate field 'name'", Messages.parserProblem("Duplicate field 'name'"));
    assertEquals("", Messages.parserProblem(null));
  }

  @Test
  void theInnermostMessageIsTheDeepestCauseThatHasOne() {
    Throwable chain = new RuntimeException("Job aborted\nstage 3",
        new IOException("file:/x/part-1.parquet is not a Parquet file\nexpected magic", new NullPointerException()));
    assertEquals("file:/x/part-1.parquet is not a Parquet file", Messages.innermost(chain));
    assertEquals("RuntimeException", Messages.innermost(new RuntimeException((String) null)));
    assertEquals("top", Messages.innermost(new RuntimeException("top", new NullPointerException())));
  }
}
