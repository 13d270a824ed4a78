package dev.rld.annotation;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A user's note on rows {@code from} to {@code to} (inclusive) of an episode: a title, free
 * text, and when it was made and last changed (ISO-8601 instants, e.g. "2026-03-01T12:34:56.789Z").
 */
@JsonPropertyOrder({"id", "episode", "from", "to", "title", "note", "created", "updated"})
public record Annotation(String id, int episode, int from, int to, String title, String note, String created,
    String updated) {

  /** What a user gives when making or changing an annotation; checked by the caller. */
  public record Fields(int episode, int from, int to, String title, String note) {}

  Annotation with(Fields f, String now) {
    return new Annotation(id, f.episode(), f.from(), f.to(), f.title(), f.note(), created, now);
  }
}
