package dev.lakeline.validation;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import dev.lakeline.core.spark.SqlColumns;
import dev.lakeline.validation.internal.deequ.DeequRunner;
import dev.lakeline.validation.internal.deequ.Measure;
import dev.lakeline.validation.internal.deequ.Measurement;
import dev.lakeline.validation.internal.spark.KeyHashes;
import dev.lakeline.validation.internal.spark.ObservedMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;

/**
 * The gate with its suite measured inside the write's own pass over the batch, for a write that can still be
 * abandoned before its commit (Delta: files written, transaction not yet committed).
 *
 * <p>{@link #rows()} is the batch with an observation attached ({@code Dataset.observe}): while the write job
 * reads the rows once to write them, Spark evaluates every aggregate Deequ's analyzers need (Deequ's own
 * aggregate expressions, as in its shared scan) and, for the primary key's uniqueness, a 64-bit hash per row
 * ({@link KeyHashes}); no content fingerprint (the commit records a deferred one: the staged files are the batch).
 * After the write, {@link #decide()} hands the observed aggregates
 * to Deequ, which builds its states and runs the checks on them, and applies the policy: the same report and
 * decision as {@link Gate#evaluate} gives, without reading the batch apart from the write. The caller commits
 * or abandons the written files by the decision.
 *
 * <p>Only what needs no grouping fits the write's pass: expectations Deequ measures in its shared scan, and
 * uniqueness that counts every row ({@code ignore_row_if: never}, as the primary-key contract does). When no
 * key hash repeats, every key is unique; when one repeats (or there are too many to hold), the duplicates are
 * counted exactly by Deequ's grouping over the staged batch, before the commit. Suites with other grouping
 * expectations, the median, or the QUARANTINE policy (which splits rows) get no {@code WriteGate}
 * ({@link #prepare} returns empty): use {@link Gate#evaluate} before writing.
 */
public final class WriteGate implements AutoCloseable {
  /** How long to wait for Spark's listener bus to deliver the observed metrics after the write returned. */
  private static final long METRICS_WAIT_SECONDS = 60;

  private final IngestionPolicy policy;
  /** How many of the suite's first expectations are the contract (see {@link Gate#decide}). */
  private final int contract;
  private final Validation.Prepared prepared;
  private final DeequRunner.Observed deequ;
  private final List<Integer> sharedItems;
  private final List<Integer> keyItems;
  private final List<KeyHashes> keyHashes;
  private final ObservedMetrics listener;
  private final Dataset<Row> rows;
  /** For each aggregate Deequ asked for, its position among the distinct ones observed. */
  private final int[] slots;

  private WriteGate(
      SparkSession spark, IngestionPolicy policy, int contract, Validation.Prepared prepared, List<Integer> sharedItems,
      List<Integer> keyItems) {
    this.policy = policy;
    this.contract = contract;
    this.prepared = prepared;
    this.sharedItems = sharedItems;
    this.keyItems = keyItems;
    this.deequ = DeequRunner.observe(sharedItems.stream().map(i -> prepared.items().get(i)).toList());
    // The aggregates name the view's columns; observed on the batch itself, with each view column replaced by
    // its definition, the write reads the batch's rows as they are (no wider row built and narrowed again).
    Map<String, Expression> definitions = viewDefinitions(prepared);
    List<Column> observed = new ArrayList<>(deequ.columns());
    this.keyHashes = new ArrayList<>();
    long limit = hashLimit();
    for (int i : keyItems) {
      KeyHashes hashes = KeyHashes.register(spark, limit);
      keyHashes.add(hashes);
      observed.add(hashes.feed(keyHash((Measure.Uniqueness) prepared.items().get(i).measure(), definitions)));
    }
    // Deequ asks for the same aggregate more than once (a row count per compliance check): observe each once
    Map<String, Integer> distinct = new HashMap<>();
    List<Column> once = new ArrayList<>();
    this.slots = new int[observed.size()];
    for (int k = 0; k < observed.size(); k++) {
      Column c = observed.get(k);
      boolean deequs = k < deequ.columns().size(); // each key's feed has its own accumulator: never merged
      Integer at = deequs ? distinct.get(c.expr().toString()) : null;
      if (at == null) {
        at = once.size();
        if (deequs) {
          distinct.put(c.expr().toString(), at);
        }
        once.add(c);
      }
      slots[k] = at;
    }
    String name = "lakeline_gate_" + UUID.randomUUID().toString().replace("-", "");
    Column[] inlined = once.stream().map(c -> ObservedMetrics.inline(c, definitions)).toArray(Column[]::new);
    this.rows = prepared.batch().observe(name, inlined[0], Arrays.copyOfRange(inlined, 1, inlined.length));
    this.listener = ObservedMetrics.listen(spark, name);
  }

  /**
   * A gate for {@code stagedBatch} (rows that read the same again: see {@link Staging}) whose suite and policy
   * fit the write's pass, or empty when they do not (then use {@link Gate#evaluate}).
   */
  public static Optional<WriteGate> prepare(Dataset<Row> stagedBatch, ExpectationSuite suite, IngestionPolicy policy) {
    return prepare(stagedBatch, List.of(), suite, policy);
  }

