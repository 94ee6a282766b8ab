package dev.lakeline.core.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import dev.lakeline.core.LakelineException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The checks a commit request makes on itself; no Spark is needed (the data is never touched). */
class CommitRequestTest {
  private static String configError(Executable create) {
    LakelineException.ConfigError e = assertThrows(LakelineException.ConfigError.class, create);
    assertEquals(ExitCode.USAGE_OR_CONFIG, e.exitCode());
    return e.getMessage();
  }

  @Test
  void aReplaceWhereNeedsAPredicate() {
    String message = configError(() -> CommitRequest.replaceWhere("/lake/t", null, " ", "job:t:d"));

    assertTrue(message.contains("/lake/t"), message);
    assertTrue(message.contains("predicate"), message);
    configError(() -> new CommitRequest("/lake/t", null, WriteMode.REPLACE_WHERE, null, "job:t:d"));
  }

  @Test
  void everyCommitNeedsABatchId() {
    String message = configError(() -> CommitRequest.overwrite("/lake/t", null, ""));

    assertTrue(message.contains("/lake/t"), message);
    assertTrue(message.contains("batch id"), message);
    configError(() -> CommitRequest.append("/lake/t", null, null));
  }

  @Test
  void factoriesSetTheModeAndPartitionColumnsAreCopied() {
    List<String> columns = new ArrayList<>(List.of("day"));
    CommitRequest request = CommitRequest.append("/lake/t", null, "b").withPartitionColumns(columns);
    columns.add("other");

    assertEquals(WriteMode.APPEND, request.mode());
    assertEquals(List.of("day"), request.partitionColumns());
    assertEquals(WriteMode.OVERWRITE, CommitRequest.overwrite("/lake/t", null, "b").mode());
    CommitRequest slice = CommitRequest.replaceWhere("/lake/t", null, "day = 'd'", "b");
    assertEquals(WriteMode.REPLACE_WHERE, slice.mode());
    assertEquals("day = 'd'", slice.replaceWhere());
    assertTrue(slice.withMergeSchema().mergeSchema() && !slice.mergeSchema(), "a copy that adds the batch's new columns");
    assertEquals(List.of("day"), request.withMergeSchema().withMetadata(java.util.Map.of("a", "b")).partitionColumns());
    assertTrue(request.withMergeSchema().withMetadata(java.util.Map.of("a", "b")).mergeSchema(), "kept by the other copies");
    String merge = configError(() -> CommitRequest.merge("/lake/t", null, List.of("id"), "b").withMergeSchema());
    assertTrue(merge.contains("cannot add columns"), merge);
  }
}
