package dev.rld.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.env.Step;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.format.Steps;
import dev.rld.samples.agents.RandomAgent;
import dev.rld.samples.envs.CartPole;
import dev.rld.space.SpaceJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SamplesCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new SamplesCli());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static void assertNoStackTrace(Run r) {
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "stack trace on stderr:\n" + r.err());
  }

  @Test
  void recordWritesEverySeededEpisodeWithTheAgentsProbabilities(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("cartpole.arrow");
    Run r = run("record", "--env", "CartPole-v1", "--agent", "random", "--episodes", "20", "--seed", "1",
        "--out", file.toString(), "--title", "twenty random episodes");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("20/20 episodes"), "progress bar on stderr: " + r.err());

    try (Rollout rollout = Rollout.open(file)) {
      assertEquals("CartPole-v1", rollout.header().envId());
      assertEquals(new CartPole().observationSpace(), rollout.observationSpace());
      assertEquals("twenty random episodes", rollout.header().metadata().title());
      assertEquals("random", rollout.header().metadata().agent());
      assertEquals(1, ((Number) rollout.header().metadata().extra().get("seed")).intValue());

      List<EpisodeSummary> episodes = rollout.episodes();
      assertEquals(20, episodes.size());
      assertEquals(LongStream.rangeClosed(1, 20).boxed().toList(),
          episodes.stream().map(EpisodeSummary::seed).toList());
      for (EpisodeSummary e : episodes) {
        assertTrue(e.complete());
        assertTrue(e.terminated() || e.truncated());
        try (Steps steps = rollout.read(e.index(), 0, e.observations())) {
          assertEquals(e.length() + 1, steps.size());
          // The first observation is what reset(seed) gives: the seed recorded is the one used.
          assertArrayEquals(new CartPole().reset(e.seed()).observation(), (float[]) steps.observation(0));
          double sum = 0;
          int rewards = 0;
          for (int t = 0; t < e.length(); t++) {
            assertEquals(1.0, steps.reward(t), "CartPole pays 1 per step");
            sum += steps.reward(t);
            rewards++;
            assertArrayEquals(new float[] {0.5f, 0.5f}, steps.probabilities(t), "episode " + e.index() + " step " + t);
          }
          assertNull(steps.reward(e.length()), "the final row holds only the last observation");
          assertNull(steps.probabilities(e.length()));
          assertEquals(e.length(), rewards);
          assertEquals(e.length(), e.totalReturn(), "return == length for CartPole");
          assertEquals(sum, e.totalReturn());
          assertEquals(e.terminated(), steps.terminated(e.length() - 1));
        }
      }

      // The summary line matches the file.
      Matcher m = Pattern.compile("Wrote (.+): 20 episodes, (\\d+) steps, mean return ([0-9.]+)\\R"
              + "Endings: terminated (\\d+)(, truncated (\\d+))?\\R")
          .matcher(r.out());
      assertTrue(m.matches(), "unexpected output: " + r.out());
      assertEquals(file.toAbsolutePath().toString(), m.group(1));
      assertEquals(rollout.totalSteps(), Long.parseLong(m.group(2)));
      double mean = episodes.stream().mapToDouble(EpisodeSummary::totalReturn).average().orElseThrow();
      assertEquals(mean, Double.parseDouble(m.group(3)), 0.005);
      assertEquals(episodes.stream().filter(EpisodeSummary::terminated).count(), Long.parseLong(m.group(4)));
      long truncated = episodes.stream().filter(EpisodeSummary::truncated).count();
      assertEquals(truncated, m.group(6) == null ? 0 : Long.parseLong(m.group(6)));
    }
  }

  @Test
  void anyRecordedEpisodeReplaysAloneFromItsSeed(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("c.arrow");
    assertEquals(0, run("record", "--env", "CartPole-v1", "--episodes", "8", "--seed", "100",
        "--out", file.toString()).exitCode());
    try (Rollout rollout = Rollout.open(file)) {
      EpisodeSummary e = rollout.episodes().get(5);
      assertEquals(105L, e.seed());
      CartPole env = new CartPole();
      RandomAgent agent = new RandomAgent(env.actionSpace(), 0);
      agent.beginEpisode(e.seed());
      float[] obs = env.reset(e.seed()).observation();
      try (Steps steps = rollout.read(5, 0, e.observations())) {
        for (int t = 0; t < e.length(); t++) {
          assertArrayEquals((float[]) steps.observation(t), obs, "step " + t);
          Object action = agent.act(obs).action();
          assertEquals(((Number) steps.action(t)).intValue(), action, "step " + t);
          Step<float[]> step = env.step((Integer) action);
          obs = step.observation();
          assertEquals(t == e.length() - 1, step.done());
        }
        assertArrayEquals((float[]) steps.observation(e.length()), obs);
      }
    }
  }

  @Test
  void inspectPrintsAJsonSummary(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("c.arrow");
    assertEquals(0, run("record", "--env", "CartPole-v1", "--episodes", "3", "--seed", "7",
        "--out", file.toString()).exitCode());
    Run r = run("inspect", file.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("", r.err());
    JsonNode json = JSON.readTree(r.out());
    assertEquals(file.toAbsolutePath().toString(), json.get("path").asText());
    assertEquals("CartPole-v1", json.get("envId").asText());
    assertEquals(SpaceJson.toTree(new CartPole().observationSpace()), json.get("observationSpace"));
    assertEquals("Discrete", json.at("/actionSpace/type").asText());
    assertEquals(2, json.at("/actionSpace/n").asInt());
    assertEquals("random", json.at("/metadata/agent").asText());
    assertEquals(50, json.at("/metadata/extra/env_metadata/render_fps").asInt());
    assertFalse(json.has("recoveries"), "a properly closed file has nothing to report");
    try (Rollout rollout = Rollout.open(file)) {
      JsonNode episodes = json.get("episodes");
      assertEquals(3, episodes.size());
      for (EpisodeSummary e : rollout.episodes()) {
        JsonNode j = episodes.get(e.index());
        assertEquals(e.index(), j.get("index").asInt());
        assertEquals(e.length(), j.get("length").asInt());
        assertEquals(e.totalReturn(), j.get("return").asDouble());
        assertEquals(7 + e.index(), j.get("seed").asLong());
        assertEquals(e.terminated(), j.get("terminated").asBoolean());
        assertEquals(e.truncated(), j.get("truncated").asBoolean());
        assertTrue(j.get("complete").asBoolean());
      }
      assertEquals(rollout.totalSteps(), json.get("totalSteps").asLong());
    }
  }

  @Test
  void inspectReportsWhatWasRecoveredFromAnUnfinishedFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("c.arrow");
    assertEquals(0, run("record", "--env", "CartPole-v1", "--episodes", "4", "--out", file.toString()).exitCode());
    // Cut the footer off, as if the recorder had been killed before closing the file.
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 10);
    }
    Run r = run("inspect", file.toString());
    assertEquals(0, r.exitCode(), r.err());
    JsonNode json = JSON.readTree(r.out());
    assertEquals(4, json.get("episodes").size());
    assertEquals(1, json.at("/episodes/0/seed").asLong(), "seeds survive: they are kept in the data too");
    assertEquals(4, json.at("/episodes/3/seed").asLong());
    assertEquals(1, json.get("recoveries").size());
    String report = json.at("/recoveries/0").asText();
    assertTrue(report.contains("not closed properly") && report.contains("4 complete"), report);
  }

  @Test
  void theTrainedCartPoleAgentBalancesTheTargetShareOfEpisodes(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("trained.arrow");
    Run r = run("record", "--env", "CartPole-v1", "--agent", "trained", "--episodes", "100", "--seed", "11",
        "--out", file.toString());
    assertEquals(0, r.exitCode(), r.err());
    try (Rollout rollout = Rollout.open(file)) {
      assertEquals("trained", rollout.header().metadata().agent());
      List<EpisodeSummary> episodes = rollout.episodes();
      assertEquals(100, episodes.size());
      long full = episodes.stream().filter(e -> e.totalReturn() == 500).count();
      System.out.println("trained CartPole agent: " + full + "/100 episodes reach return 500");
      assertTrue(full >= 95, full + "/100 episodes reach return 500; the target is 95");
      EpisodeSummary first = episodes.get(0);
      try (Steps steps = rollout.read(0, 0, first.observations())) {
        for (int t = 0; t < first.length(); t++) {
          float[] p = steps.probabilities(t);
          float[] logits = steps.logits(t);
          assertEquals(2, p.length);
          assertEquals(2, logits.length);
          assertEquals(1.0, p[0] + p[1], 1e-5);
          // Greedy: the action taken is the most likely one.
          int greedy = logits[1] > logits[0] ? 1 : 0;
          assertEquals(greedy, ((Number) steps.action(t)).intValue(), "step " + t);
        }
      }
    }
  }

  @Test
  void theTrainedAgentRecordsTheOtherSampleEnvsToo(@TempDir Path dir) throws IOException {
    for (String env : List.of("Pendulum-v1", "PeterAndTheWolf-v0")) {
      Path file = dir.resolve(env + ".arrow");
      Run r = run("record", "--env", env, "--agent", "trained", "--episodes", "3", "--out", file.toString());
      assertEquals(0, r.exitCode(), r.err());
      try (Rollout rollout = Rollout.open(file)) {
        assertEquals(env, rollout.header().envId());
        assertEquals(3, rollout.episodes().size());
      }
    }
  }

  @Test
  void unknownEnvOrAgentIsAUsageError(@TempDir Path dir) {
    Path file = dir.resolve("x.arrow");
    Run env = run("record", "--env", "Pendulum-v9", "--out", file.toString());
    assertEquals(2, env.exitCode());
    assertTrue(env.err().contains("Unknown env 'Pendulum-v9'") && env.err().contains("CartPole-v1"), env.err());
    assertEquals("", env.out());
    Run agent = run("record", "--env", "CartPole-v1", "--agent", "nobody", "--out", file.toString());
    assertEquals(2, agent.exitCode());
    assertTrue(agent.err().contains("Unknown agent 'nobody'") && agent.err().contains("random"), agent.err());
    Run episodes = run("record", "--env", "CartPole-v1", "--episodes", "0", "--out", file.toString());
    assertEquals(2, episodes.exitCode());
    assertTrue(episodes.err().contains("--episodes must be at least 1"), episodes.err());
    assertFalse(Files.exists(file), "nothing is written on a usage error");
    assertEquals(2, run().exitCode(), "a subcommand is required");
  }

  @Test
  void inspectOfAFileThatIsNotARolloutFailsNamingIt(@TempDir Path dir) throws IOException {
    Path text = Files.writeString(dir.resolve("notes.arrow"), "these are not the bytes you are looking for");
    Run r = run("inspect", text.toString());
    assertEquals(1, r.exitCode());
    assertEquals("", r.out());
    assertTrue(r.err().contains(text.toString()) && r.err().contains("not an Arrow IPC file"), r.err());
    assertNoStackTrace(r);

    Run missing = run("inspect", dir.resolve("nope.arrow").toString());
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().contains("nope.arrow: no such file"), missing.err());
  }

  @Test
  void recordToAnUnwritablePathFailsWithTheMessage(@TempDir Path dir) throws IOException {
    Run r = run("record", "--env", "CartPole-v1", "--out", dir.toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("rld-samples record: " + dir), r.err());
    assertNoStackTrace(r);
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Run under = run("record", "--env", "CartPole-v1", "--out", file.resolve("c.arrow").toString());
    assertEquals(1, under.exitCode());
    assertTrue(under.err().contains(file + " is not a directory"), under.err());
    assertNoStackTrace(under);
  }

  @Test
  void theDemoWritesToTheUsersCacheNotTheWorkingDirectory() {
    assertEquals(Path.of("/x/cache/rld/demo"), DemoCommand.defaultDirectory("/x/cache", "/home/u"));
    assertEquals(Path.of("/home/u/.cache/rld/demo"), DemoCommand.defaultDirectory(null, "/home/u"));
    assertEquals(Path.of("/home/u/.cache/rld/demo"), DemoCommand.defaultDirectory(" ", "/home/u"));
  }

  @Test
  void demoRecordsEverySampleEnvWithItsAgentAndSaysWhatTheFilesHold(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("demo");
    Run r = run("demo", "--out", out.toString(), "--no-serve");
    assertEquals(0, r.exitCode(), r.err());
    StringBuilder expected = new StringBuilder();
    String[][] demos = {{"cartpole-trained.arrow", "CartPole-v1", "20", "trained"},
        {"pendulum-trained.arrow", "Pendulum-v1", "10", "trained"}, {"gridworld-trained.arrow", "PeterAndTheWolf-v0", "50", "trained"},
        {"catch-trained.arrow", "Catch-v0", "20", "trained"}, {"swingup-tiny.arrow", "CartPoleSwingUp-v0", "10", "tiny"},
        {"cartpole-ppo.arrow", "CartPole-v1", "10", "ppo"}, {"cartpole-ppo-initial.arrow", "CartPole-v1", "10", "ppo-initial"},
        {"cartpole-udrl.arrow", "CartPoleUDRL-v1", "10", "udrl"}, {"cartpole-qlearning.arrow", "CartPole-v1", "10", "qlearning"},
        {"energy-qlearning.arrow", "PeterAndTheWolfEnergy-v0", "20", "qlearning"}};
    for (String[] d : demos) {
      Path file = out.resolve(d[0]);
      try (Rollout rollout = Rollout.open(file)) {
        assertEquals(d[1], rollout.header().envId());
        assertEquals(d[3], rollout.header().metadata().agent());
        assertEquals(Integer.parseInt(d[2]), rollout.episodes().size(), d[1] + " episodes by default");
        assertEquals(1L, rollout.episodes().get(0).seed(), "seed 1 by default");
        expected.append(String.format(java.util.Locale.ROOT,
            "Recorded %s: %s, %s agent, %s episodes, %d steps, mean return %.2f, max return %.1f%n",
            file.toAbsolutePath(), d[1], d[3], d[2], rollout.totalSteps(),
            rollout.episodes().stream().mapToDouble(EpisodeSummary::totalReturn).average().orElseThrow(),
            rollout.episodes().stream().mapToDouble(EpisodeSummary::totalReturn).max().orElseThrow()));
      }
    }
    assertTrue(r.out().startsWith(expected.toString()), r.out());
    // A hint the user can paste from the repository root, and each bar's final state printed once.
    assertTrue(r.out().contains("  Look inside: java -jar samples/target/rld-samples.jar inspect "
        + out.resolve("cartpole-trained.arrow").toAbsolutePath()), r.out());
    assertEquals(demos.length, r.err().split("Recording 100%", -1).length - 1, r.err());
    try (Rollout cartPole = Rollout.open(out.resolve("cartpole-trained.arrow"))) {
      assertTrue(cartPole.episodes().stream().allMatch(e -> e.totalReturn() == 500), "the trained CartPole agent balances");
    }
    Run few = run("demo", "--out", out.toString(), "--episodes", "3", "--no-serve");
    assertEquals(0, few.exitCode(), few.err());
    for (String[] d : demos) {
      try (Rollout rollout = Rollout.open(out.resolve(d[0]))) {
        assertEquals(3, rollout.episodes().size(), "--episodes applies to every demo file, overwritten");
      }
    }
  }

  @Test
  void theGridWorldPolicyGivesTheQLearningAgentsProbabilities(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("g.arrow");
    assertEquals(0, run("record", "--env", "PeterAndTheWolf-v0", "--agent", "trained", "--episodes", "2",
        "--out", file.toString()).exitCode());
    try (Rollout rollout = Rollout.open(file);
        dev.rld.policy.Policy policy = dev.rld.samples.agents.SamplePolicies.gridWorld()) {
      assertEquals(rollout.observationSpace().flatDim(), policy.inputSize());
      EpisodeSummary e = rollout.episodes().get(0);
      try (Steps steps = rollout.read(0, 0, e.observations())) {
        for (int t = 0; t < e.length(); t++) {
          double[] flat = rollout.observationSpace().flatten(steps.observation(t));
          float[] x = new float[flat.length];
          for (int i = 0; i < x.length; i++) {
            x[i] = (float) flat[i];
          }
          float[] logits = policy.evaluate(x, 1);
          double max = Double.NEGATIVE_INFINITY;
          for (float l : logits) {
            max = Math.max(max, l);
          }
          double sum = 0;
          for (float l : logits) {
            sum += Math.exp(l - max);
          }
          float[] recorded = steps.probabilities(t);
          for (int a = 0; a < 4; a++) {
            assertEquals(recorded[a], Math.exp(logits[a] - max) / sum, 1e-5, "step " + t + " action " + a);
          }
        }
      }
    }
  }
}
