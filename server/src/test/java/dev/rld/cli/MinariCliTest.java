package dev.rld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.format.MinariFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rld inspect} on a Minari dataset (h5py-written) prints its episodes. */
class MinariCliTest {
  @TempDir Path root;

  @Test
  void inspectPrintsTheDatasetsEpisodes() throws Exception {
    MinariFixtures.writeHdf5(root);
    CliTest.Run r = CliTest.run("inspect", root.resolve("cartpole/expert-v0").toString());
    assertEquals(0, r.exitCode(), r.err());
    JsonNode o = new ObjectMapper().readTree(r.out());
    JsonNode truth = new ObjectMapper().readTree(root.resolve("cartpole/expert-v0/truth.json").toFile());
    assertEquals(3, o.get("episodes").size(), r.out());
    for (int e = 0; e < 3; e++) {
      assertEquals(truth.at("/episodes/" + e + "/rewards").size(), o.get("episodes").get(e).get("length").asInt(), r.out());
    }
  }
}
