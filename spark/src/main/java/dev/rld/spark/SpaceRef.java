package dev.rld.spark;

import dev.rld.space.Space;
import dev.rld.space.SpaceJson;
import java.io.Serializable;

/** A space that travels to executors as its JSON form (spaces are not Serializable). */
final class SpaceRef implements Serializable {
  private final String json;
  private transient Space space;

  SpaceRef(Space space) {
    this.json = SpaceJson.toJson(space);
    this.space = space;
  }

  Space get() {
    if (space == null) {
      space = SpaceJson.fromJson(json);
    }
    return space;
  }
}
