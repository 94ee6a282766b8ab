package dev.lakeline.validation;

import dev.lakeline.validation.internal.deequ.DeequSuggester;
import dev.lakeline.validation.internal.deequ.DeequSuggester.Suggestion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegralType;

/**
 * Proposes an expectation suite from a data sample with Deequ's constraint suggestion ({@code Rules.DEFAULT},
 * plus its approximate-uniqueness rule), mapped to Great Expectations' types, for a person to review and edit
 * ({@link SuiteFiles#write}):
 *
 * <ul>
 *   <li>the schema: {@code expect_table_columns_to_match_set} and {@code expect_column_values_to_be_of_type};
 *   <li>complete → {@code expect_column_values_to_not_be_null}; mostly complete → the same with {@code mostly};
 *   <li>categorical range → {@code expect_column_values_to_be_in_set} (with {@code mostly} for most values);
 *   <li>a {@code mostly} is Deequ's lower bound for the share, in (0, 1]; where that bound is 0 or below (small
 *       samples with nulls) the expectation is left out, as it would assert nothing;
 *   <li>non-negative → {@code expect_column_values_to_be_between} with {@code min_value: 0} (never Deequ's
 *       {@code isNonNegative}, which misses large negatives in 2.0.7);
 *   <li>approximately unique → {@code expect_column_values_to_be_unique};
 *   <li>numbers in a string column → {@code expect_column_values_to_match_regex}.
 * </ul>
 *
 * Every suggestion is then validated on the sample and dropped if it fails there (Deequ's uniqueness guess is
 * approximate), so the suggested suite passes on its own sample.
 */
public final class Suggestions {
  private static final Map<String, String> TYPE_PATTERNS =
      Map.of(
          "DataType: Integral", "^-?[0-9]+$",
          "DataType: Fractional", "^-?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$",
          "DataType: Boolean", "^(true|false)$");

  private Suggestions() {}

  public static ExpectationSuite suggest(Dataset<Row> sample, String suiteName) {
    List<String> columns = Arrays.asList(sample.columns());
    String[] positional = new String[columns.size()];
    for (int i = 0; i < positional.length; i++) {
      positional[i] = Plan.positional(i);
    }
    // Deequ's profiler breaks on dotted names (#274): it sees positional names, mapped back below.
    List<Suggestion> suggestions = new ArrayList<>(DeequSuggester.suggest(sample.toDF(positional)));
    suggestions.sort(Comparator.comparing((Suggestion s) -> Integer.parseInt(s.column().substring(2))).thenComparing(Suggestion::rule));

    List<Expectation> out = new ArrayList<>();
    out.add(Expectation.of("expect_table_columns_to_match_set", kw("column_set", columns, "exact_match", true)));
    for (int i = 0; i < columns.size(); i++) {
      out.add(Expectation.of(
          "expect_column_values_to_be_of_type", kw("column", columns.get(i), "type_", sample.schema().fields()[i].dataType().simpleString())));
    }
    Map<String, Expectation> byKey = new LinkedHashMap<>();
    for (Suggestion s : suggestions) {
      int index = Integer.parseInt(s.column().substring(2));
      Expectation e = map(s, columns.get(index), sample.schema().fields()[index].dataType());
      if (e != null) {
        byKey.putIfAbsent(e.type() + "|" + columns.get(index), e);
      }
    }
    out.addAll(byKey.values());
    ExpectationSuite suite = new ExpectationSuite(suiteName, out, IngestionPolicy.STRICT);
    ValidationResult onSample = Validator.validate(sample, suite);
    List<Expectation> passing = onSample.results().stream().filter(ExpectationResult::success).map(ExpectationResult::expectation).toList();
    return suite.withExpectations(passing);
  }

  private static Expectation map(Suggestion s, String column, DataType type) {
    return switch (s.rule()) {
      case "CompleteIfCompleteRule" -> Expectation.of("expect_column_values_to_not_be_null", kw("column", column));
      case "RetainCompletenessRule" -> mostly(s) == null ? null
          : Expectation.of("expect_column_values_to_not_be_null", kw("column", column, "mostly", mostly(s)));
      case "CategoricalRangeRule" -> Expectation.of("expect_column_values_to_be_in_set", kw("column", column, "value_set", values(s, type)));
      case "FractionalCategoricalRangeRule" -> mostly(s) == null ? null
          : Expectation.of("expect_column_values_to_be_in_set", kw("column", column, "value_set", values(s, type), "mostly", mostly(s)));
      case "NonNegativeNumbersRule" -> Expectation.of("expect_column_values_to_be_between", kw("column", column, "min_value", 0));
      case "UniqueIfApproximatelyUniqueRule" -> Expectation.of("expect_column_values_to_be_unique", kw("column", column));
      case "RetainTypeRule" -> TYPE_PATTERNS.containsKey(s.currentValue())
          ? Expectation.of("expect_column_values_to_match_regex", kw("column", column, "regex", TYPE_PATTERNS.get(s.currentValue())))
          : null;
      default -> null;
    };
  }

  /**
   * The suggestion's lower bound as {@code mostly}, or null (no expectation) when the bound is not above 0: Deequ
   * subtracts a confidence margin from the share it saw, which on a small sample goes to 0 or below, and a
   * {@code mostly} of 0 or less would assert nothing (and a negative one is not a valid suite).
   */
  private static Double mostly(Suggestion s) {
    return s.fraction() == null || s.fraction() <= 0 ? null : Math.min(1.0, s.fraction());
  }

  /** Deequ's categories are strings; an integer column gets numbers back. */
  private static List<Object> values(Suggestion s, DataType type) {
    List<Object> out = new ArrayList<>();
    for (String v : s.values()) {
      out.add(type instanceof IntegralType ? (Object) Long.valueOf(v) : v);
    }
    return out;
  }

  private static Map<String, Object> kw(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
