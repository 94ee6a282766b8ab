package dev.lakeline.validation.internal.deequ;

import com.amazon.deequ.profiles.ColumnProfile;
import com.amazon.deequ.suggestions.ConstraintSuggestion;
import com.amazon.deequ.suggestions.ConstraintSuggestionResult;
import com.amazon.deequ.suggestions.ConstraintSuggestionRunner;
import com.amazon.deequ.suggestions.ConstraintSuggestionWithValue;
import com.amazon.deequ.suggestions.Rules;
import com.amazon.deequ.suggestions.rules.ConstraintRule;
import com.amazon.deequ.suggestions.rules.UniqueIfApproximatelyUniqueRule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.collection.JavaConverters;

/**
 * Deequ's constraint suggestion ({@code Rules.DEFAULT} plus {@code UniqueIfApproximatelyUniqueRule}) as plain
 * Java values. Suggestions are read from their structured fields; the Scala code Deequ proposes is never run,
 * only the one number some rules put in it (the lower bound of a ratio) is read.
 */
public final class DeequSuggester {
  private static final Pattern BOUND = Pattern.compile("_ >= ([0-9.eE+-]+)");

  private DeequSuggester() {}

  /**
   * One suggestion.
   *
   * @param column the column (as named in the data Deequ saw)
   * @param rule the suggesting rule's class name, e.g. {@code CompleteIfCompleteRule}
   * @param values the categories of a categorical-range suggestion, else empty
   * @param fraction the lower bound of a ratio suggestion (completeness, share in range), else null
   * @param currentValue Deequ's description of what it saw, e.g. {@code DataType: Integral}
   */
  public record Suggestion(String column, String rule, List<String> values, Double fraction, String currentValue) {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static List<Suggestion> suggest(Dataset<Row> data) {
    List<ConstraintRule<ColumnProfile>> rules = new ArrayList<>(JavaConverters.seqAsJavaList(Rules.DEFAULT()));
    rules.add((ConstraintRule) new UniqueIfApproximatelyUniqueRule());
    // Deequ's profiler prints a line for each column type it does not profile (e.g. "Unable to map type DateType") to
    // the console, between the command's own lines: the suggestions say what was profiled
    scala.Function0<ConstraintSuggestionResult> run = () ->
        new ConstraintSuggestionRunner().onData(data).addConstraintRules(JavaConverters.asScalaBuffer(rules).toList()).run();
    ConstraintSuggestionResult result = scala.Console.withOut(java.io.OutputStream.nullOutputStream(), run);
    List<Suggestion> out = new ArrayList<>();
    for (scala.collection.Seq<ConstraintSuggestion> perColumn :
        JavaConverters.asJavaCollection(result.constraintSuggestions().values())) {
      for (ConstraintSuggestion s : JavaConverters.seqAsJavaList(perColumn)) {
        List<String> values = new ArrayList<>();
        if (s instanceof ConstraintSuggestionWithValue<?> v && v.value() instanceof scala.collection.Seq<?> seq) {
          JavaConverters.seqAsJavaList(seq).forEach(x -> values.add(String.valueOf(x)));
        }
        Matcher m = BOUND.matcher(s.codeForConstraint());
        Double fraction = m.find() ? Double.valueOf(m.group(1)) : null;
        out.add(new Suggestion(s.columnName(), s.suggestingRule().getClass().getSimpleName(), values, fraction, s.currentValue()));
      }
    }
    return out;
  }
}
