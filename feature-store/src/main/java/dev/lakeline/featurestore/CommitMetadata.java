package dev.lakeline.featurestore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.Map;

/** Reads the Lakeline entries of a Delta commit's userMetadata (written by core's DeltaCommits). */
final class CommitMetadata {
  private CommitMetadata() {}

  static Map<String, String> parse(String json) {
    if (json == null || json.isBlank() || !json.trim().startsWith("{")) {
      return Map.of();
    }
    try {
      return Json.MAPPER.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      return Map.of();
    }
  }
}
