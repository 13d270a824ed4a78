package dev.rld.samples.agents;

import dev.rld.env.Step;
import dev.rld.samples.envs.EnergyGridWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Tabular Q-learning for {@link EnergyGridWorld} ("Peter and the wolf", the harder world) over the
 * state the tutorial uses: Peter's position, energy and fatigue (the board never changes):
 * 64 × 11 × 101 states of 4 actions. Training runs {@link #TRAINING_EPISODES} ε-greedy episodes
 * from the starts of seeds {@link #TRAINING_SEED_BASE} + i, ε decaying linearly from
 * {@value #EPSILON_START} to {@value #EPSILON_END} over the first 80 %, α = {@value #ALPHA},
 * γ = {@value #GAMMA}, exploration seeded with {@value #TRAINING_SEED}: every JVM learns the same
 * table, once, on first use (under a second).
 *
 * <p>The agent draws its action from softmax(Q / {@value #TEMPERATURE}), re-seeded by each
 * episode's seed, and records that distribution and max Q as its value estimate.
 */
public final class EnergyQLearning implements Agent<Object, Object> {
  public static final int TRAINING_EPISODES = 50_000;
  public static final long TRAINING_SEED_BASE = 3_000_000L;
  public static final long TRAINING_SEED = 42;
  public static final double TEMPERATURE = 1.0;
  static final double ALPHA = 0.1;
  static final double GAMMA = 0.9;
  static final double EPSILON_START = 0.5;
  static final double EPSILON_END = 0.05;

  private static final int SIZE = EnergyGridWorld.SIZE;
  private static final int ENERGIES = EnergyGridWorld.FULL_ENERGY + 1;
  private static final int FATIGUES = EnergyGridWorld.MAX_EPISODE_STEPS + 1;
  private static final int STATES = SIZE * SIZE * ENERGIES * FATIGUES;
  private static final int ACTIONS = 4;

  private static volatile double[][] shared;

  private final double[][] q;
  private SplittableRandom rng;

  /** The learnt table (trained on first use); draws seeded by {@code seed}, re-seeded per episode. */
  public EnergyQLearning(long seed) {
    this(table(), seed);
  }

  private EnergyQLearning(double[][] q, long seed) {
    this.q = q;
    this.rng = new SplittableRandom(seed).split();
  }

  @Override
  public void beginEpisode(Long episodeSeed) {
    if (episodeSeed != null) {
      rng = new SplittableRandom(episodeSeed).split();
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public Decision<Object> act(Object observation) {
    double[] values = q[state((Map<String, Object>) observation)];
    return QLearning.softmaxDecision(values, TEMPERATURE, rng);
  }

  /** The Q values of the 4 moves at {@code observation}. */
  @SuppressWarnings("unchecked")
  public double[] qValues(Object observation) {
    return q[state((Map<String, Object>) observation)].clone();
  }

  /** The state index of (row, column, energy, fatigue). */
  static int state(Map<String, Object> observation) {
    long[] position = (long[]) observation.get("position");
    int energy = Byte.toUnsignedInt(((byte[]) observation.get("energy"))[0]);
    int fatigue = Byte.toUnsignedInt(((byte[]) observation.get("fatigue"))[0]);
    return (((int) position[0] * SIZE + (int) position[1]) * ENERGIES + energy) * FATIGUES + fatigue;
  }

  private static double[][] table() {
    double[][] t = shared;
    if (t == null) {
      synchronized (EnergyQLearning.class) {
        if (shared == null) {
          try {
            shared = train(TrainingRecorder.none(), (done, total, status) -> {});
          } catch (IOException e) {
            throw new UncheckedIOException(e); // recording nothing writes nothing
          }
        }
        t = shared;
      }
    }
    return t;
  }

  /** Learns the table from scratch (seeded), showing every training episode to {@code recorder}. */
  static double[][] train(TrainingRecorder recorder, Trainer.Progress progress) throws IOException {
    double[][] q = new double[STATES][ACTIONS];
    SplittableRandom explore = new SplittableRandom(TRAINING_SEED);
    EnergyGridWorld env = new EnergyGridWorld();
    Map<String, Integer> recent = new TreeMap<>();
    for (int episode = 0; episode < TRAINING_EPISODES; episode++) {
      double epsilon = Math.max(EPSILON_END,
          EPSILON_START - (EPSILON_START - EPSILON_END) * episode / (0.8 * TRAINING_EPISODES));
      var reset = env.reset(TRAINING_SEED_BASE + episode);
      Map<String, Object> obs = reset.observation();
      recorder.begin(TRAINING_SEED_BASE + episode, obs, reset.info());
      int s = state(obs);
      while (true) {
        int a = explore.nextDouble() < epsilon ? explore.nextInt(ACTIONS) : QLearning.argmax(q[s]);
        Step<Map<String, Object>> step = env.step(a);
        int next = state(step.observation());
        recorder.step(a, step.reward(), step.terminated(), step.truncated(), step.observation(), step.info(),
            recorder.recording() ? QLearning.epsilonGreedy(q[s], epsilon) : null);
        double target = step.reward() + (step.terminated() ? 0 : GAMMA * q[next][QLearning.argmax(q[next])]);
        q[s][a] += ALPHA * (target - q[s][a]);
        if (step.done()) {
          recent.merge(step.terminated() ? (String) step.info().get("outcome") : "truncated", 1, Integer::sum);
          break;
        }
        s = next;
      }
      recorder.end();
      if (episode % 1000 == 999) {
        progress.update(episode + 1, TRAINING_EPISODES, String.format(Locale.ROOT, "ε %.2f, last 1000: %s", epsilon, recent));
        recent.clear();
      }
    }
    return q;
  }

  /** Won / lost / drowned / truncated over games from seeds {@code from} .. {@code from + n − 1}. */
  static Map<String, Integer> games(Agent<Object, Object> agent, long from, int n) {
    Map<String, Integer> counts = new TreeMap<>(Map.of("won", 0, "lost", 0, "drowned", 0, "truncated", 0));
    EnergyGridWorld env = new EnergyGridWorld();
    for (long seed = from; seed < from + n; seed++) {
      agent.beginEpisode(seed);
      Object obs = env.reset(seed).observation();
      while (true) {
        Step<Map<String, Object>> step = env.step((Integer) agent.act(obs).action());
        obs = step.observation();
        if (step.done()) {
          counts.merge(step.terminated() ? (String) step.info().get("outcome") : "truncated", 1, Integer::sum);
          break;
        }
      }
    }
    return counts;
  }

  /** The harder world's Q-learning, from scratch: `rld-samples train --agent qlearning --env PeterAndTheWolfEnergy-v0`. */
  static final class Training implements Trainer {
    @Override
    public String envId() {
      return EnergyGridWorld.ID;
    }

    @Override
    public String train(long seed, TrainingRecorder recorder, Progress progress) throws IOException {
      double[][] q = EnergyQLearning.train(recorder, progress);
      Map<String, Integer> learned = games(new EnergyQLearning(q, seed), seed, 100);
      return TRAINING_EPISODES + " training episodes; over 100 games (seeds " + seed + ".." + (seed + 99)
          + "): " + learned;
    }
  }
}
