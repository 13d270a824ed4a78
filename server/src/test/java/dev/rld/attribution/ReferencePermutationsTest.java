package dev.rld.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Shapley permutations are the ones the independent Python reference draws. */
class ReferencePermutationsTest {
  @Test
  void permutationsMatchThePythonReference() throws Exception {
    JsonNode ref = new ObjectMapper().readTree(Path.of("../models/cartpole/reference_attributions.json").toFile());
    JsonNode perms = ref.get("permutations");
    long seed = perms.get("seed").asLong();
    var steps = perms.get("steps").fields();
    int checked = 0;
    while (steps.hasNext()) {
      var e = steps.next();
      int step = Integer.parseInt(e.getKey());
      int[][] java = SplitMix64.permutationsForStep(seed, step, e.getValue().size(), 4);
      for (int p = 0; p < java.length; p++) {
        int[] python = new int[4];
        for (int i = 0; i < 4; i++) {
          python[i] = e.getValue().get(p).get(i).asInt();
        }
        assertArrayEquals(python, java[p], "step " + step + " permutation " + p);
        checked++;
      }
    }
    assertEquals(50, checked, "25 permutations for each of steps 0 and 1");
  }
}
