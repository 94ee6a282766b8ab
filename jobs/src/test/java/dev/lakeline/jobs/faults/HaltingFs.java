package dev.lakeline.jobs.faults;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Options.ChecksumOpt;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * {@link HaltingFileSystem} for Hadoop's {@code FileContext}, through which Delta writes its commit files: the local
 * file system, except that creating the n-th file whose path matches {@code lakeline.fault.halt-on} kills the JVM.
 * Install it with {@code spark.hadoop.fs.AbstractFileSystem.file.impl}; a pattern over {@code _delta_log/…json}
 * files then chooses a commit to die at (Delta writes each commit to a temporary file first, then renames it).
 */
public class HaltingFs extends DelegateToFileSystem {
  public HaltingFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
    super(uri, new RawLocalFileSystem(), conf, "file", false);
  }

  @Override
  public FSDataOutputStream createInternal(
      Path f, EnumSet<CreateFlag> flag, FsPermission absolutePermission, int bufferSize, short replication,
      long blockSize, Progressable progress, ChecksumOpt checksumOpt, boolean createParent) throws IOException {
    HaltingFileSystem.haltIfDue(f);
    return super.createInternal(f, flag, absolutePermission, bufferSize, replication, blockSize, progress, checksumOpt, createParent);
  }
}
