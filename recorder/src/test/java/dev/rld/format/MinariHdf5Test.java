package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.space.Box;
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

/** Minari HDF5 datasets written by h5py read through Rollout.open, value by value. */
class MinariHdf5Test {
  @TempDir static Path root;

  @BeforeAll
  static void writeFixtures() throws Exception {
    MinariFixtures.writeHdf5(root);
  }

  @Test
  void cartPoleReadsEveryValueAndTheMetadata() throws Exception {
    Path dataset = root.resolve("cartpole/expert-v0");
    JsonNode truth = MinariFixtures.truth(dataset);
    try (RootAllocator allocator = new RootAllocator()) {
      try (Rollout r = Rollout.open(dataset, allocator)) {
        assertEquals(MinariSpaces.fromMinariJson(truth.at("/metadata/observation_space").asText()), r.observationSpace());
        assertEquals(new Discrete(2), r.actionSpace());
        RolloutHeader h = r.header();
        assertEquals("CartPole-v1", h.envId());
        assertEquals("cartpole/expert-v0", h.metadata().title());
        assertEquals("expert CartPole", h.metadata().description());
        assertEquals("PPO", h.metadata().agent());
        assertEquals(List.of("Ada"), h.metadata().extra().get("author"));
        assertEquals(500.0, h.metadata().extra().get("ref_max_score"));
        assertEquals("hdf5", h.metadata().extra().get("data_format"));
        assertEquals("0.5.3", h.metadata().extra().get("minari_version"));
        assertEquals("https://example.org/code", h.metadata().extra().get("code_permalink"));
        assertEquals(15, r.totalSteps());
        MinariTruth.check(r, truth, 0);
        // A step range in the middle reads only those rows.
        try (Steps s = r.read(2, 3, 5)) {
          assertEquals(2, s.size());
          MinariTruth.same(truth.at("/episodes/2/observations/3"), s.observation(0), 0, "slice");
        }
      }
      assertEquals(0, allocator.getAllocatedMemory());
    }
    // The data directory itself opens too.
    try (Rollout r = Rollout.open(dataset.resolve("data"))) {
      assertEquals(3, r.episodes().size());
    }
  }

  @Test
  void dictObservationsAndTupleActions() throws Exception {
    Path dataset = root.resolve("point/dict-v1");
    try (Rollout r = Rollout.open(dataset)) {
      Dict obs = (Dict) r.observationSpace();
      assertEquals(new Discrete(4, 1), obs.spaces().get("goal"));
      assertEquals(Tuple.class, r.actionSpace().getClass());
      MinariTruth.check(r, MinariFixtures.truth(dataset), 0);
    }
  }

  @Test
  void jpegImagesDecodeToThePixelsPilDecodes() throws Exception {
    Path dataset = root.resolve("pixels/jpeg-v0");
    try (RootAllocator allocator = new RootAllocator()) {
      try (Rollout r = Rollout.open(dataset, allocator)) {
        assertEquals(List.of(32, 32, 3), java.util.Arrays.stream(((Box) r.observationSpace()).shape()).boxed().toList());
        // ImageIO and libjpeg (PIL) may round the inverse DCT and upsampling differently: ±2.
        MinariTruth.check(r, MinariFixtures.truth(dataset), 2);
      }
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }
}
