package dev.lakeline.jobs;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a job jar through Spark's own {@code spark-submit} ({@code org.apache.spark.deploy.SparkSubmit}) in local
 * mode, in a fresh JVM whose classpath is Spark's alone (plus {@code extraClasspath}, for fault injection).
 */
final class SparkSubmitProcess {
  static final String MAIN = "dev.lakeline.jobs.cli.LakelineCli";
  private static final List<String> QUICK_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

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
    cmd.add("-cp");
    String sparkClasspath = Files.readString(Path.of(System.getProperty("lakeline.spark.classpath"))).trim();
    cmd.add(extraClasspath == null ? sparkClasspath : extraClasspath + File.pathSeparator + sparkClasspath);
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
    return new Run(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8), Files.readString(err.toPath(), StandardCharsets.UTF_8));
  }
}
