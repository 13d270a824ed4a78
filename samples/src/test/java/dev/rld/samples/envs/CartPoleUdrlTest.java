package dev.rld.samples.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.env.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CartPoleUdrlTest {
  @Test
  void theCommandCountsDownWithEachStepAndStopsAtZero() {
    CartPoleUdrl env = new CartPoleUdrl();
    Map<String, Object> obs = env.reset(null, Map.of("command", List.of(10, 3), "state", List.of(0.01, 0.0, -0.02, 0.0)))
        .observation();
    // Flattened as Gymnasium does (keys sorted): command first, then the CartPole state.
    assertArrayEquals(new double[] {10, 3, 0.01f, 0, -0.02f, 0}, env.observationSpace().flatten(obs), 1e-9);
    CartPole plain = new CartPole();
    plain.reset(null, Map.of("state", List.of(0.01, 0.0, -0.02, 0.0)));
    for (int t = 1; t <= 5; t++) {
      Step<Map<String, Object>> s = env.step(t % 2);
      assertArrayEquals(new float[] {Math.max(0, 10 - t), Math.max(0, 3 - t)}, (float[]) s.observation().get("command"));
      assertArrayEquals(plain.step(t % 2).observation(), (float[]) s.observation().get("state"), "CartPole's dynamics");
    }
  }

  @Test
  void theDefaultCommandIsTheTrainedAgentsPlayCommand() throws IOException {
    JsonNode command = new ObjectMapper().readTree(Files.readString(Path.of("..", "models", "udrl", "train_report.json")))
        .get("play_command");
    assertEquals(command.get("horizon").asDouble(), CartPoleUdrl.HORIZON, 1e-9);
    assertEquals(command.get("return_mean").asDouble(), CartPoleUdrl.RETURN_MEAN, 1e-9);
    assertEquals(command.get("return_std").asDouble(), CartPoleUdrl.RETURN_STD, 1e-9);
    CartPoleUdrl env = new CartPoleUdrl();
    for (long seed = 0; seed < 20; seed++) {
      float[] c = (float[]) env.reset(seed).observation().get("command");
      assertEquals((float) CartPoleUdrl.HORIZON, c[1]);
      assertTrue(c[0] >= (float) CartPoleUdrl.RETURN_MEAN && c[0] <= (float) (CartPoleUdrl.RETURN_MEAN + CartPoleUdrl.RETURN_STD));
    }
    assertArrayEquals(env.observationSpace().flatten(env.reset(7L).observation()),
        env.observationSpace().flatten(env.reset(7L).observation()), "seeded resets repeat");
  }
}
