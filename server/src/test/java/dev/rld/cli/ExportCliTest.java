package dev.rld.cli;

import static dev.rld.cli.CliTest.CARTPOLE;
import static dev.rld.cli.CliTest.JSON;
import static dev.rld.cli.CliTest.assertOneLineFailure;
import static dev.rld.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.format.Rollout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rld export REC --to minari OUT}: the dataset it writes, its progress bar, its refusals. */
class ExportCliTest {
  @TempDir Path dir;

  @Test
  void exportWritesAMinariDatasetNamedAfterItsFolder() throws Exception {
    Path out = dir.resolve("cartpole/random-v2");
    CliTest.Run r = run("export", CARTPOLE.toString(), "--to", "minari", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    int episodes;
    long steps;
    try (Rollout rollout = Rollout.open(CARTPOLE)) {
      episodes = rollout.episodes().size();
      steps = rollout.totalSteps();
    }
    assertTrue(r.out().contains("Wrote Minari dataset 'random-v2'"), r.out());
    assertTrue(r.out().contains(episodes + " episodes, " + steps + " steps"), r.out());
    assertTrue(r.err().contains("Exporting") && r.err().contains(episodes + "/" + episodes), "a progress bar: " + r.err());
    JsonNode meta = JSON.readTree(out.resolve("data/metadata.json").toFile());
    assertEquals("random-v2", meta.get("dataset_id").asText());
    assertEquals(episodes, meta.get("total_episodes").asInt());
    assertEquals(steps, meta.get("total_steps").asLong());
    assertEquals("CartPole-v1", meta.get("rld_env_id").asText());
    for (int e = 0; e < episodes; e++) {
      assertTrue(Files.isRegularFile(out.resolve("data/" + e + "/part-0.arrow")));
    }
  }

  @Test
  void theDatasetIdOptionAndRefusals() throws Exception {
    Path out = dir.resolve("somewhere");
    CliTest.Run ok = run("export", CARTPOLE.toString(), "--to", "minari", out.toString(), "--dataset-id", "rld/cart-v1");
    assertEquals(0, ok.exitCode(), ok.err());
    assertEquals("rld/cart-v1", JSON.readTree(out.resolve("data/metadata.json").toFile()).get("dataset_id").asText());

    assertOneLineFailure(run("export", CARTPOLE.toString(), "--to", "minari", out.toString()), 2, "already exists");
    assertOneLineFailure(run("export", CARTPOLE.toString(), "--to", "d4rl", dir.resolve("x").toString()), 2,
        "d4rl", "minari");
    assertOneLineFailure(run("export", CARTPOLE.toString(), "--to", "minari", dir.resolve("y").toString(),
        "--dataset-id", "bad id"), 2, "not a Minari dataset id");
    assertFalse(Files.exists(dir.resolve("x")));
    assertFalse(Files.exists(dir.resolve("y")));
    assertOneLineFailure(run("export", dir.resolve("missing.arrow").toString(), "--to", "minari",
        dir.resolve("z-v0").toString()), 1, "missing.arrow");
  }
}
