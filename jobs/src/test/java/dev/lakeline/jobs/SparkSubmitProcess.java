package dev.lakeline.jobs;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a job jar through Spark's own {@code spark-submit} ({@code org.apache.spark.deploy.SparkSubmit}) in local
 * mode, in a fresh JVM whose classpath is Spark's alone (plus {@code extraClasspath}, for fault injection).
 *
 * <p>These JVMs are short and spend most of their time starting: they run with the quick compiler alone, and with a
 * class data sharing archive (JDK 17's dynamic CDS) of the classes a demo loads, which the JVM maps already parsed and
 * verified. The first demo run on a machine writes it ({@code -XX:ArchiveClassesAtExit}) to
 * {@code ~/.cache/lakeline/spark-class-archives/} (or {@code $LAKELINE_CACHE_DIR}), named by the JDK and Spark's
 * classpath, so later runs and clean clones reuse it; a rebuilt job jar loses only its changed classes (the JVM takes a
 * class from the archive only if its bytes are unchanged), and an archive that does not match is not used at all.
 * {@code LAKELINE_TEST_CDS=0} turns it off. See python's conftest.py for the same for the Python tests.
 */
final class SparkSubmitProcess {
  static final String MAIN = "dev.lakeline.jobs.cli.LakelineCli";
  private static final List<String> QUICK_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  // the JVM's note when an archive does not match stays out of the jobs' output
  private static final String QUIET_CDS = "-Xlog:cds=off,cds+dynamic=off";
  // one attempt per test JVM to write the archive, on its first demo
  private static final AtomicBoolean ARCHIVE_ATTEMPTED = new AtomicBoolean();

  record Run(int exitCode, String out, String err) {}

  private SparkSubmitProcess() {}

  static Run run(Path workDir, List<String> jvmOptions, String extraClasspath, List<String> submitOptions, String jar, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.asList(Files.readString(Path.of(System.getProperty("lakeline.jvm.args"))).trim().split("\\s+")));
    cmd.add("-Duser.timezone=UTC");
    // a short driver JVM on little data: the quick compiler alone and the serial collector, as the Python tests'
    // spark-submit runs (C2 compiling Spark's code took more CPU than the job itself)
    cmd.addAll(QUICK_JVM);
    cmd.add("-Dlog4j2.configurationFile=" + Path.of("..", "conf", "log4j2-local.properties").toAbsolutePath().normalize());
    cmd.addAll(jvmOptions);
    String sparkClasspath = Files.readString(Path.of(System.getProperty("lakeline.spark.classpath"))).trim();
    Path archive = archive(sparkClasspath);
    Path partial = null;
    if (archive != null && Files.isRegularFile(archive)) {
      cmd.addAll(List.of("-XX:SharedArchiveFile=" + archive, QUIET_CDS));
    } else if (archive != null && Arrays.asList(args).contains("demo") && ARCHIVE_ATTEMPTED.compareAndSet(false, true)) {
      Files.createDirectories(archive.getParent());
      partial = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
      cmd.addAll(List.of("-XX:ArchiveClassesAtExit=" + partial, QUIET_CDS));
    }
    cmd.add("-cp");
    // Spark's jars first, as the archive was written with them; the extra folder after them (a folder holding files
    // cannot be archived, and its classes are not Spark's)
    cmd.add(extraClasspath == null ? sparkClasspath : sparkClasspath + File.pathSeparator + extraClasspath);
    cmd.add("org.apache.spark.deploy.SparkSubmit");
    cmd.addAll(List.of("--master", "local[2]", "--class", MAIN, "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=4"));
    cmd.addAll(submitOptions);
    cmd.add(jar);
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().remove("SPARK_HOME");
    File out = Files.createTempFile(workDir, "stdout", ".txt").toFile();
    File err = Files.createTempFile(workDir, "stderr", ".txt").toFile();
    pb.redirectOutput(out).redirectError(err);
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("spark-submit did not finish in 10 minutes");
    }
    if (partial != null) {
      if (p.exitValue() == 0 && Files.isRegularFile(partial)) {
        Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.deleteIfExists(partial);
    }
    return new Run(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8), Files.readString(err.toPath(), StandardCharsets.UTF_8));
  }

  /** The class archive for this JDK and this Spark classpath (it need not exist yet); null when turned off. */
  private static Path archive(String sparkClasspath) {
    if ("0".equals(System.getenv("LAKELINE_TEST_CDS"))) {
      return null;
    }
    String cache = System.getenv("LAKELINE_CACHE_DIR");
    Path dir = cache == null || cache.isBlank() ? Path.of(System.getProperty("user.home"), ".cache", "lakeline") : Path.of(cache);
    // the JDK and every jar of the classpath, with its size and time: a changed file gives another archive
    StringBuilder key = new StringBuilder(System.getProperty("java.home") + " " + System.getProperty("java.vm.version"));
    for (String entry : (Path.of(System.getProperty("java.home"), "lib", "modules") + File.pathSeparator + sparkClasspath)
        .split(File.pathSeparator)) {
      File f = new File(entry);
      key.append('\n').append(entry).append(' ').append(f.length()).append(' ').append(f.lastModified());
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
      return dir.resolve("spark-class-archives").resolve("it-" + HexFormat.of().formatHex(hash, 0, 8) + ".jsa");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
