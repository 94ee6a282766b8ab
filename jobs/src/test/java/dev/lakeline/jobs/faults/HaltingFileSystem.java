package dev.lakeline.jobs.faults;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system, except that it kills the JVM (as {@code kill -9} would: no shutdown hooks, no cleanup)
 * when a job creates the n-th file whose path matches a pattern. Fault tests install it for a job's data files
 * with {@code spark.hadoop.fs.file.impl} and choose the moment with the system properties {@code
 * lakeline.fault.halt-on} (a regular expression over the path) and {@code lakeline.fault.halt-at} (n, from 1).
 * Delta's commit files are written through Hadoop's {@code FileContext}, which this class does not see: {@link
 * HaltingFs} is the same for those ({@code spark.hadoop.fs.AbstractFileSystem.file.impl}), counting the same matches.
 */
public class HaltingFileSystem extends LocalFileSystem {
  public static final int EXIT_CODE = 137;
  private static final AtomicInteger MATCHES = new AtomicInteger();

  @Override
  public FSDataOutputStream create(
      Path f, FsPermission permission, boolean overwrite, int bufferSize, short replication, long blockSize, Progressable progress)
      throws IOException {
    haltIfDue(f);
    return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
  }

  /** Halts the JVM if {@code f} is the n-th created path that matches the pattern (see the class comment). */
  static void haltIfDue(Path f) {
    String pattern = System.getProperty("lakeline.fault.halt-on");
    if (pattern != null && Pattern.matches(pattern, f.toString())) {
      int at = Integer.parseInt(System.getProperty("lakeline.fault.halt-at", "1"));
      if (MATCHES.incrementAndGet() >= at) {
        System.err.println("FAULT INJECTED: the JVM halts while creating " + f);
        System.err.flush();
        Runtime.getRuntime().halt(EXIT_CODE);
      }
    }
  }
}
