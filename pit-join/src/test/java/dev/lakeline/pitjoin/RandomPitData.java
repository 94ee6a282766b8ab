package dev.lakeline.pitjoin;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Random spines and feature groups for the property tests, from a seed. Times are whole minutes over a few days, so
 * spine times often fall exactly on feature times and on TTL boundaries. One customer ("c0") holds about a third
 * of all rows (a hot key); some spine rows come before any feature row, have null keys or times, or are exact
 * duplicates. Three groups: {@code purchases} keyed by customer with a tie-break column, {@code profile} keyed by
 * customer (same pass, strict, with a TTL), {@code stores} keyed by store under another key name, and
 * {@code empty} with no rows.
 */
final class RandomPitData {
  static final StructType SPINE = new StructType()
      .add("rid", DataTypes.IntegerType)
      .add("customer", DataTypes.StringType)
      .add("store", DataTypes.LongType)
      .add("ts", DataTypes.TimestampType)
      .add("label", DataTypes.DoubleType);
  static final StructType PURCHASES = new StructType()
      .add("customer_id", DataTypes.StringType)
      .add("event_ts", DataTypes.TimestampType)
      .add("version", DataTypes.LongType)
      .add("amount", DataTypes.IntegerType)
      .add("channel", DataTypes.StringType);
  static final StructType PROFILE = new StructType()
      .add("customer_id", DataTypes.StringType)
      .add("updated", DataTypes.TimestampType)
      .add("tier", DataTypes.StringType);
  static final StructType STORES = new StructType()
      .add("store_id", DataTypes.LongType)
      .add("as_of", DataTypes.TimestampType)
      .add("open_hours", DataTypes.IntegerType);
  static final Duration PROFILE_TTL = Duration.ofMinutes(600);
  private static final long BASE = Timestamp.valueOf("2024-01-01 00:00:00").getTime();
  private static final int MINUTES = 5 * 24 * 60;

  final List<Row> spine = new ArrayList<>();
  final List<Row> purchases = new ArrayList<>();
  final List<Row> profile = new ArrayList<>();
  final List<Row> stores = new ArrayList<>();
  private final Random random;
  private final boolean tieFree;

  /** @param tieFree true for at most one row per key and time in each group (what DuckDB can be compared on) */
  RandomPitData(long seed, boolean tieFree) {
    this.random = new Random(seed);
    this.tieFree = tieFree;
    int customers = 20;
    Set<String> used = new HashSet<>();
    for (int i = 0; i < 1500; i++) {
      String c = customer(customers);
      long minute = 60 + random.nextInt(MINUTES); // nothing in the first hour: spine rows there come first
      long version = random.nextInt(3);
      if (!tieFree && random.nextInt(8) == 0 && !purchases.isEmpty()) {
        Row twin = purchases.get(random.nextInt(purchases.size())); // a tie on (key, time)
        c = twin.getString(0);
        minute = (((Timestamp) twin.get(1)).getTime() - BASE) / 60_000;
      }
      if (tieFree && !used.add(c + "@" + minute)) {
        continue;
      }
      Integer amount = random.nextInt(10) == 0 ? null : random.nextInt(50);
      String channel = random.nextInt(10) == 0 ? null : "ch" + random.nextInt(4);
      if (random.nextInt(40) == 0) {
        c = null; // never matches
      }
      purchases.add(RowFactory.create(c, ts(minute), tieFree ? null : (random.nextInt(6) == 0 ? null : version), amount, channel));
    }
    used.clear();
    for (int i = 0; i < 600; i++) {
      String c = customer(customers);
      long minute = 60 + random.nextInt(MINUTES);
      if (!tieFree && random.nextInt(6) == 0 && !profile.isEmpty()) {
        Row twin = profile.get(random.nextInt(profile.size()));
        if (twin.get(1) == null) {
          continue;
        }
        c = twin.getString(0);
        minute = (((Timestamp) twin.get(1)).getTime() - BASE) / 60_000;
      }
      if (tieFree && !used.add(c + "@" + minute)) {
        continue;
      }
      Timestamp t = random.nextInt(50) == 0 ? null : ts(minute); // never matches
      profile.add(RowFactory.create(c, t, "tier" + random.nextInt(3)));
    }
    used.clear();
    for (int i = 0; i < 300; i++) {
      long s = random.nextInt(6);
      long minute = 60 + random.nextInt(MINUTES);
      if (tieFree && !used.add(s + "@" + minute)) {
        continue;
      }
      stores.add(RowFactory.create(s, ts(minute), random.nextInt(24)));
    }
    List<Row> all = new ArrayList<>(purchases);
    for (int i = 0; i < 1200; i++) {
      String c = random.nextInt(30) == 0 ? null : customer(customers + 3); // some customers without features
      Long store = random.nextInt(30) == 0 ? null : (long) random.nextInt(7);
      long minute;
      int kind = random.nextInt(10);
      if (kind < 3 && !purchases.isEmpty()) {
        Row f = purchases.get(random.nextInt(purchases.size())); // exactly at a feature time
        minute = (((Timestamp) f.get(1)).getTime() - BASE) / 60_000;
        c = f.getString(0);
      } else if (kind == 3 && !profile.isEmpty()) {
        Row f = profile.get(random.nextInt(profile.size())); // exactly on the profile's TTL boundary, or just past it
        if (f.get(1) == null) {
          continue;
        }
        minute = (((Timestamp) f.get(1)).getTime() - BASE) / 60_000 + PROFILE_TTL.toMinutes() + random.nextInt(2);
        c = f.getString(0);
      } else if (kind == 4) {
        minute = random.nextInt(60); // before every feature row
      } else {
        minute = random.nextInt(MINUTES + 120);
      }
      Timestamp t = random.nextInt(40) == 0 ? null : ts(minute);
      Row row = RowFactory.create(i, c, store, t, random.nextDouble());
      spine.add(row);
      if (random.nextInt(25) == 0) {
        spine.add(row); // an exact duplicate: stays
      }
    }
  }

  private String customer(int n) {
    return random.nextInt(3) == 0 ? "c0" : "c" + random.nextInt(n); // c0: a third of the rows
  }

  private static Timestamp ts(long minute) {
    return new Timestamp(BASE + minute * 60_000L);
  }

  Dataset<Row> spine(SparkSession spark) {
    return spark.createDataFrame(spine, SPINE).repartition(3);
  }

  Map<String, Dataset<Row>> sources(SparkSession spark) {
    return Map.of(
        "purchases", spark.createDataFrame(purchases, PURCHASES).repartition(4),
        "profile", spark.createDataFrame(profile, PROFILE).repartition(2),
        "stores", spark.createDataFrame(stores, STORES),
        "empty", spark.createDataFrame(List.of(), STORES));
  }

  /** Four joins over two key sets: purchases and profile share the customer key; stores and empty use the store. */
  PitJoinSpec spec() {
    FeatureJoin purchasesJoin =
        new FeatureJoin("purchases", List.of("customer"), List.of("customer_id"), "event_ts", List.of("amount", "channel"), "p_", false);
    if (!tieFree) {
      purchasesJoin = purchasesJoin.withTieBreak("version");
    }
    return new PitJoinSpec("ts", List.of(
        purchasesJoin,
        new FeatureJoin("profile", List.of("customer"), List.of("customer_id"), "updated", List.of("tier"), "", true)
            .withMaxAge(PROFILE_TTL),
        new FeatureJoin("stores", List.of("store"), List.of("store_id"), "as_of", List.of("open_hours"), "s_", false),
        new FeatureJoin("empty", List.of("store"), List.of("store_id"), "as_of", List.of("open_hours"), "e_", false)));
  }
}
