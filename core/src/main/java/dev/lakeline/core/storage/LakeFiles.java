package dev.lakeline.core.storage;

import dev.lakeline.core.Errors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    return new LakeFiles(spark.sessionState().newHadoopConf());
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
   * Writes a new file and fails with a conflict if it exists. On local disks (a hard link to a complete temporary
   * file) and HDFS the creation is atomic, so of two writers racing for one name exactly one wins, and on a local disk
   * a reader never sees the file half-written; on object stores it is as atomic as the store's conditional create.
   */
  public void createExclusive(String path, String content) {
    Path p = new Path(path);
    try {
      FileSystem fs = fs(p);
      if (fs instanceof org.apache.hadoop.fs.LocalFileSystem || fs instanceof org.apache.hadoop.fs.RawLocalFileSystem) {
        // Hadoop's local create(overwrite=false) checks, then creates: not atomic. The OS's O_EXCL is.
        // The content goes to a temporary file first, then a hard link gives it its name: the link fails if the name
        // exists (as O_EXCL would), and a reader never sees the file before its content is complete.
        java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(p).toUri());
        java.nio.file.Files.createDirectories(local.getParent());
        java.nio.file.Path temp = java.nio.file.Files.createTempFile(local.getParent(), "." + local.getFileName(), ".tmp");
        try {
          java.nio.file.Files.write(temp, content.getBytes(StandardCharsets.UTF_8));
          try {
            java.nio.file.Files.createLink(local, temp);
          } catch (UnsupportedOperationException | java.nio.file.FileSystemException noLinks) {
            if (noLinks instanceof java.nio.file.FileAlreadyExistsException exists) {
              throw exists;
            }
            // a file system without hard links: create the name exclusively and fill it (O_EXCL alone)
            java.nio.file.Files.write(local, content.getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.CREATE_NEW);
          }
        } catch (java.nio.file.FileAlreadyExistsException e) {
          throw Errors.conflict(e, "%s already exists.", path);
        } finally {
          java.nio.file.Files.deleteIfExists(temp);
        }
        return;
      }
      if (fs.exists(p)) {
        throw Errors.conflict("%s already exists.", path);
      }
      try (OutputStream out = fs.create(p, false)) {
        out.write(content.getBytes(StandardCharsets.UTF_8));
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
    Path p = new Path(dir);
    java.util.Set<String> out = new java.util.HashSet<>();
    try {
      FileSystem fs = fs(p);
      if (!fs.exists(p)) {
        return out;
      }
      org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(p, true);
      while (it.hasNext()) {
        out.add(it.next().getPath().toUri().getPath());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir, e);
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