  /**
   * As {@link #prepare(Dataset, ExpectationSuite, IngestionPolicy)}, with a contract that rejects the batch
   * whatever the policy (see {@link Gate#evaluate(Dataset, List, ExpectationSuite, IngestionPolicy)}).
   */
  public static Optional<WriteGate> prepare(
      Dataset<Row> stagedBatch, List<Expectation> contract, ExpectationSuite suite, IngestionPolicy policy) {
    Gate.requireNoReservedColumn(stagedBatch);
    if (policy == IngestionPolicy.QUARANTINE) {
      return Optional.empty();
    }
    // no content fingerprint: the staged files are the batch, and a replay computes it from them (see
    // ContentFingerprint.deferred), so the write does not hash every row for the rare replay
    Validation.Prepared prepared = Validation.prepare(stagedBatch, Gate.withContract(contract, suite), false);
    List<Integer> shared = new ArrayList<>();
    List<Integer> keys = new ArrayList<>();
    for (int i = 0; i < prepared.items().size(); i++) {
      Measure m = prepared.items().get(i).measure();
      if (DeequRunner.scanShareable(m)) {
        shared.add(i);
      } else if (countsEveryRow(m)) {
        keys.add(i);
      } else {
        return Optional.empty();
      }
    }
    WriteGate gate = new WriteGate(stagedBatch.sparkSession(), policy, contract.size(), prepared, shared, keys);
    if (!DeequRunner.preconditionsHold(gate.deequ, prepared.view().schema())) {
      gate.close();
      return Optional.empty();
    }
    return Optional.of(gate);
  }

  /** Uniqueness over a key plus the constant-true column, unfiltered: every row is counted, nulls included. */
  private static boolean countsEveryRow(Measure m) {
    return m instanceof Measure.Uniqueness u && u.where() == null && u.columns().contains(Plan.PRESENT);
  }

  /** The rows to write, once: the batch's columns, with the suite's aggregates observed as they pass. */
  public Dataset<Row> rows() {
    return rows;
  }

  /**
   * The gate's decision, once {@link #rows()} have been written: empty when the write's job delivered no
   * observation (it did not run, or ran more than once), and the caller must then validate apart, with
   * {@link Gate#evaluate}.
   */
  public Optional<GateResult> decide() {
    Row distinct = listener.await(METRICS_WAIT_SECONDS);
    if (distinct == null) {
      return Optional.empty();
    }
    Object[] values = new Object[slots.length];
    for (int k = 0; k < slots.length; k++) {
      values[k] = distinct.get(slots[k]);
    }
    Row observed = org.apache.spark.sql.RowFactory.create(values);
    DeequRunner.Result shared = deequ.finish(observed);
    Long rows = shared.rows();
    if (rows == null || rows == 0) {
      return Optional.empty(); // an empty batch costs nothing to validate apart
    }
    Measurement[] all = new Measurement[prepared.items().size()];
    for (int k = 0; k < sharedItems.size(); k++) {
      all[sharedItems.get(k)] = shared.measurements().get(k);
    }
    List<DeequRunner.Item> grouped = new ArrayList<>();
    List<Integer> groupedAt = new ArrayList<>();
    for (int k = 0; k < keyItems.size(); k++) {
      KeyHashes hashes = keyHashes.get(k);
      int at = keyItems.get(k);
      if (!hashes.overflowed() && hashes.count() == rows && !hashes.anyRepeated()) {
        all[at] = new Measurement(1.0, rows, rows, false, null); // every row's key occurs once
      } else {
        grouped.add(prepared.items().get(at));
        groupedAt.add(at);
      }
    }
    if (!grouped.isEmpty()) {
      // a repeated hash (a duplicate key, or a collision), or too many keys to hold: Deequ groups
      DeequRunner.Result exact = DeequRunner.run(prepared.view(), grouped);
      for (int k = 0; k < grouped.size(); k++) {
        all[groupedAt.get(k)] = exact.measurements().get(k);
      }
    }
    Validation.Outcome outcome = prepared.finish(new DeequRunner.Result(rows, List.of(all)));
    return Optional.of(Gate.decide(outcome, policy, contract));
  }

  /** Stops listening for the observation. */
  @Override
  public void close() {
    listener.close();
  }

  /** Each column of the Deequ view by its definition over the batch's own columns. */
  private static Map<String, Expression> viewDefinitions(Validation.Prepared prepared) {
    Map<String, Expression> defs = new HashMap<>();
    String[] names = prepared.batch().columns();
    for (int j = 0; j < names.length; j++) {
      defs.put(Plan.positional(j), SqlColumns.col(names[j]).expr());
    }
    for (Compiled c : prepared.plan().items()) {
      if (c.measure() instanceof Measure.Compliance m) {
        defs.put(m.ok(), c.ok().expr());
        if (m.applies() != null) {
          defs.put(m.applies(), c.applies().expr());
        }
      }
    }
    defs.put(Plan.PRESENT, lit(true).expr());
    return defs;
  }

  /** xxhash64 of the key columns and their null flags (xxhash64 skips nulls: (1, NULL) and (NULL, 1) would collide). */
  private static Column keyHash(Measure.Uniqueness u, Map<String, Expression> definitions) {
    List<Column> parts = new ArrayList<>();
    List<String> keys = u.columns().stream().filter(c -> !c.equals(Plan.PRESENT)).toList();
    keys.forEach(k -> parts.add(new Column(definitions.get(k))));
    keys.forEach(k -> parts.add(new Column(definitions.get(k)).isNull()));
    return xxhash64(parts.toArray(Column[]::new));
  }

  /** At most a sixteenth of the driver's heap for the hashes of one key (8 bytes each). */
  private static long hashLimit() {
    return Runtime.getRuntime().maxMemory() / 16 / 8;
  }
}
