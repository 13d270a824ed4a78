package dev.rld.cli;

import static dev.rld.cli.CliTest.assertOneLineFailure;
import static dev.rld.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.api.RldServer;
import dev.rld.attribution.Sidecar;
import dev.rld.env.RecordingEnv;
import dev.rld.format.AgentOutput;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.format.RolloutWriter;
import dev.rld.format.Steps;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.testing.LineWalk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rld verify}, corrupt recordings given to {@code serve}, and sidecars keyed by the recording's content. */
class IntegrityCliTest {
  @TempDir Path dir;

  static void recordLineWalk(Path file, int episodes) throws Exception {
    try (var env = new RecordingEnv<>(new LineWalk(30), RolloutWriter.builder(file).flushEverySteps(8))) {
      for (int e = 0; e < episodes; e++) {
        float[] x = env.reset((long) e).observation();
        dev.rld.env.Step<float[]> step;
        do {
          step = env.step(x[0] + 3 * x[1] > 0 ? 0 : 2);
          x = step.observation();
        } while (!step.done());
      }
    }
  }

  /** Flips a byte in the middle of the file: inside a record batch of a closed multi-batch file. */
  static void flipInTheMiddle(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(file, bytes);
  }

  @Test
  void verifySaysOkWithWhatItChecked() throws Exception {
    Path f = dir.resolve("walk.arrow");
    recordLineWalk(f, 3);
    CliTest.Run r = run("verify", f.toString());
    assertEquals(0, r.exitCode(), r.err());
    try (Rollout rollout = Rollout.open(f)) {
      assertTrue(r.out().matches("OK \\Q" + f + "\\E: \\d+ batches, " + rollout.episodes().size() + " episodes, "
          + rollout.totalSteps() + " steps checked\\R"), r.out());
    }
    assertEquals(1, r.out().lines().count());
  }

  @Test
  void verifyNamesTheFirstBadBatchAndExitsWithOne() throws Exception {
    Path good = dir.resolve("a.arrow");
    Path bad = dir.resolve("b.arrow");
    recordLineWalk(good, 3);
    recordLineWalk(bad, 3);
    flipInTheMiddle(bad);
    CliTest.Run r = run("verify", dir.toString());
    assertEquals(1, r.exitCode(), r.out() + r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size(), r.out());
    assertTrue(lines.get(0).startsWith("OK " + good + ": "), lines.get(0));
    assertTrue(lines.get(1).matches("BAD \\Q" + bad + "\\E: record batch \\d+ at byte \\d+: checksum mismatch .*"),
        lines.get(1));
  }

  @Test
  void serveOfACorruptFileFailsWithOneLineThatDoesNotBlameThePolicy() throws Exception {
    Path bad = dir.resolve("walk.arrow");
    recordLineWalk(bad, 2);
    byte[] bytes = Files.readAllBytes(bad);
    Files.write(bad, java.util.Arrays.copyOf(bytes, 20)); // cut inside the schema
    CliTest.Run r = run("serve", bad.toString(), "--port", "0");
    assertOneLineFailure(r, 1, bad.toString(), "truncated");
    assertFalse(r.err().contains("policy"), r.err());
  }

  @Test
  void aDirectoryWithOneCorruptFileIsServedWithoutIt() throws Exception {
    Path data = Files.createDirectory(dir.resolve("actors"));
    recordLineWalk(data.resolve("a.arrow"), 2);
    recordLineWalk(data.resolve("b.arrow"), 2);
    Files.write(data.resolve("b.arrow"), "not arrow at all".getBytes());
    try (RldServer server = RldServer.builder().recording(data, null).port(0).start()) {
      String note = data.resolve("b.arrow") + ": not an Arrow IPC file";
      assertTrue(server.notes().stream().anyMatch(n -> n.startsWith("skipped " + note)), server.notes().toString());
      JsonNode meta = CliTest.get(server, "/api/rollouts/actors");
      assertEquals(2, meta.get("episodes").asInt());
      assertTrue(meta.get("recoveries").get(0).asText().startsWith("skipped " + note), meta.toString());
    }
  }

  @Test
  void aSidecarOfDataRecordedSinceIsIgnoredAndAttributionsAreRecomputed() throws Exception {
    Path model = dir.resolve("policy.onnx");
    LinearOnnx.write(model, CliTest.W, CliTest.B);
    Path rec = dir.resolve("cartpole.arrow");
    Files.copy(CliTest.CARTPOLE, rec);
    assertEquals(0, run("attribute", rec.toString(), "--policy", model.toString(), "--output", "logit").exitCode());
    Path sidecar = Sidecar.pathFor(rec);

    reRecordFirstEpisodes(CliTest.CARTPOLE, rec, 2);
    try (OnnxPolicy policy = OnnxPolicy.load(model, Policy.Output.LOGITS);
        RldServer server = RldServer.builder().recording(rec, policy).port(0).start()) {
      assertEquals(List.of("ignored " + sidecar + ": it was computed for different data (the recording changed since)"),
          server.notes());
      JsonNode answer = CliTest.get(server, "/api/rollouts/cartpole/episodes/1/attributions?output=logit&target=all");
      try (Rollout r = Rollout.open(rec); Steps s = r.read(1, 0, r.episodes().get(1).observations())) {
        assertEquals(s.size(), answer.get("steps").size());
        JsonNode first = answer.get("steps").get(0);
        float[] x = (float[]) s.observation(first.get("step").asInt());
        for (int i = 0; i < 4; i++) {
          assertEquals(CliTest.W[i][1] * x[i], first.get("targets").get(1).get("raw").get(i).asDouble(), 1e-5);
        }
      }
    }

    // A sidecar from before fingerprints cannot say what it was computed for: ignored too.
    Sidecar.Contents old = Sidecar.read(sidecar);
    Sidecar.write(sidecar, old.policyFingerprint(), null, old.entries());
    try (OnnxPolicy policy = OnnxPolicy.load(model, Policy.Output.LOGITS);
        RldServer server = RldServer.builder().recording(rec, policy).port(0).start()) {
      assertEquals(List.of("ignored " + sidecar + ": it does not say which data it was computed for (an older rld "
          + "wrote it); run rld attribute again"), server.notes());
    }
  }

  /** Writes the first {@code n} episodes of {@code from} anew to {@code to}: a re-recording with the same spaces. */
  private static void reRecordFirstEpisodes(Path from, Path to, int n) throws Exception {
    Path tmp = to.resolveSibling("rerecorded.tmp");
    try (Rollout r = Rollout.open(from);
        RolloutWriter w = RolloutWriter.builder(tmp).spaces(r.observationSpace(), r.actionSpace())
            .envId(r.header().envId()).open()) {
      for (EpisodeSummary e : r.episodes().subList(0, n)) {
        try (Steps s = r.read(e.index(), 0, e.observations())) {
          w.beginEpisode(e.seed(), null, s.observation(0), Map.of());
          for (int t = 0; t < e.length(); t++) {
            w.step(s.action(t), s.reward(t), s.terminated(t), s.truncated(t), s.observation(t + 1), Map.of(),
                AgentOutput.none());
          }
        }
      }
    }
    Files.move(tmp, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
