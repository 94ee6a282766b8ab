package dev.lakeline.featurestore;

import dev.lakeline.core.Errors;

/**
 * A feature added to an existing feature group version: a nullable column whose existing rows, and the rows of
 * later batches that do not carry it, get {@code defaultSql}.
 *
 * @param name the column
 * @param type its Spark SQL type ({@code double}, {@code string}, {@code int}, ...)
 * @param defaultSql a SQL literal for existing and missing values ({@code 0}, {@code 'unknown'}, {@code NULL})
 */
public record NewFeature(String name, String type, String defaultSql) {
  public NewFeature {
    if (name == null || name.isBlank()) {
      throw Errors.config("A new feature needs a column name.");
    }
    defaultSql = defaultSql == null || defaultSql.isBlank() ? "NULL" : defaultSql;
  }
}
