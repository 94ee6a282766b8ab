package dev.lakeline.core.storage;

import dev.lakeline.core.Errors;
import dev.lakeline.core.LakelineException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Small files under the lakehouse root (definitions, manifests, markers) through Hadoop's FileSystem API, so
 * local folders, S3, ADLS and DBFS behave alike.
 */
public final class LakeFiles {
  private final Configuration conf;

  private LakeFiles(Configuration conf) {
    this.conf = conf;
  }

  public static LakeFiles of(SparkSession spark) {
    return of(spark.sessionState().newHadoopConf());
  }

  /** The files of the stores {@code conf} reaches (Spark-free, for tests). */
  static LakeFiles of(Configuration conf) {
    return new LakeFiles(conf);
  }

  private FileSystem fs(Path p) {
    try {
      return p.getFileSystem(conf);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reach the file system of " + p, e);
    }
  }

  public boolean exists(String path) {
    Path p = new Path(path);
    try {
      return fs(p).exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** When the file was last written, as its file system records it (milliseconds since the epoch). */
  public long modified(String path) {
    Path p = new Path(path);
    try {
      return fs(p).getFileStatus(p).getModificationTime();
    } catch (java.io.FileNotFoundException e) {
      throw Errors.notFound("%s does not exist.", path);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot stat " + path, e);
    }
  }

  public String read(String path) {
    Path p = new Path(path);
    try (InputStream in = fs(p).open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.FileNotFoundException e) {
      throw Errors.notFound("%s does not exist.", path);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  /**
   * Writes a new file and fails with a conflict if it exists. On local disks, HDFS, ABFS, S3 and GCS a reader never
   * sees the file half-written; where the store creates or renames atomically (local disk, HDFS, ABFS), of two writers
   * racing for one name exactly one wins. How depends on the store ({@link #creation}):
   *
   * <ul>
   *   <li>local disk: the content goes to a hidden temporary file, then a hard link gives it its name (the link fails
   *       if the name exists, as {@code O_EXCL} would; Hadoop's local rename would replace it);
   *   <li>HDFS, ABFS and the other stores whose rename fails when the destination exists (Hadoop's file system contract;
   *       only the local file system replaces it): the content goes to a hidden temporary file ({@code .<name>.<uuid>.tmp}
   *       in the same folder), then a rename gives it its name. On HDFS and ABFS with a hierarchical namespace the rename
   *       is atomic, so the file is never visible while its bytes are still being written, as it is when created in place;
   *   <li>S3 and GCS: the file is created under its name ({@code create(overwrite=false)}). Their rename is a copy and a
   *       delete, not atomic, and an object becomes visible only when its upload completes, so there is no
   *       half-written window. On S3 (Hadoop 3.3.4) the create is a check, then a write: not exclusive.
   * </ul>
   *
   * A process that dies between the write and the rename leaves its temporary file; its name starts with a dot, which
   * the folders' readers skip.
   */
  public void createExclusive(String path, String content) {
    Path p = new Path(path);
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    try {
      FileSystem fs = fs(p);
      Creation how = creation(fs.getUri().getScheme());
      // checked first on the other stores for a quick answer, and because a rename onto a folder would move the file
      // into it (a link is exclusive by itself)
      if (how != Creation.LINK && fs.exists(p)) {
        throw Errors.conflict("%s already exists.", path);
      }
      switch (how) {
        case LINK -> createByLink(fs, p, path, bytes);
        case RENAME -> createByRename(fs, p, path, bytes);
        case IN_PLACE -> createInPlace(fs, p, bytes);
      }
    } catch (FileAlreadyExistsException e) {
      throw Errors.conflict(e, "%s already exists.", path);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("already exists")) {
        throw Errors.conflict(e, "%s already exists.", path);
      }
      throw new UncheckedIOException("Cannot write " + path, e);
    }
  }

  /** How {@link #createExclusive} makes a file on a store. */
  enum Creation {
    /** A hard link to a complete temporary file. */
    LINK,
    /** A rename of a complete temporary file, which fails when the name exists. */
    RENAME,
    /** A create under the final name. */
    IN_PLACE
  }

  /**
   * How {@link #createExclusive} makes a file on the store of URI scheme {@code scheme}: {@code file} by a hard link;
   * S3 ({@code s3}, {@code s3a}, {@code s3n}, EMRFS's {@code s3}) and GCS ({@code gs}) in place, since their rename is a
   * copy (not atomic) and an object appears only when its upload completes; any other store (HDFS, ABFS, WASB, DBFS,
   * ...) by a rename, which Hadoop's file system contract makes fail when the destination exists.
   */
  static Creation creation(String scheme) {
    return switch (scheme == null ? "file" : scheme.toLowerCase(Locale.ROOT)) {
      case "file" -> Creation.LINK;
      case "s3", "s3a", "s3n", "gs" -> Creation.IN_PLACE;
      default -> Creation.RENAME;
    };
  }

  private static void createByLink(FileSystem fs, Path p, String path, byte[] bytes) throws IOException {
    // Hadoop's local create(overwrite=false) checks, then creates: not atomic. The OS's O_EXCL is.
    // The content goes to a temporary file first, then a hard link gives it its name: the link fails if the name
    // exists (as O_EXCL would), and a reader never sees the file before its content is complete.
    java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(p).toUri());
    java.nio.file.Files.createDirectories(local.getParent());
    java.nio.file.Path temp = java.nio.file.Files.createTempFile(local.getParent(), "." + local.getFileName(), ".tmp");
    try {
      java.nio.file.Files.write(temp, bytes);
      try {
        java.nio.file.Files.createLink(local, temp);
      } catch (UnsupportedOperationException | java.nio.file.FileSystemException noLinks) {
        if (noLinks instanceof java.nio.file.FileAlreadyExistsException exists) {
          throw exists;
        }
        // a file system without hard links: create the name exclusively and fill it (O_EXCL alone)
        java.nio.file.Files.write(local, bytes, java.nio.file.StandardOpenOption.CREATE_NEW);
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw Errors.conflict(e, "%s already exists.", path);
    } finally {
      java.nio.file.Files.deleteIfExists(temp);
    }
  }

  private static void createByRename(FileSystem fs, Path p, String path, byte[] bytes) throws IOException {
    Path temp = new Path(p.getParent(), "." + p.getName() + "." + UUID.randomUUID() + ".tmp");
    boolean renamed = false;
    try {
      try (OutputStream out = fs.create(temp, false)) {
        out.write(bytes);
      }
      try {
        renamed = fs.rename(temp, p);
      } catch (FileAlreadyExistsException e) {
        throw Errors.conflict(e, "%s already exists.", path);
      }
      if (!renamed && fs.exists(p)) {
        throw Errors.conflict("%s already exists.", path);
      }
      if (!renamed) {
        throw new IOException("The file system refused to rename " + temp + " to " + path + ".");
      }
    } finally {
      if (!renamed) {
        deleteQuietly(fs, temp);
      }
    }
  }

  private static void createInPlace(FileSystem fs, Path p, byte[] bytes) throws IOException {
    try (OutputStream out = fs.create(p, false)) {
      out.write(bytes);
    }
  }

  /** Removes a temporary file; one that stays is harmless (hidden), and the failure that got here matters more. */
  private static void deleteQuietly(FileSystem fs, Path temp) {
    try {
      fs.delete(temp, false);
    } catch (IOException leftBehind) {
      // a hidden leftover: the folders' readers skip names starting with a dot
    }
  }

  /** Names of the entries directly under {@code dir}; empty when it does not exist. */
  public List<String> list(String dir) {
    Path p = new Path(dir);
    List<String> names = new ArrayList<>();
    try {
      FileSystem fs = fs(p);
      if (!fs.exists(p)) {
        return names;
      }
      for (FileStatus s : fs.listStatus(p)) {
        names.add(s.getPath().getName());
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir, e);
    }
  }

  /**
   * The paths (without scheme and authority, as {@code URI#getPath}) of every file under {@code dir}, at any depth;
   * empty when it does not exist. One recursive listing, which object stores answer in pages.
   */
  public java.util.Set<String> filesUnder(String dir) {
    return new java.util.HashSet<>(modifiedUnder(dir).keySet());
  }

  /**
   * When each file under {@code dir} (at any depth; paths as {@link #filesUnder}) was last written, in milliseconds
   * since the epoch; empty when it does not exist.
   */
  public java.util.Map<String, Long> modifiedUnder(String dir) {
    Path p = new Path(dir);
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    try {
      FileSystem fs = fs(p);
      if (!fs.exists(p)) {
        return out;
      }
      org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(p, true);
      while (it.hasNext()) {
        org.apache.hadoop.fs.LocatedFileStatus f = it.next();
        out.put(f.getPath().toUri().getPath(), f.getModificationTime());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir, e);
    }
  }

  /**
   * Moves the file {@code from} to the new name {@code to}; false when {@code from} does not exist (another process moved
   * or removed it first). Atomic where the store's rename is (local disk, HDFS, ABFS): of processes moving one file,
   * exactly one succeeds.
   */
  public boolean rename(String from, String to) {
    Path src = new Path(from);
    try {
      return fs(src).rename(src, new Path(to));
    } catch (java.io.FileNotFoundException gone) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot rename " + from + " to " + to, e);
    }
  }

  /**
   * Takes {@code path}, a file that says which writer makes the one thing of some inputs (a training dataset, a model
   * version), for {@code owner}, of writers of the same inputs finishing at once exactly one (where
   * {@link #createExclusive} is exclusive). Empty when {@code owner} holds it: the caller completes its thing. Otherwise
   * what the holder made, as {@code madeBy} finds it from the holder's name (polled for up to 10 s: the holder completes
   * its thing right after taking the file); empty too when it never appears (the holder was stopped in that moment),
   * and the caller completes its own. A holder that {@code gone} says no longer exists (deleted since, or the file's
   * content is not a holder's name) is replaced by {@code owner} at once.
   */
  public <T> java.util.Optional<T> takeOrFind(String path, String owner,
      java.util.function.Function<String, java.util.Optional<T>> madeBy, java.util.function.Predicate<String> gone) {
    for (int attempt = 0; ; attempt++) {
      try {
        createExclusive(path, owner);
        return java.util.Optional.empty();
      } catch (LakelineException.Conflict taken) {
        String holder = read(path).trim();
        if (holder.equals(owner)) { // its own name: what held it was deleted, and the name is this writer's again
          return java.util.Optional.empty();
        }
        if (attempt == 0 && gone.test(holder)) {
          delete(path);
          continue;
        }
        for (int wait = 0; wait < 50; wait++) {
          java.util.Optional<T> made = madeBy.apply(holder);
          if (made.isPresent()) {
            return made;
          }
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
          }
        }
        return java.util.Optional.empty();
      }
    }
  }

  /** Deletes a path recursively (clean-up of an incomplete write). */
  public void delete(String path) {
    Path p = new Path(path);
    try {
      fs(p).delete(p, true);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + path, e);
    }
  }
}
