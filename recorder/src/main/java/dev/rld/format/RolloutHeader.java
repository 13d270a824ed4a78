package dev.rld.format;

import dev.rld.space.Space;

/**
 * What a recording says about itself, from its schema metadata: the format version, the env id,
 * both spaces, the user's metadata, and which recorder wrote it when.
 */
public record RolloutHeader(String formatVersion, String envId, Space observationSpace,
    Space actionSpace, RolloutMetadata metadata, String recorderVersion, String created) {}
