package dev.rld.samples.agents;

import dev.rld.env.Env;
import dev.rld.env.RecordingEnv;
import dev.rld.env.Step;
import dev.rld.format.Rollout;
import dev.rld.format.RolloutWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Records an agent's episodes as {@code record} does (episode i reset with seed + i) and reads them back. */
final class RecordedEpisodes {
  private RecordedEpisodes() {}

  /** How the recorded episodes ended: the final info's outcome, else "terminated" / "truncated". */
  static Map<String, Integer> record(Env<?, ?> env, Agent<?, ?> agent, int episodes, long seed, Path file)
      throws IOException {
    Map<String, Integer> endings = new TreeMap<>();
    @SuppressWarnings("unchecked")
    Agent<Object, Object> a = (Agent<Object, Object>) agent;
    @SuppressWarnings("unchecked")
    Env<Object, Object> e = (Env<Object, Object>) env;
    try (RecordingEnv<Object, Object> rec = new RecordingEnv<>(e, RolloutWriter.builder(file))) {
      for (int i = 0; i < episodes; i++) {
        a.beginEpisode(seed + i);
        Object obs = rec.reset(seed + i).observation();
        Step<Object> step;
        do {
          Agent.Decision<Object> d = a.act(obs);
          rec.attach(d.output());
          step = rec.step(d.action());
          obs = step.observation();
        } while (!step.done());
        Object outcome = step.info().get("outcome");
        String ending = outcome != null ? outcome.toString() : step.terminated() ? "terminated" : "truncated";
        endings.merge(ending, 1, Integer::sum);
      }
    }
    return endings;
  }

  /** The returns of the episodes recorded in {@code file}. */
  static List<Double> returns(Path file) throws IOException {
    try (Rollout rollout = Rollout.open(file)) {
      return rollout.episodes().stream().map(x -> x.totalReturn()).toList();
    }
  }
}
