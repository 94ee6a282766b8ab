package dev.lakeline.transformations;

import static dev.lakeline.transformations.Params.Kind.BOOLEAN;
import static dev.lakeline.transformations.Params.Kind.DATE;
import static dev.lakeline.transformations.Params.Kind.DATES;
import static dev.lakeline.transformations.Params.Kind.INTEGER;
import static dev.lakeline.transformations.Params.Kind.INTEGERS;
import static dev.lakeline.transformations.Params.Kind.NUMBER;
import static dev.lakeline.transformations.Params.Kind.NUMBERS;
import static dev.lakeline.transformations.Params.Kind.STRING;
import static dev.lakeline.transformations.Params.Kind.STRINGS;
import static dev.lakeline.transformations.Params.Kind.STRING_MAP;
import static dev.lakeline.transformations.StepDef.step;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every step a pipeline file can name, with its parameters. docs/transformations.md describes each. */
final class StepCatalog {
  static final Map<String, StepDef> ALL = index(
      step(RollingAggregates.NAME)
          .required("entity", STRINGS).required("time", STRING).required("value", STRING).required("windows", STRINGS)
          .optional("aggregates", STRINGS).optional("prefix", STRING)
          .build(p -> new RollingAggregates(
              p.list("entity"), p.string("time"), p.string("value"), p.list("windows"),
              aggregates(p, RollingAggregates.NAME), p.string("prefix", p.string("value")))),
      step(DailySnapshots.NAME)
          .required("entity", STRINGS).required("time", STRING).required("value", STRING).required("windows", STRINGS)
          .optional("aggregates", STRINGS).optional("prefix", STRING).optional("day_column", STRING)
          .optional("dates", DATES).optional("from", DATE).optional("to", DATE)
          .build(p -> new DailySnapshots(
              p.list("entity"), p.string("time"), p.string("value"), p.list("windows"), aggregates(p, DailySnapshots.NAME),
              p.string("prefix", p.string("value")), p.string("day_column", "day"), p.list("dates", List.of()),
              p.date("from"), p.date("to"))),
      step(TimeSincePrevious.NAME)
          .required("entity", STRINGS).required("time", STRING).optional("output", STRING)
          .build(p -> new TimeSincePrevious(
              new EntityTime(p.list("entity"), p.string("time")), p.string("output", "seconds_since_previous"))),
      step(Lag.NAME)
          .required("entity", STRINGS).required("time", STRING).required("value", STRING)
          .optional("offsets", INTEGERS).optional("prefix", STRING)
          .build(p -> new Lag(
              new EntityTime(p.list("entity"), p.string("time")), p.string("value"), p.list("offsets", List.of(1)),
              p.string("prefix", p.string("value")))),
      step(EventCount.NAME)
          .required("entity", STRINGS).required("time", STRING).optional("cumulative", BOOLEAN).optional("output", STRING)
          .build(p -> new EventCount(
              new EntityTime(p.list("entity"), p.string("time")), p.bool("cumulative", true),
              p.string("output", "event_count"))),
      step(DateParts.NAME)
          .required("column", STRING).optional("parts", STRINGS).optional("timezone", STRING).optional("prefix", STRING)
          .build(p -> new DateParts(
              p.string("column"), p.list("parts", DateParts.DEFAULT), p.string("timezone", "UTC"),
              p.string("prefix", p.string("column")))),
      step(Cyclical.NAME)
          .required("column", STRING).required("period", NUMBER).optional("prefix", STRING)
          .build(p -> new Cyclical(p.string("column"), p.number("period"), p.string("prefix", p.string("column")))),
      step(Age.NAME)
          .required("column", STRING).optional("as_of_column", STRING).optional("as_of", DATE)
          .optional("unit", STRING).required("output", STRING)
          .build(p -> new Age(
              p.string("column"), p.string("as_of_column"), p.date("as_of"), p.string("unit", "years"),
              p.string("output"))),
      step(NormalizeString.NAME)
          .required("column", STRING).optional("empty_as_null", BOOLEAN).optional("output", STRING)
          .build(p -> new NormalizeString(
              p.string("column"), p.bool("empty_as_null", true), p.string("output", p.string("column")))),
      step(RareCategories.NAME)
          .required("column", STRING).optional("min_count", INTEGER).optional("min_share", NUMBER)
          .optional("bucket", STRING).optional("output", STRING)
          .build(p -> new RareCategories(
              p.string("column"), p.integer("min_count"), p.number("min_share"), p.string("bucket", "other"),
              p.string("output", p.string("column")))),
      step(MapValues.NAME)
          .required("column", STRING).required("mapping", STRING_MAP).optional("default", STRING)
          .optional("output", STRING)
          .build(p -> new MapValues(
              p.string("column"), p.map("mapping"), p.string("default"), p.string("output", p.string("column")))),
      step(Bucketize.NAME)
          .required("column", STRING).required("boundaries", NUMBERS).required("output", STRING)
          .build(p -> new Bucketize(p.string("column"), p.list("boundaries"), p.string("output"))),
      step(Clip.NAME)
          .required("column", STRING).optional("min", NUMBER).optional("max", NUMBER).optional("output", STRING)
          .build(p -> new Clip(
              p.string("column"), p.number("min"), p.number("max"), p.string("output", p.string("column")))),
      step(Log1p.NAME)
          .required("column", STRING).optional("negative", STRING).optional("output", STRING)
          .build(p -> new Log1p(
              p.string("column"), p.string("negative", "signed"), p.string("output", p.string("column") + "_log1p"))),
      step(Ratio.NAME)
          .required("numerator", STRING).required("denominator", STRING).required("output", STRING)
          .build(p -> new Ratio(p.string("numerator"), p.string("denominator"), p.string("output"))),
      step(Haversine.NAME)
          .required("from_lat", STRING).required("from_lon", STRING).required("to_lat", STRING)
          .required("to_lon", STRING).required("output", STRING)
          .build(p -> new Haversine(
              p.string("from_lat"), p.string("from_lon"), p.string("to_lat"), p.string("to_lon"), p.string("output"))),
      step(DedupLatest.NAME)
          .required("keys", STRINGS).required("time", STRING)
          .build(p -> new DedupLatest(p.list("keys"), p.string("time"))),
      step(Zip5.NAME)
          .required("column", STRING).required("output", STRING)
          .build(p -> new Zip5(p.string("column"), p.string("output"))),
      step(PositiveFlag.NAME)
          .required("column", STRING).required("output", STRING)
          .build(p -> new PositiveFlag(p.string("column"), p.string("output"))));

  private StepCatalog() {}

  private static List<Aggregate> aggregates(Params p, String step) {
    if (!p.has("aggregates")) {
      return Aggregate.DEFAULT;
    }
    return p.<String>list("aggregates").stream().map(a -> Aggregate.parse(step, a)).toList();
  }

  private static Map<String, StepDef> index(StepDef... defs) {
    Map<String, StepDef> byName = new LinkedHashMap<>();
    for (StepDef d : defs) {
      byName.put(d.name(), d);
    }
    return java.util.Collections.unmodifiableMap(byName);
  }
}
