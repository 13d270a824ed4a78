package dev.rld.samples.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.envs.CartPole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The shipped PyTorch models through ONNX Runtime against PyTorch's own outputs (reference_outputs.json). */
class TorchAgentsTest {
  private static final Path MODELS = Path.of("..", "models");

  @ParameterizedTest
  @CsvSource({"ppo, ppo.onnx, true", "ppo, ppo_initial.onnx, true", "udrl, udrl.onnx, false"})
  void onnxOutputsMatchPyTorch(String dir, String model, boolean hasValue) throws IOException {
    JsonNode ref = new ObjectMapper().readTree(Files.readString(MODELS.resolve(dir).resolve("reference_outputs.json")));
    OnnxPolicy policy = TorchAgents.policy(model);
    Policy value = policy.valueHead();
    assertEquals(hasValue, value != null, "value output of " + model);
    JsonNode observations = ref.get("observations");
    for (int i = 0; i < observations.size(); i++) {
      float[] obs = floats(observations.get(i));
      float[] logits = policy.evaluate(obs, 1);
      float[] expected = floats(ref.at("/" + model + "/logits/" + i));
      for (int a = 0; a < expected.length; a++) {
        assertEquals(expected[a], logits[a], 1e-5, model + " logit " + a + " of observation " + i);
      }
      if (hasValue) {
        assertEquals(ref.at("/" + model + "/value/" + i).asDouble(), value.evaluate(obs, 1)[0], 1e-5,
            model + " value of observation " + i);
      }
    }
  }

  @Test
  void ppoAgentsActInCartPoleOnlyAndRecordTheirValue() {
    CartPole env = new CartPole();
    @SuppressWarnings("unchecked")
    Agent<Object, Integer> agent = (Agent<Object, Integer>) Agents.make("ppo", env, 0);
    Agent.Decision<Integer> d = agent.act(env.reset(3L).observation());
    assertNotNull(d.output().value());
    assertEquals(2, d.output().logits().length);
    var e = assertThrows(IllegalArgumentException.class, () -> Agents.make("ppo-initial", new dev.rld.samples.envs.Catch(), 0));
    assertEquals("agent 'ppo-initial' acts in CartPole-v1 only, not Catch-v0", e.getMessage());
  }

  private static float[] floats(JsonNode array) {
    float[] f = new float[array.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) array.get(i).asDouble();
    }
    return f;
  }
}
