package dev.lakeline.core.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A test file system that behaves like HDFS where it matters to {@link LakeFiles#createExclusive}: files are local
 * ones (under {@code atomicfs:///<local path>}), a file is visible under its name from the moment it is created, and
 * {@code rename} is atomic and returns false when the destination exists. {@link #whileWriting} runs in the middle of
 * every write, after half the bytes have reached the file, so a test can look at the store then.
 */
class AtomicRenameFileSystem extends FileSystem {
  static final String SCHEME = "atomicfs";
  private static final URI ROOT = URI.create(SCHEME + ":///");

  /** Runs in the middle of each write, with the path being written. */
  static volatile Consumer<Path> whileWriting = written -> {};
  /** When true, every rename fails (returns false) though its destination is free. */
  static volatile boolean refuseRenames;

  private final RawLocalFileSystem local = new RawLocalFileSystem();

  static void reset() {
    whileWriting = written -> {};
    refuseRenames = false;
  }

  @Override
  public void initialize(URI name, org.apache.hadoop.conf.Configuration conf) throws IOException {
    super.initialize(name, conf);
    local.initialize(URI.create("file:///"), conf);
  }

  @Override
  public URI getUri() {
    return ROOT;
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  private Path toLocal(Path p) {
    return new Path("file", null, makeQualified(p).toUri().getPath());
  }

  private FileStatus fromLocal(FileStatus s) throws IOException {
    FileStatus out = new FileStatus(s);
    out.setPath(makeQualified(new Path(s.getPath().toUri().getPath())));
    return out;
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    return local.open(toLocal(f), bufferSize);
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize, short replication,
      long blockSize, Progressable progress) throws IOException {
    FSDataOutputStream out = local.create(toLocal(f), permission, overwrite, bufferSize, replication, blockSize, progress);
    Path written = makeQualified(f);
    return new FSDataOutputStream(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        int half = len / 2;
        out.write(b, off, half);
        out.flush();
        whileWriting.accept(written);
        out.write(b, off + half, len - half);
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    }, null);
  }

  @Override
  public FSDataOutputStream append(Path f, int bufferSize, Progressable progress) throws IOException {
    throw new IOException("append is not supported by " + SCHEME);
  }

  /** HDFS's rename: atomic, and false (nothing moved) when the destination exists. */
  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    if (refuseRenames) {
      return false;
    }
    java.nio.file.Path from = local.pathToFile(toLocal(src)).toPath();
    java.nio.file.Path to = local.pathToFile(toLocal(dst)).toPath();
    if (!java.nio.file.Files.exists(from)) {
      return false;
    }
    try {
      java.nio.file.Files.createLink(to, from); // fails if the name exists, in one step
    } catch (java.nio.file.FileAlreadyExistsException taken) {
      return false;
    }
    java.nio.file.Files.delete(from);
    return true;
  }

  @Override
  public boolean delete(Path f, boolean recursive) throws IOException {
    return local.delete(toLocal(f), recursive);
  }

  @Override
  public FileStatus[] listStatus(Path f) throws FileNotFoundException, IOException {
    FileStatus[] found = local.listStatus(toLocal(f));
    FileStatus[] out = new FileStatus[found.length];
    for (int i = 0; i < found.length; i++) {
      out[i] = fromLocal(found[i]);
    }
    return out;
  }

  @Override
  public void setWorkingDirectory(Path dir) {
    throw new UnsupportedOperationException("paths of " + SCHEME + " are absolute");
  }

  @Override
  public Path getWorkingDirectory() {
    return new Path(ROOT);
  }

  @Override
  public boolean mkdirs(Path f, FsPermission permission) throws IOException {
    return local.mkdirs(toLocal(f), permission);
  }

  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    return fromLocal(local.getFileStatus(toLocal(f)));
  }
}
