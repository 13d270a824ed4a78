package dev.rld.samples.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.env.Env;
import dev.rld.env.Reset;
import dev.rld.env.Step;
import dev.rld.format.AgentOutput;
import dev.rld.samples.envs.CartPole;
import dev.rld.samples.envs.Envs;
import dev.rld.space.Space;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trainer written in PyTorch (models/NAME/train.py): it runs the script with
 * {@code /usr/bin/python3} (or {@code $RLD_PYTHON}) from a checkout of the repository, shows its
 * "progress DONE TOTAL status" lines, and then replays the training episodes the script logged
 * (JSON lines: reset options, actions, observations and the policy's logits and value at the time)
 * in the Java env into the {@link TrainingRecorder}, checking every observation against the
 * logged one and that each episode ends where the logged one did, so what is recorded is what the
 * trainer saw (see {@link #RESYNC} for the last bits of float64 CartPole states). The retrained files go to a temporary
 * directory named in the result; the shipped ones are not touched.
 */
public final class PythonTrainer implements Trainer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String envId;
  private final String model;

  /** Trains with models/{@code model}/train.py; its episodes are played in {@code envId}. */
  public PythonTrainer(String envId, String model) {
    this.envId = envId;
    this.model = model;
  }

  @Override
  public String envId() {
    return envId;
  }

  @Override
  public String train(long seed, TrainingRecorder recorder, Progress progress) throws IOException {
    Path script = locate(Path.of("models", model, "train.py"));
    Path out = Files.createTempDirectory("rld-train-" + model + "-");
    Path log = out.resolve("training.jsonl");
    String python = System.getenv().getOrDefault("RLD_PYTHON", "/usr/bin/python3");
    Process p = new ProcessBuilder(python, script.toString(), "--seed", Long.toString(seed), "--out-dir",
        out.toString(), "--log", log.toString()).redirectErrorStream(true).start();
    Deque<String> tail = new ArrayDeque<>();
    String summary = "";
    try (BufferedReader r = p.inputReader(StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        String[] parts = line.split(" ", 4);
        if (parts.length >= 3 && parts[0].equals("progress")) {
          progress.update(Long.parseLong(parts[1]), Long.parseLong(parts[2]), parts.length > 3 ? parts[3] : "");
        } else if (line.startsWith("evaluation:")) {
          summary = line.substring("evaluation:".length()).trim();
        }
        tail.addLast(line);
        if (tail.size() > 20) {
          tail.removeFirst();
        }
      }
    }
    try {
      if (p.waitFor() != 0) {
        throw new IOException(script + " failed (exit " + p.exitValue() + "; it needs PyTorch, e.g. Debian's "
            + "python3-torch):\n" + String.join("\n", tail));
      }
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while training", e);
    }
    Replayed r = replay(log, Envs.make(envId), recorder);
    return String.format("%s; %d training episodes replayed in Java (largest relative observation difference "
        + "%.1e, %d re-synchronisations); trained files in %s", summary, r.episodes(), r.largestDifference(),
        r.resyncs(), out);
  }

  /**
   * What a replay did: episodes replayed, the largest relative difference of a Java observation
   * value from the logged one, and how often the Java env was re-synchronised to the log.
   */
  public record Replayed(int episodes, double largestDifference, int resyncs) {}

  /**
   * Python's libm and Java's Math.sin/cos may differ in the last bit and CartPole amplifies that
   * (1.6e-6 after 364 steps, 1e-4 after 425): beyond RESYNC the Java env restarts from the logged
   * observation. Beyond FAIL, one step cannot have drifted that far: the actions or dynamics differ.
   */
  static final double RESYNC = 1e-4;
  static final double FAIL = 1e-2;

  /**
   * Replays a training log into {@code recorder}: each line's episode is reset with its
   * {@code reset_options}, stepped with its actions, and checked against its observations and its
   * length; each step records the softmax of its logits, the logits and its value, when logged.
   * The reset info says the training seed and the step infos where the env was re-synchronised.
   */
  public static Replayed replay(Path log, Env<?, ?> env, TrainingRecorder recorder) throws IOException {
    @SuppressWarnings("unchecked")
    Env<Object, Object> e = (Env<Object, Object>) env;
    Space space = env.observationSpace();
    int episodes = 0;
    int resyncs = 0;
    double largest = 0;
    try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        JsonNode ep = JSON.readTree(line);
        @SuppressWarnings("unchecked")
        Map<String, Object> options = JSON.convertValue(ep.get("reset_options") != null ? ep.get("reset_options")
            : JSON.createObjectNode().set("state", ep.get("reset_state")), Map.class);
        Reset<Object> reset = e.reset(null, options);
        JsonNode observations = ep.get("observations");
        largest = Math.max(largest, difference(space, reset.observation(), observations.get(0), ep, 0));
        Map<String, Object> info = new LinkedHashMap<>(reset.info());
        info.put("training_seed", ep.get("seed").asLong());
        if (ep.has("kind")) {
          info.put("kind", ep.get("kind").asText());
        }
        recorder.begin(null, reset.observation(), info);
        JsonNode actions = ep.get("actions");
        for (int t = 0; t < actions.size(); t++) {
          Integer action = actions.get(t).asInt(); // Discrete actions: the envs replayed here are CartPole's
          Step<Object> s = e.step(action);
          // The step count is ours: a re-synchronised env counts from its restart.
          boolean truncated = t + 1 >= CartPole.MAX_EPISODE_STEPS;
          if ((s.terminated() || truncated) != (t == actions.size() - 1)) {
            throw new IllegalStateException("replaying training episode " + ep.get("episode") + ": the Java env "
                + (s.terminated() ? "ended it at step " + (t + 1) : "did not end it") + ", the trainer's ended after "
                + actions.size() + " steps");
          }
          double d = difference(space, s.observation(), observations.get(t + 1), ep, t + 1);
          largest = Math.max(largest, d);
          Object next = s.observation();
          Map<String, Object> stepInfo = s.info();
          if (d > RESYNC && t < actions.size() - 1) {
            next = e.reset(null, resyncOptions(floats(observations.get(t + 1)))).observation();
            stepInfo = new LinkedHashMap<>(stepInfo);
            stepInfo.put("resynced", true);
            resyncs++;
          }
          recorder.step(action, s.reward(), s.terminated(), truncated, next, stepInfo, output(ep, t));
        }
        recorder.end();
        episodes++;
      }
    }
    return new Replayed(episodes, largest, resyncs);
  }

  /** Reset options restarting CartPole (4 values) or CartPoleUDRL (command, then state) at a flat observation. */
  private static Map<String, Object> resyncOptions(float[] flat) {
    List<Double> values = new ArrayList<>();
    for (float v : flat) {
      values.add((double) v);
    }
    return flat.length == 6 ? Map.of("command", values.subList(0, 2), "state", values.subList(2, 6))
        : Map.of("state", values);
  }

  private static AgentOutput output(JsonNode ep, int t) {
    JsonNode logits = ep.get("logits");
    AgentOutput out = AgentOutput.none();
    if (logits != null && !logits.isNull()) {
      float[] l = floats(logits.get(t));
      out = AgentOutput.ofProbabilities(PolicyAgent.softmax(l)).withLogits(l);
    }
    JsonNode value = ep.get("value");
    if (value != null && !value.isNull()) {
      out = out.withValue((float) value.get(t).asDouble());
    }
    return out;
  }

  private static double difference(Space space, Object observation, JsonNode logged, JsonNode ep, int t) {
    double[] flat = space.flatten(observation);
    float[] expected = floats(logged);
    double largest = 0;
    List<String> diffs = new ArrayList<>();
    for (int i = 0; i < Math.min(flat.length, expected.length); i++) {
      double d = Math.abs(flat[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
      largest = Math.max(largest, d);
      if (d > FAIL) {
        diffs.add(i + ": " + flat[i] + " vs " + expected[i]);
      }
    }
    if (flat.length != expected.length || !diffs.isEmpty()) {
      throw new IllegalStateException("replaying training episode " + ep.get("episode") + " (seed " + ep.get("seed")
          + "): observation " + t + " differs from the trainer's: " + diffs);
    }
    return largest;
  }

  private static float[] floats(JsonNode array) {
    float[] f = new float[array.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) array.get(i).asDouble();
    }
    return f;
  }

  /** {@code relative} under the working directory or one of its parents (a repository checkout). */
  private static Path locate(Path relative) throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new IOException("cannot find " + relative + " in " + Path.of("").toAbsolutePath()
        + " or its parents: training with PyTorch runs from a checkout of the rld repository");
  }
}
