package dev.lakeline.training;

/**
 * What a training run decided about moving an alias to its new version.
 *
 * @param alias the alias considered ({@code champion})
 * @param promoted whether the alias now points at the version because of this decision
 * @param reason in words, what was compared with what: "champion → v2: areaUnderROC 0.8100 beats v1's 0.7800", or
 *     "champion stays v1: …"
 */
public record Promotion(String alias, boolean promoted, String reason) {}
