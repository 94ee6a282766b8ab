package dev.lakeline.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import dev.lakeline.core.LakelineException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StorageLayoutTest {
  private static final StorageLayout LAYOUT = new StorageLayout("/lake");

  private static String cwd(String relative) {
    return Path.of("").toAbsolutePath().resolve(relative).normalize().toString();
  }

  @Test
  void aRelativeLocalRootIsMadeAbsolute() {
    assertEquals(cwd("lakehouse"), new StorageLayout("lakehouse").root());
    assertEquals(cwd("lakehouse"), new StorageLayout("./lakehouse").root());
    assertEquals(cwd("../elsewhere/lake"), new StorageLayout("../elsewhere/./lake/").root());
    assertTrue(new StorageLayout("lakehouse").root().startsWith("/"));
  }

  @ParameterizedTest
  @CsvSource({
    "/tmp/lake/, /tmp/lake",
    "/tmp/lake///, /tmp/lake",
    "' /tmp/lake ', /tmp/lake",
    "s3://bucket/x/, s3://bucket/x",
    "s3://bucket/, s3://bucket",
    "dbfs:/x//, dbfs:/x",
    "/Volumes/a/b/c/, /Volumes/a/b/c",
  })
  void trailingSlashesAndSurroundingBlanksAreRemoved(String given, String root) {
    assertEquals(root, new StorageLayout(given).root());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "s3://bucket/x",
        "s3a://bucket/lake/house",
        "abfss://container@account.dfs.core.windows.net/lake",
        "dbfs:/x",
        "dbfs:/mnt/lake",
        "/Volumes/a/b/c",
        "file:/tmp/lake",
        "gs://bucket/lake"
      })
  void remoteRootsAndVolumesAreKeptAsTheyAre(String root) {
    assertEquals(root, new StorageLayout(root).root());
    assertEquals(root, new StorageLayout(root).toString());
  }

  @Test
  void onlyLocalFoldersAreLocal() {
    assertTrue(new StorageLayout("/tmp/lake").isLocal());
    assertTrue(new StorageLayout("relative").isLocal());
    assertTrue(new StorageLayout("file:/tmp/lake").isLocal());
    assertFalse(new StorageLayout("s3://bucket/x").isLocal());
    assertFalse(new StorageLayout("dbfs:/x").isLocal());
    assertFalse(new StorageLayout("/Volumes/a/b/c").isLocal());
  }

  @Test
  void everyKindOfDataHasItsPlaceUnderTheRoot() {
    assertEquals("/lake/raw/loans", LAYOUT.raw("loans"));
    assertEquals("/lake/raw/_generating", LAYOUT.rawStaging());
    assertEquals("/lake/feature_groups/loans/v1", LAYOUT.featureGroup("loans", 1));
    assertEquals("/lake/feature_views/loan_view/v2.json", LAYOUT.featureView("loan_view", 2));
    assertEquals("/lake/training_datasets/loan_view/v2", LAYOUT.trainingDatasets("loan_view", 2));
    assertEquals("/lake/training_datasets/loan_view/v2/td3", LAYOUT.trainingDataset("loan_view", 2, 3));
    assertEquals("/lake/models/loan_default", LAYOUT.models("loan_default"));
    assertEquals("/lake/models/loan_default/v12", LAYOUT.model("loan_default", 12));
    assertEquals("/lake/predictions/loan_default", LAYOUT.predictions("loan_default"));
    assertEquals("/lake/_lakeline/catalog", LAYOUT.system("catalog"));
  }

  @Test
  void remoteRootsPrefixThePathsToo() {
    StorageLayout s3 = new StorageLayout("s3://bucket/lake/");

    assertEquals("s3://bucket/lake/feature_groups/loans/v3", s3.featureGroup("loans", 3));
    assertEquals("dbfs:/x/models/m/v1", new StorageLayout("dbfs:/x").model("m", 1));
    assertEquals("/Volumes/a/b/c/predictions/m", new StorageLayout("/Volumes/a/b/c").predictions("m"));
  }

  @Test
  void aTrainingDatasetIsNamedByItsFolderWhereverTheLakehouseLies() {
    String here = new StorageLayout("s3a://bucket/lake").trainingDataset("loans", 2, 7);
    assertEquals(java.util.Optional.of(new StorageLayout.DatasetFolder("loans", 2, 7)), StorageLayout.trainingDatasetFolder(here));
    assertEquals("loans v2 td7", StorageLayout.trainingDatasetLabel("/old/lake/training_datasets/loans/v2/td7/"));
    assertEquals(StorageLayout.trainingDatasetFolder(here), StorageLayout.trainingDatasetFolder("file:/copy/training_datasets/loans/v2/td7"));
    assertEquals("td7", StorageLayout.trainingDatasetLabel("td7"), "not a dataset's folder: as it is");
    assertEquals(java.util.Optional.empty(), StorageLayout.trainingDatasetFolder("/lake/training_datasets/loans/v2/td7/data"));
  }

  @Test
  void aCardsTrainingDatasetIsFoundInALakehouseCopiedOrReachedOtherwise() {
    String card = "/tmp/lh/training_datasets/loan_default/v1/td1";
    assertTrue(StorageLayout.sameTrainingDataset(card, card));
    assertTrue(StorageLayout.sameTrainingDataset(card, "/tmp/lh-copy/training_datasets/loan_default/v1/td1"), "a copied lakehouse");
    assertTrue(StorageLayout.sameTrainingDataset("s3://bucket/lake/training_datasets/loan_default/v1/td1/",
        "s3a://bucket/lake/training_datasets/loan_default/v1/td1"), "another scheme, a trailing slash");
    assertFalse(StorageLayout.sameTrainingDataset(card, "/tmp/lh/training_datasets/loan_default/v1/td11"));
    assertFalse(StorageLayout.sameTrainingDataset(card, "/tmp/lh/training_datasets/loan_default/v2/td1"));
    assertFalse(StorageLayout.sameTrainingDataset(null, card));
    assertFalse(StorageLayout.sameTrainingDataset("elsewhere", card));
  }

  private static void assertConfigError(String expectedText, Executable call) {
    LakelineException.ConfigError e = assertThrows(LakelineException.ConfigError.class, call);
    assertEquals(ExitCode.USAGE_OR_CONFIG, e.exitCode());
    assertTrue(e.getMessage().contains(expectedText), e.getMessage());
  }

  @Test
  void invalidNamesAreRejectedWithTheKindOfObject() {
    assertConfigError("feature group", () -> LAYOUT.featureGroup("../etc", 1));
    assertConfigError("feature view", () -> LAYOUT.featureView("a/b", 1));
    assertConfigError("feature view", () -> LAYOUT.trainingDataset("", 1, 1));
    assertConfigError("model", () -> LAYOUT.model("bad name", 1));
    assertConfigError("model", () -> LAYOUT.predictions("_m"));
    assertConfigError("system table", () -> LAYOUT.system(".."));
    assertConfigError("raw source", () -> LAYOUT.raw(null));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void versionsBelowOneAreRejected(int version) {
    assertConfigError("Versions start at 1; got " + version, () -> LAYOUT.featureGroup("loans", version));
    assertConfigError("Versions start at 1", () -> LAYOUT.featureView("v", version));
    assertConfigError("Versions start at 1", () -> LAYOUT.model("m", version));
    assertConfigError("Versions start at 1", () -> LAYOUT.trainingDataset("v", 1, version));
  }
}
