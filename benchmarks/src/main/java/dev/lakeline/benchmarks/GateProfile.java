package dev.lakeline.benchmarks;

import dev.lakeline.core.spark.SparkSessions;
import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.featurestore.FeatureGroup;
import dev.lakeline.featurestore.FeatureStore;
import dev.lakeline.featurestore.InsertOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.*;
import org.apache.spark.sql.SparkSession;

public final class GateProfile {
  static volatile long T0;
  public static void main(String[] args) throws Exception {
    long n = Long.parseLong(args[0]);
    Map<String, String> settings = new java.util.LinkedHashMap<>(SparkSessions.embeddedDefaults(4));
    SparkSession spark = SparkSessions.build("local[2]", "prof", settings);
    spark.sparkContext().setLogLevel("WARN");
    Map<Integer, Long> starts = new ConcurrentHashMap<>();
    Map<Integer, String> sites = new ConcurrentHashMap<>();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override public void onJobStart(SparkListenerJobStart s) {
        starts.put(s.jobId(), s.time());
        String cs = scala.collection.JavaConverters.seqAsJavaList(s.stageInfos()).stream().map(i -> i.name()).reduce((a, b) -> a + " | " + b).orElse("?");
        sites.put(s.jobId(), cs);
      }
      @Override public void onJobEnd(SparkListenerJobEnd e) {
        System.out.printf("  job %d at %6d ms took %6d ms  %s%n", e.jobId(), starts.get(e.jobId()) - T0, e.time() - starts.get(e.jobId()), sites.get(e.jobId()));
      }
    });
    Path root = Files.createTempDirectory("prof");
    String source = root.resolve("src").toString();
    GateBenchmark.generate(spark, n).write().parquet(source);
    for (int round = 0; round < 2; round++) {
      FeatureStore store = FeatureStore.open(spark, new StorageLayout(root.resolve("lake" + round).toString()));
      var batch = spark.read().parquet(source);
      java.lang.reflect.Method m = GateBenchmark.class.getDeclaredMethod("spec");
      m.setAccessible(true);
      FeatureGroup g = store.createFeatureGroup((dev.lakeline.featurestore.FeatureGroupSpec) m.invoke(null), batch.schema());
      System.out.println("=== round " + round);
      long t = System.nanoTime();
      T0 = System.currentTimeMillis();
      g.insert(batch, InsertOptions.append("b"));
      System.out.printf("insert %.2f s%n", (System.nanoTime() - t) / 1e9);
      if (System.getenv("TRACE") != null) { Thread.sleep(1); }
      t = System.nanoTime();
      spark.read().parquet(source).write().format("delta").save(root.resolve("plain" + round).toString());
      System.out.printf("plain %.2f s%n", (System.nanoTime() - t) / 1e9);
    }
  }
}
