package dev.rld.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.format.Steps;
import dev.rld.space.SpaceJson;
import dev.rld.testing.ArrowJs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's record command makes a file that Apache Arrow JS reads, value for value. */
class CartPoleArrowJsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theDocumentedCartPoleRecordingReadsInArrowJs(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cartpole.arrow");
    var run = SamplesCliTest.run("record", "--env", "CartPole-v1", "--agent", "random", "--episodes", "20",
        "--seed", "1", "--out", file.toString());
    assertEquals(0, run.exitCode(), run.err());

    JsonNode js = JSON.readTree(ArrowJs.node(dir, "read_rld.mjs", file.toString()));
    JsonNode rows = js.get("rows");
    try (Rollout rollout = Rollout.open(file)) {
      assertEquals("CartPole-v1", js.at("/metadata/rld.env_id").asText());
      assertEquals(SpaceJson.toTree(rollout.observationSpace()), js.at("/metadata/rld.observation_space"));
      int row = 0;
      for (EpisodeSummary e : rollout.episodes()) {
        try (Steps steps = rollout.read(e.index(), 0, e.observations())) {
          for (int t = 0; t < steps.size(); t++, row++) {
            JsonNode r = rows.get(row);
            String at = "episode " + e.index() + " step " + t + ": ";
            assertEquals(e.episodeId(), r.get("episode_id").asInt(), at + "episode_id");
            assertArrayEquals((float[]) steps.observation(t), floats(r.get("observation")), at + "observation");
            if (t == e.length()) {
              assertTrue(r.get("action").isNull() && r.get("reward").isNull(), at + "final row");
              continue;
            }
            assertEquals(steps.action(t), r.get("action").asInt(), at + "action");
            assertEquals(1.0, r.get("reward").asDouble(), at + "reward");
            assertEquals(steps.terminated(t), r.get("terminated").asBoolean(), at + "terminated");
            assertEquals(steps.truncated(t), r.get("truncated").asBoolean(), at + "truncated");
            assertArrayEquals(new float[] {0.5f, 0.5f}, floats(r.get("action_probabilities")), at + "probabilities");
          }
        }
      }
      assertEquals(rows.size(), row, "Arrow JS sees exactly the rows our reader does");
      assertEquals(20 + rollout.totalSteps(), row, "N + 1 rows per episode");
    }
  }

  private static float[] floats(JsonNode a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) a.get(i).asDouble();
    }
    return out;
  }
}
