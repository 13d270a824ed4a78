package dev.rld.format;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the user says about a recording: a title, a description, the agent that acted, and any
 * further JSON-able entries. Stored in the file's schema metadata as {@code rld.metadata}.
 */
public record RolloutMetadata(String title, String description, String agent, Map<String, Object> extra) {

  public RolloutMetadata {
    title = title == null ? "" : title;
    description = description == null ? "" : description;
    agent = agent == null ? "" : agent;
    // Not Map.copyOf: JSON-able values include null.
    extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  public static RolloutMetadata empty() {
    return new RolloutMetadata("", "", "", Map.of());
  }
}
