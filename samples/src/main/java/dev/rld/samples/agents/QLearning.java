package dev.rld.samples.agents;

import dev.rld.env.Step;
import dev.rld.format.AgentOutput;
import dev.rld.samples.envs.CartPole;
import dev.rld.samples.envs.EnergyGridWorld;
import dev.rld.samples.envs.GridWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Tabular Q-learning for {@link GridWorld} ("Peter and the wolf"), trained when it is created.
 *
 * <p>The board changes with every seed, so the state is not Peter's position but what he sees:
 * the contents of the four neighbouring cells (empty, water, tree, apple, wolf or the edge of the
 * board) and the direction (sign of the row and column difference) to the nearest apple by
 * Manhattan distance: 6⁴ × 9 states of 4 actions. Training runs {@link #TRAINING_EPISODES}
 * ε-greedy episodes on the boards of seeds {@link #TRAINING_SEED_BASE} + i, with fixed seeds
 * throughout, so every agent learns the same table; it is learnt once per JVM and shared.
 *
 * <p>The agent draws its action from the softmax of its Q values at temperature
 * {@link #TEMPERATURE} (not the argmax: the state leaves out the position, so a greedy walk can
 * cycle forever between two cells that look alike) and reports that distribution with each step
 * as its action probabilities, and the largest Q value as its value estimate. Draws are seeded by
 * the episode's seed.
 */
public final class QLearning implements Agent<Object, Object> {
  public static final int TRAINING_EPISODES = 30_000;
  public static final long TRAINING_SEED_BASE = 1_000_000L;
  public static final double TEMPERATURE = 0.1;
  static final double ALPHA = 0.1;
  static final double GAMMA = 0.95;

  private static final int EDGE = 5;
  private static final int STATES = 6 * 6 * 6 * 6 * 9;
  private static final int ACTIONS = 4;

  private static volatile double[][] shared;

  private final double[][] q;
  private final long seed;
  private SplittableRandom rng;

  public QLearning() {
    this(0L);
  }

  /** An agent whose action draws come from {@code seed} (re-seeded by each episode's seed). */
  public QLearning(long seed) {
    this(table(), seed);
  }

  private QLearning(double[][] q, long seed) {
    this.q = q;
    this.seed = seed;
    this.rng = new SplittableRandom(seed).split();
  }

  /** Re-seeds the action draws from the episode's seed, so an episode replays alone. */
  @Override
  public void beginEpisode(Long episodeSeed) {
    if (episodeSeed != null) {
      rng = new SplittableRandom(episodeSeed).split();
    }
  }

  /**
   * Agent {@code qlearning} for {@code env}: this grid world's table for {@link GridWorld}, the
   * tutorial's hashed table for {@code CartPole-v1} ({@link CartPoleQLearning}), the table over
   * position, energy and fatigue for {@code PeterAndTheWolfEnergy-v0} ({@link EnergyQLearning});
   * other envs fail.
   */
  public static Agent<?, ?> forEnv(dev.rld.env.Env<?, ?> env, long seed) {
    return switch (env.id()) {
      case GridWorld.ID -> new QLearning(seed);
      case dev.rld.samples.envs.CartPole.ID -> new CartPoleQLearning(seed);
      case dev.rld.samples.envs.EnergyGridWorld.ID -> new EnergyQLearning(seed);
      default -> throw new IllegalArgumentException("the qlearning agent is trained for " + GridWorld.ID + ", "
          + dev.rld.samples.envs.EnergyGridWorld.ID + " and " + dev.rld.samples.envs.CartPole.ID + " only, not " + env.id());
    };
  }

  /** The learnt table, trained on first use. */
  private static double[][] table() {
    double[][] t = shared;
    if (t == null) {
      synchronized (QLearning.class) {
        if (shared == null) {
          shared = train();
        }
        t = shared;
      }
    }
    return t;
  }

  static double[][] train() {
    try {
      return train(TrainingRecorder.none(), (done, total, status) -> {});
    } catch (IOException e) {
      throw new UncheckedIOException(e); // recording nothing writes nothing
    }
  }

  /** Learns the table from scratch (seeded), showing every training episode to {@code recorder}. */
  static double[][] train(TrainingRecorder recorder, Trainer.Progress progress) throws IOException {
    double[][] q = new double[STATES][ACTIONS];
    SplittableRandom explore = new SplittableRandom(42);
    GridWorld env = new GridWorld();
    for (int episode = 0; episode < TRAINING_EPISODES; episode++) {
      // ε decays linearly from 0.5 to 0.05 over the first 80 % of the episodes.
      double epsilon = Math.max(0.05, 0.5 - 0.45 * episode / (0.8 * TRAINING_EPISODES));
      var reset = env.reset(TRAINING_SEED_BASE + episode);
      Map<String, Object> obs = reset.observation();
      recorder.begin(TRAINING_SEED_BASE + episode, obs, reset.info());
      int s = state(obs);
      double ret = 0;
      while (true) {
        int a = explore.nextDouble() < epsilon ? explore.nextInt(ACTIONS) : argmax(q[s]);
        Step<Map<String, Object>> step = env.step(a);
        int next = state(step.observation());
        recorder.step(a, step.reward(), step.terminated(), step.truncated(), step.observation(), step.info(),
            recorder.recording() ? epsilonGreedy(q[s], epsilon) : null);
        double target = step.reward() + (step.terminated() ? 0 : GAMMA * q[next][argmax(q[next])]);
        q[s][a] += ALPHA * (target - q[s][a]);
        ret += step.reward();
        if (step.done()) {
          break;
        }
        s = next;
      }
      recorder.end();
      if (episode % 100 == 99) {
        progress.update(episode + 1, TRAINING_EPISODES, String.format(java.util.Locale.ROOT, "ε %.2f, return %.2f", epsilon, ret));
      }
    }
    return q;
  }

  /** What the learner did at a state: ε-greedy over its Q values, and the best value. */
  static AgentOutput epsilonGreedy(double[] values, double epsilon) {
    float[] p = new float[values.length];
    java.util.Arrays.fill(p, (float) (epsilon / values.length));
    p[argmax(values)] += (float) (1 - epsilon);
    return AgentOutput.ofProbabilities(p).withValue((float) values[argmax(values)]);
  }

  /** The grid world's Q-learning, from scratch: `rld-samples train --agent qlearning`. */
  static final class Training implements Trainer {
    @Override
    public String envId() {
      return GridWorld.ID;
    }

    /** Q-learning also trains in the harder grid world and on CartPole, each with its own state. */
    @Override
    public Trainer forEnv(String envId) {
      return switch (envId) {
        case GridWorld.ID -> this;
        case EnergyGridWorld.ID -> new EnergyQLearning.Training();
        case CartPole.ID -> new CartPoleQLearning.Training();
        default -> throw new IllegalArgumentException("qlearning trains in " + GridWorld.ID + ", " + EnergyGridWorld.ID
            + " and " + CartPole.ID + ", not " + envId);
      };
    }

    @Override
    public String train(long seed, TrainingRecorder recorder, Progress progress) throws IOException {
      // The table's exploration is seeded by the sample itself (42) so the shipped agent is one table.
      double[][] q = QLearning.train(recorder, progress);
      // evaluated as the shipped agent acts: sampling softmax(Q / τ), re-seeded per game
      QLearning agent = new QLearning(q, seed);
      GridWorld env = new GridWorld();
      int won = 0;
      for (int game = 0; game < 100; game++) {
        agent.beginEpisode(seed + game);
        Map<String, Object> obs = env.reset(seed + game).observation();
        while (true) {
          Step<Map<String, Object>> step = env.step((Integer) agent.act(obs).action());
          obs = step.observation();
          if (step.done()) {
            won += step.reward() > 0 ? 1 : 0;
            break;
          }
        }
      }
      return TRAINING_EPISODES + " training episodes; the greedy policy reaches the apple in " + won + " of 100 games (seeds "
          + seed + ".." + (seed + 99) + ")";
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public Decision<Object> act(Object observation) {
    double[] values = q[state((Map<String, Object>) observation)];
    return softmaxDecision(values, TEMPERATURE, rng);
  }

  /** An action drawn from softmax(Q / τ), with that distribution and max Q as the recorded outputs. */
  static Decision<Object> softmaxDecision(double[] values, double temperature, SplittableRandom rng) {
    float[] p = softmax(values, temperature);
    double u = rng.nextDouble();
    int action = p.length - 1;
    for (int i = 0; i < p.length; i++) {
      u -= p[i];
      if (u < 0) {
        action = i;
        break;
      }
    }
    return new Decision<>(action, AgentOutput.ofProbabilities(p).withValue((float) values[argmax(values)]));
  }

  /** The Q values of the 4 actions for an observation. */
  @SuppressWarnings("unchecked")
  public double[] qValues(Object observation) {
    return q[state((Map<String, Object>) observation)].clone();
  }

  /** The state index: 4 neighbours (6 kinds each) and the direction to the nearest apple (9). */
  static int state(Map<String, Object> observation) {
    byte[] board = (byte[]) observation.get("board");
    long[] position = (long[]) observation.get("position");
    int row = (int) position[0];
    int col = (int) position[1];
    int s = 0;
    for (int a = 0; a < ACTIONS; a++) {
      int r = row + (a == 0 ? -1 : a == 1 ? 1 : 0);
      int c = col + (a == 2 ? -1 : a == 3 ? 1 : 0);
      int kind = r < 0 || r >= GridWorld.SIZE || c < 0 || c >= GridWorld.SIZE ? EDGE : board[r * GridWorld.SIZE + c];
      s = s * 6 + kind;
    }
    int bestDistance = Integer.MAX_VALUE;
    int dr = 0;
    int dc = 0;
    for (int i = 0; i < board.length; i++) {
      if (board[i] == GridWorld.APPLE) {
        int r = i / GridWorld.SIZE - row;
        int c = i % GridWorld.SIZE - col;
        int d = Math.abs(r) + Math.abs(c);
        if (d < bestDistance) {
          bestDistance = d;
          dr = Integer.signum(r);
          dc = Integer.signum(c);
        }
      }
    }
    return s * 9 + (dr + 1) * 3 + (dc + 1);
  }

  static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  static float[] softmax(double[] v, double temperature) {
    double max = v[argmax(v)];
    double[] e = new double[v.length];
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      e[i] = Math.exp((v[i] - max) / temperature);
      sum += e[i];
    }
    float[] p = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      p[i] = (float) (e[i] / sum);
    }
    return p;
  }
}
