package dev.lakeline.pitjoin;

import dev.lakeline.core.spark.SqlColumns;
import dev.lakeline.pitjoin.internal.TieOrder;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@link PitJoinStrategy#SORT_MERGE}. First one job indexes the spine ({@link SpineIndex}: the times of its usable
 * rows per key hash). Then the joins that share the spine's key columns go through one pass: the spine rows (all
 * their columns packed in one struct) and the narrow rows of every such source (key, time, tie-break, features) are
 * unioned ({@link MergeRows}); on the map side, each input partition keeps only the source rows that can be some
 * spine row's answer ({@link SourcePruning}: per spine interval the latest); the rest are hash-partitioned by key (and
 * time range, for hot keys found from the index), grouped within partitions by the key's hash ({@code HashRuns}, in
 * place of Spark's sort) and read once by {@link MergePass}, which orders each hash's rows by (key, bucket, time,
 * kind) itself. Joins with other spine keys take another pass over the result. No row id and no join back: the spine
 * rows travel through the shuffle themselves. A spine too large to index ({@link SpineIndex#MAX_ROWS}) is joined
 * without the pruning, with hot keys found from a sample.
 *
 * <p>When the spine is indexed and the source rows left after the pruning are few enough to collect (about one per
 * spine row and source; {@link CollectedAnswers#budgetBytes()}), there is no shuffle at all: one job collects them,
 * the driver merges them into each spine position's answer, and the spine joins that broadcast table map-side
 * ({@link AnswerPass}). The shuffle is the path of larger spines, and the fallback when the rows kept turn out to be
 * more than the budget.
 *
 * <p>The spine is read twice (the index, then the join); {@link MergePass} checks that every spine row it joins was
 * indexed, so a spine that changes between the reads fails with a clear error instead of joining wrongly.
 *
 * <p>The shuffle runs in a clone of the session with adaptive execution off, so that building the join
 * runs no job (adaptive execution materialises shuffles as soon as an RDD is asked for) and the partition count
 * is the session's {@code spark.sql.shuffle.partitions}, never coalesced into fewer tasks.
 */
final class SortMergeJoin {
  private SortMergeJoin() {}

  /** How a pass is computed (tests choose; the join takes {@link #AUTO}). */
  enum Plan {
    /** No spine index: every usable source row is shuffled, hot keys found from a sample. */
    UNINDEXED,
    /** The spine index prunes the source rows before the shuffle; the spine rows go through the shuffle too. */
    SHUFFLE,
    /** Without a shuffle when the pruned source rows can be collected ({@link CollectedAnswers}), else as SHUFFLE. */
    AUTO
  }

  /**
   * The spine, then per join its internal value columns and matched flag.
   *
   * @param indexSpine whether to index the spine first ({@link SpineIndex}: one job over the spine, then the source
   *     rows no spine row can take are dropped before the shuffle); without, or when the spine is too large to
   *     index, every usable source row is shuffled and hot keys are found from a sample
   */
  static Dataset<Row> join(
      Dataset<Row> spine, String spineTime, List<PreparedJoin> joins, long hotKeyRows, Plan plan) {
    Map<List<String>, List<PreparedJoin>> passes = new LinkedHashMap<>();
    for (PreparedJoin j : joins) {
      passes.computeIfAbsent(j.join().spineKeys(), k -> new ArrayList<>()).add(j);
    }
    List<SpineIndex> indexes = plan != Plan.UNINDEXED
        ? SpineIndex.build(spine, Times.micros(spineTime, joins.get(0).timeType()), new ArrayList<>(passes.keySet()))
        : null;
    Dataset<Row> out = spine;
    int p = 0;
    for (List<PreparedJoin> group : passes.values()) {
      out = pass(out, spineTime, group, hotKeyRows, indexes == null ? null : indexes.get(p++), plan);
    }
    return out;
  }

  private static Dataset<Row> pass(
      Dataset<Row> frame, String spineTime, List<PreparedJoin> group, long hotKeyRows, SpineIndex index, Plan plan) {
    SparkSession session = frame.sparkSession();
    SparkSession engine = session.cloneSession();
    engine.conf().set("spark.sql.adaptive.enabled", "false");
    int partitions = session.sessionState().conf().numShufflePartitions();
    PreparedJoin first = group.get(0);
    List<StructType> sourceTypes = new ArrayList<>();
    for (PreparedJoin j : group) {
      sourceTypes.add(sourceStruct(j));
    }
    // sources whose values have the same types share one payload column: a row carries one null slot per other
    // payload, so five groups of the same shape shuffle rows as narrow as one group's
    List<StructType> payloadTypes = new ArrayList<>();
    int[] payloadOf = new int[group.size()];
    for (int s = 0; s < group.size(); s++) {
      int p = payloadTypes.indexOf(sourceTypes.get(s));
      if (p < 0) {
        p = payloadTypes.size();
        payloadTypes.add(sourceTypes.get(s));
      }
      payloadOf[s] = p;
    }
    MergeRows layout = new MergeRows(first.keyTypes().toArray(DataType[]::new), payloadOf, payloadTypes.size());
    List<Dataset<Row>> sourceParts = new ArrayList<>();
    for (int s = 0; s < group.size(); s++) {
      sourceParts.add(sourcePart(group.get(s), s, layout, payloadTypes, frame.schema()));
    }
    Dataset<Row> spinePart = spinePart(frame, spineTime, first, payloadTypes);
    boolean[] strict = new boolean[group.size()];
    List<TieOrder> orders = new ArrayList<>();
    long[] maxAge = new long[group.size()];
    StructType out = frame.schema();
    for (int s = 0; s < group.size(); s++) {
      PreparedJoin j = group.get(s);
      StructField[] fields = sourceTypes.get(s).fields();
      DataType[] types = new DataType[fields.length];
      for (int i = 0; i < fields.length; i++) {
        types[i] = fields[i].dataType();
      }
      orders.add(new TieOrder(types, j.tieBreakType() != null));
      maxAge[s] = j.maxAgeMicros();
      strict[s] = j.join().strict();
      for (int i = 0; i < j.featureFields().size(); i++) {
        out = out.add(j.valueColumn(i), j.featureFields().get(i).dataType(), true);
      }
      out = out.add(j.matchedColumn(), DataTypes.BooleanType, false);
    }
    DataType[] spineTypes = new DataType[frame.schema().size()];
    for (int i = 0; i < spineTypes.length; i++) {
      spineTypes[i] = frame.schema().fields()[i].dataType();
    }
    Broadcast<SpineIndex> shared = null;
    if (index != null) {
      shared = JavaSparkContext.fromSparkContext(session.sparkContext()).broadcast(index);
      if (plan == Plan.AUTO) {
        Dataset<Row> answered = answered(session, engine, spinePart, sourceParts, shared, layout, spineTypes, orders,
            strict, maxAge, out);
        if (answered != null) {
          return answered;
        }
      }
    }
    HotKeys hot;
    if (hotKeyRows < 0) {
      hot = HotKeys.NONE;
    } else if (index != null) {
      hot = HotKeys.fromSpine(index, group.size(), hotKeyRows, partitions);
    } else {
      Dataset<Row> usable = spinePart.where(usableSpineRow(layout));
      for (Dataset<Row> p : sourceParts) {
        usable = usable.union(p);
      }
      hot = HotKeys.detect(onEngine(engine, narrow(usable, layout)), layout, hotKeyRows, partitions);
    }

    Column bucket = hot.bucket();
    Dataset<Row> sources = null;
    for (Dataset<Row> p : sourceParts) {
      Dataset<Row> b = p.withColumn(MergeRows.BUCKET_COLUMN, bucket);
      sources = sources == null ? b : sources.union(b);
    }
    Dataset<Row> all = spinePart
        .withColumn(MergeRows.BUCKET_COLUMN,
            when(usableSpineRow(layout), bucket).otherwise(lit(-1).minus(spark_partition_id())))
        .union(sources);
    if (!hot.isEmpty()) {
      all = all.union(CarryIns.of(sources, hot, layout));
    }
    if (index != null) {
      // the map side keeps, per spine interval, only the source rows that can be an answer
      RDD<InternalRow> pruned = onEngine(engine, all).queryExecution().toRdd().toJavaRDD()
          .mapPartitions(new SourcePruning(shared, layout, orders, strict, maxAge)).rdd();
      all = engine.internalCreateDataFrame(pruned, all.schema(), false);
    }
    // MergePass groups each partition's rows by hash (HashRuns) and orders each hash's rows by key, bucket, time, kind
    Dataset<Row> shuffled = onEngine(engine, all)
        .repartition(partitions, col(MergeRows.HASH_COLUMN), col(MergeRows.BUCKET_COLUMN));

    MergePass merge = new MergePass(layout, spineTypes, orders, maxAge, shuffled.schema().length(), shared);
    RDD<InternalRow> rows = shuffled.queryExecution().toRdd().toJavaRDD().mapPartitions(merge).rdd();
    return session.internalCreateDataFrame(rows, out, false);
  }

  /**
   * The pass without a shuffle ({@link CollectedAnswers}): one job collects the sources' pruned rows, the spine joins
   * the broadcast table map-side. Null when the rows kept are too many to collect, or two keys share a hash.
   */
  private static Dataset<Row> answered(SparkSession session, SparkSession engine, Dataset<Row> spinePart,
      List<Dataset<Row>> sourceParts, Broadcast<SpineIndex> index, MergeRows layout, DataType[] spineTypes,
      List<TieOrder> orders, boolean[] strict, long[] maxAge, StructType out) {
    Dataset<Row> sources = null;
    for (Dataset<Row> p : sourceParts) {
      sources = sources == null ? p : sources.union(p);
    }
    long budget = CollectedAnswers.budgetBytes();
    // about one kept row per spine row and source: a spine that large goes through the shuffle without trying
    if ((double) index.value().rows() * sourceParts.size() * sources.schema().defaultSize() > budget) {
      return null;
    }
    JavaRDD<InternalRow> pruned = onEngine(engine, sources).queryExecution().toRdd().toJavaRDD()
        .mapPartitions(new SourcePruning(index, layout, orders, strict, maxAge));
    CollectedAnswers table = CollectedAnswers.collect(pruned, index.value(), layout, orders, strict, maxAge,
        sources.schema(), budget);
    if (table == null) {
      return null;
    }
    Broadcast<CollectedAnswers> shared = JavaSparkContext.fromSparkContext(session.sparkContext()).broadcast(table);
    RDD<InternalRow> rows = onEngine(engine, spinePart).queryExecution().toRdd().toJavaRDD()
        .mapPartitions(new AnswerPass(index, shared, layout, spineTypes, orders, maxAge)).rdd();
    return session.internalCreateDataFrame(rows, out, false);
  }

  /** The struct a source's rows carry: its tie-break (if any), then its features. */
  private static StructType sourceStruct(PreparedJoin j) {
    StructType t = new StructType();
    if (j.tieBreakType() != null) {
      t = t.add("tb", j.tieBreakType(), true);
    }
    for (int i = 0; i < j.featureFields().size(); i++) {
      t = t.add("v" + i, j.featureFields().get(i).dataType(), true);
    }
    return t;
  }

  private static Dataset<Row> spinePart(Dataset<Row> frame, String spineTime, PreparedJoin first, List<StructType> payloadTypes) {
    List<Column> keys = new ArrayList<>();
    first.join().spineKeys().forEach(k -> keys.add(SqlColumns.col(k)));
    List<Column> all = new ArrayList<>();
    for (String c : frame.columns()) {
      all.add(SqlColumns.col(c));
    }
    List<Column> cols = new ArrayList<>();
    cols.add(xxhash64(keys.toArray(Column[]::new)).as(MergeRows.HASH_COLUMN));
    cols.add(lit(0).as(MergeRows.BUCKET_COLUMN));
    cols.add(Times.micros(spineTime, first.timeType()).as(MergeRows.TIME_COLUMN));
    cols.add(lit(MergeRows.SPINE_KIND).as(MergeRows.KIND_COLUMN));
    cols.add(lit(-1).as(MergeRows.SOURCE_COLUMN));
    cols.add(struct(all.toArray(Column[]::new)).as(MergeRows.SPINE_COLUMN));
    for (int p = 0; p < payloadTypes.size(); p++) {
      cols.add(lit(null).cast(payloadTypes.get(p)).as(MergeRows.payloadColumnName(p)));
    }
    for (int i = 0; i < keys.size(); i++) {
      cols.add(keys.get(i).as(MergeRows.keyColumnName(i)));
    }
    return frame.select(cols.toArray(Column[]::new));
  }

  private static Dataset<Row> sourcePart(
      PreparedJoin j, int slot, MergeRows layout, List<StructType> payloadTypes, StructType spine) {
    FeatureJoin fj = j.join();
    List<Column> keys = j.featureKeyColumns();
    List<Column> carried = new ArrayList<>();
    if (fj.tieBreak() != null) {
      carried.add(SqlColumns.col(fj.tieBreak()).as("tb"));
    }
    for (int i = 0; i < fj.features().size(); i++) {
      carried.add(SqlColumns.col(fj.features().get(i)).as("v" + i));
    }
    List<Column> cols = new ArrayList<>();
    cols.add(xxhash64(keys.toArray(Column[]::new)).as(MergeRows.HASH_COLUMN));
    cols.add(lit(0).as(MergeRows.BUCKET_COLUMN));
    cols.add(Times.micros(fj.featureTime(), j.timeType()).as(MergeRows.TIME_COLUMN));
    cols.add(lit(fj.strict() ? MergeRows.STRICT_KIND : MergeRows.INCLUSIVE_KIND).as(MergeRows.KIND_COLUMN));
    cols.add(lit(slot).as(MergeRows.SOURCE_COLUMN));
    cols.add(lit(null).cast(spine).as(MergeRows.SPINE_COLUMN));
    for (int p = 0; p < payloadTypes.size(); p++) {
      cols.add(p == layout.payloadOf()[slot]
          ? struct(carried.toArray(Column[]::new)).as(MergeRows.payloadColumnName(p))
          : lit(null).cast(payloadTypes.get(p)).as(MergeRows.payloadColumnName(p)));
    }
    for (int i = 0; i < keys.size(); i++) {
      cols.add(keys.get(i).as(MergeRows.keyColumnName(i)));
    }
    return j.data().where(j.usableRow()).select(cols.toArray(Column[]::new));
  }

  private static Column usableSpineRow(MergeRows layout) {
    Column ok = col(MergeRows.TIME_COLUMN).isNotNull();
    for (int i = 0; i < layout.keyTypes().length; i++) {
      ok = ok.and(col(MergeRows.keyColumnName(i)).isNotNull());
    }
    return ok;
  }

  /** Only what the hot-key sample reads, in the same positions (the rest null, so Spark reads no other column). */
  private static Dataset<Row> narrow(Dataset<Row> rows, MergeRows layout) {
    List<Column> cols = new ArrayList<>();
    for (String c : rows.columns()) {
      boolean keep = c.equals(MergeRows.HASH_COLUMN) || c.equals(MergeRows.TIME_COLUMN) || c.startsWith("__pit_key");
      cols.add(keep ? col(c) : lit(null).cast(rows.schema().apply(c).dataType()).as(c));
    }
    return rows.select(cols.toArray(Column[]::new));
  }

  /** The same query, planned in the engine session (no adaptive execution). */
  private static Dataset<Row> onEngine(SparkSession engine, Dataset<Row> df) {
    return new Dataset<>(engine, df.queryExecution().analyzed(), Encoders.row(df.schema()));
  }
}
