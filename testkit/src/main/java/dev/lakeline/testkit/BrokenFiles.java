package dev.lakeline.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Input files broken the ways real ones break, for the tests of what a job says about them. */
public final class BrokenFiles {
  private BrokenFiles() {}

  /**
   * Overwrites the data pages of the first Parquet file in {@code folder}, keeping its size, magic bytes and footer,
   * so that it lists and plans as before and fails only when a task reads its rows. Hadoop's checksum file beside it
   * is deleted (it would find the damage first). Returns the file.
   */
  public static Path corruptParquetDataPages(Path folder) {
    try {
      Path file;
      try (Stream<Path> files = Files.list(folder)) {
        file = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no Parquet file in " + folder));
      }
      Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
      byte[] bytes = Files.readAllBytes(file);
      int footer = ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      for (int i = 4; i < bytes.length - 8 - footer; i++) {
        bytes[i] = (byte) 0x5a;
      }
      Files.write(file, bytes);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
