package dev.lakeline.transformations;

import java.io.Serializable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A pure feature transformation: a DataFrame in, a DataFrame out, no I/O. Transformations compose with {@link
 * #andThen}, so the feature, training and inference pipelines can share one definition.
 */
@FunctionalInterface
public interface Transformation extends Serializable {
  Dataset<Row> apply(Dataset<Row> input);

  default Transformation andThen(Transformation next) {
    return input -> next.apply(apply(input));
  }

  /** The transformation that returns its input. */
  static Transformation identity() {
    return input -> input;
  }

  /** Composes the given transformations in order. */
  static Transformation chain(Transformation... steps) {
    Transformation t = identity();
    for (Transformation s : steps) {
      t = t.andThen(s);
    }
    return t;
  }
}
