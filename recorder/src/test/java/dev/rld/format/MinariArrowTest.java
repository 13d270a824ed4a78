package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.space.Dict;
import dev.rld.space.Discrete;
import dev.rld.space.MinariSpaces;
import dev.rld.space.Tuple;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Minari Arrow-store datasets written by Apache Arrow JS read through Rollout.open, value by value. */
class MinariArrowTest {
  @TempDir static Path root;

  @BeforeAll
  static void writeFixtures() throws Exception {
    MinariFixtures.writeArrow(root);
  }

  @Test
  void cartPoleReadsEveryValueInfosAndTheMetadata() throws Exception {
    Path dataset = root.resolve("arrow/cartpole-v0");
    JsonNode truth = MinariFixtures.truth(dataset);
    try (RootAllocator allocator = new RootAllocator()) {
      try (Rollout r = Rollout.open(dataset, allocator)) {
        assertEquals(MinariSpaces.fromMinariJson(truth.at("/metadata/observation_space").asText()), r.observationSpace());
        assertEquals(new Discrete(2), r.actionSpace());
        assertEquals("CartPole-v1", r.header().envId());
        assertEquals("arrow/cartpole-v0", r.header().metadata().title());
        assertEquals("Arrow CartPole", r.header().metadata().description());
        assertEquals("DQN", r.header().metadata().agent());
        assertEquals(List.of("Grace"), r.header().metadata().extra().get("author"));
        assertEquals(500.5, r.header().metadata().extra().get("ref_max_score"));
        assertEquals("arrow", r.header().metadata().extra().get("data_format"));
        assertEquals(2, r.files().size());
        MinariTruth.check(r, truth, 0);
        try (Steps s = r.read(1, 2, 4)) {
          MinariTruth.same(truth.at("/episodes/1/observations/2"), s.observation(0), 0, "slice");
          assertEquals(truth.at("/episodes/1/actions/3").asInt(), s.action(1));
        }
      }
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  @Test
  void dictObservationsAndTupleActions() throws Exception {
    Path dataset = root.resolve("arrow/dict-v0");
    try (RootAllocator allocator = new RootAllocator()) {
      try (Rollout r = Rollout.open(dataset, allocator)) {
        assertEquals(new Discrete(4, 1), ((Dict) r.observationSpace()).spaces().get("goal"));
        assertEquals(Tuple.class, r.actionSpace().getClass());
        MinariTruth.check(r, MinariFixtures.truth(dataset), 0);
      }
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  @Test
  void jpegBinaryImagesDecodeToThePixelsPilDecodes() throws Exception {
    Path dataset = root.resolve("arrow/pixels-v0");
    try (RootAllocator allocator = new RootAllocator()) {
      try (Rollout r = Rollout.open(dataset, allocator)) {
        // ImageIO and libjpeg (PIL) may round the inverse DCT and upsampling differently: ±2.
        MinariTruth.check(r, MinariFixtures.truth(dataset), 2);
      }
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }
}
