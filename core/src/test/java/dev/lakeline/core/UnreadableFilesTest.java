package dev.lakeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.hadoop.fs.ChecksumException;
import org.junit.jupiter.api.Test;

/** The messages Spark and Hadoop give for a file they cannot read (the real reads: GateTest, FeaturePipelineSourcesTest). */
class UnreadableFilesTest {
  private static RuntimeException job(Throwable cause) {
    return new RuntimeException("Job aborted due to stage failure: Task 0 in stage 2.0 failed 1 times", cause);
  }

  @Test
  void aChecksumFailureNamesTheFileAndHadoopsReason() {
    RuntimeException failure = job(new ChecksumException("Checksum error: file:/data/a.parquet at 512 exp: 1 got: 2", 512));
    LakelineException.DataRejected e = UnreadableFiles.rejection(failure);
    assertEquals(ExitCode.DATA_REJECTED, e.exitCode());
    assertTrue(e.getMessage().startsWith("The file file:/data/a.parquet cannot be read: Checksum error: file:/data/a.parquet at 512"),
        e.getMessage());
    assertSame(failure, e.getCause(), "the trace stays available to whoever logs the cause");
  }

  @Test
  void aColumnOfAnotherTypeAndADecodingFailureNameTheirFiles() {
    String converted = "Parquet column cannot be converted in file file:///data/b.parquet. Column: [amount], Expected: "
        + "decimal(10,2), Found: INT32.";
    assertTrue(UnreadableFiles.rejection(job(new RuntimeException(converted))).getMessage()
        .startsWith("The file file:///data/b.parquet cannot be read: " + converted.substring(0, converted.length() - 1) + ". Nothing"));
    assertTrue(UnreadableFiles.rejection(new RuntimeException("Can not read value at 0 in block -1 in file file:/data/c.parquet"))
        .getMessage().startsWith("The file file:/data/c.parquet cannot be read: "));
  }

  @Test
  void otherFailuresAreNotAboutAFile() {
    assertNull(UnreadableFiles.rejection(job(new IllegalStateException("boom"))));
    assertNull(UnreadableFiles.rejection(new ChecksumException("no path here", 0)));
  }
}
