/**
 * Expectation suites, the commit gate and validation reports.
 *
 * <h2>The public API on one page</h2>
 *
 * <ul>
 *   <li>{@link dev.lakeline.validation.Expectation}, {@link dev.lakeline.validation.ExpectationSuite} (with its
 *       {@link dev.lakeline.validation.IngestionPolicy}), {@link dev.lakeline.validation.Severity}: suites in Great
 *       Expectations' terms. {@link dev.lakeline.validation.SuiteFiles} reads and writes them (YAML or JSON, GE
 *       0.x or 1.x layout, plus {@code policy} and {@code severity}); loading is strict.
 *   <li>{@link dev.lakeline.validation.Validator#validate}: one Deequ verification run →
 *       {@link dev.lakeline.validation.ValidationResult} / {@link dev.lakeline.validation.ExpectationResult} in
 *       GE's shape ({@code toJson()}). {@link dev.lakeline.validation.Validator#rowLevel}: the batch plus the
 *       labels of the error-severity row-level expectations each row breaks.
 *   <li>{@link dev.lakeline.validation.Gate#evaluate}: the decision ({@link dev.lakeline.validation.Decision}) and
 *       the split into accepted and quarantined rows ({@link dev.lakeline.validation.GateResult}).
 *   <li>{@link dev.lakeline.validation.ValidationReport}, {@link dev.lakeline.validation.ValidationReports}: the
 *       evidence, as rows of a Delta table under {@code <root>/_lakeline/validation_reports}.
 *   <li>{@link dev.lakeline.validation.Suggestions}: a suite proposed from a sample by Deequ's constraint
 *       suggestion.
 * </ul>
 *
 * <h2>Supported expectations</h2>
 *
 * Schema (no scan): {@code expect_column_to_exist}, {@code expect_table_columns_to_match_set},
 * {@code expect_column_values_to_be_of_type}. Table: {@code expect_table_row_count_to_be_between}. Column map
 * (row-level; nulls are not evaluated except by the null checks; {@code mostly}; vacuously true without values):
 * {@code expect_column_values_to_not_be_null}, {@code …_to_be_null}, {@code …_to_be_between},
 * {@code …_to_be_in_set}, {@code …_to_not_be_in_set}, {@code …_to_match_regex}, {@code …_to_not_match_regex},
 * {@code expect_column_value_lengths_to_be_between}, {@code expect_column_values_to_be_unique},
 * {@code expect_compound_columns_to_be_unique} (with {@code ignore_row_if}). Row-level SQL (Lakeline):
 * {@code expect_row_values_to_satisfy_sql} ({@code condition}, {@code mostly}; rows where the condition is
 * null are not evaluated). Aggregates (fail without values to measure): {@code expect_column_min/max/mean/
 * median/stdev/sum_to_be_between} (numeric columns; stdev is the sample one, median the exact one),
 * {@code expect_column_proportion_of_unique_values_to_be_between},
 * {@code expect_column_distinct_values_to_be_in_set}.
 *
 * <h2>How the gate treats expectations that are not row-level</h2>
 *
 * Table, aggregate and schema expectations judge the whole batch: removing rows cannot make them pass, and the
 * gate never re-validates a different dataset. A failed one of error severity rejects the batch under STRICT
 * and under QUARANTINE; under ALWAYS it is recorded. Warnings never reject and never quarantine.
 *
 * <h2>Deequ 2.0.7</h2>
 *
 * Only {@code internal} touches Deequ or Scala. The compiler avoids the helpers that are wrong in 2.0.7 and
 * hands Deequ plain positional column names and precomputed boolean columns; see {@code Compiler},
 * {@code Interpreter} and {@code RowLevel}.
 */
package dev.lakeline.validation;
