package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.asin;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.radians;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Step {@code haversine}; see {@link NumericFeatures#haversineKm}. */
record Haversine(String fromLat, String fromLon, String toLat, String toLon, String output) implements Step {
  static final String NAME = "haversine";
  static final double EARTH_RADIUS_KM = 6371.0;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("from_lat", fromLat);
    p.put("from_lon", fromLon);
    p.put("to_lat", toLat);
    p.put("to_lon", toLon);
    p.put("output", output);
    return p;
  }

  @Override
  public List<String> inputColumns() {
    return List.of(fromLat, fromLon, toLat, toLon);
  }

  @Override
  public StructType outputSchema(StructType input) {
    inputColumns().forEach(c -> Schemas.numeric(input, NAME, c));
    return Schemas.with(input, Map.of(output, DataTypes.DoubleType));
  }

  @Override
  public Dataset<Row> apply(Dataset<Row> input) {
    return Schemas.run(this, input, df -> {
      Column lat1 = col(fromLat).cast("double");
      Column lon1 = col(fromLon).cast("double");
      Column lat2 = col(toLat).cast("double");
      Column lon2 = col(toLon).cast("double");
      Column a = pow(sin(radians(lat2.minus(lat1)).divide(2)), 2)
          .plus(cos(radians(lat1)).multiply(cos(radians(lat2))).multiply(pow(sin(radians(lon2.minus(lon1)).divide(2)), 2)));
      Column km = asin(sqrt(least(a, lit(1.0)))).multiply(2 * EARTH_RADIUS_KM);
      Column valid = lat1.between(-90, 90).and(lat2.between(-90, 90))
          .and(lon1.between(-180, 180)).and(lon2.between(-180, 180));
      return Schemas.with(df, Map.of(output, when(valid, km)));
    });
  }
}
