package dev.rld.samples.agents;

import dev.rld.env.Step;
import dev.rld.format.AgentOutput;
import dev.rld.samples.envs.CartPole;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.stream.Collectors;

/**
 * Tabular Q-learning on {@link CartPole} as the "Peter and the wolf" tutorial's CartPole lesson
 * does it: the observation divided by {@link #BIN_WIDTHS} and truncated towards zero is the state,
 * kept in a hash table (unseen states have Q = 0); α = {@value #ALPHA}, γ = {@value #GAMMA}; with
 * probability {@value #EXPLOITATION} the learner samples its action from {@link #probabilities} of
 * the Q values, otherwise uniformly. Like the tutorial, the update bootstraps from the next state
 * even on the final step. {@link #TRAINING_EPISODES} episodes from seeded resets
 * ({@link #TRAINING_SEED_BASE} + i) with seeded draws, so every JVM learns the same table; the
 * jar ships it ({@link #TABLE_RESOURCE}), so agents load it instead of training for 20 s.
 *
 * <p>The agent plays as the tutorial evaluates: it samples from {@link #probabilities} (no random
 * exploration), re-seeded by each episode's seed, and records those probabilities and max Q as
 * its value estimate.
 */
public final class CartPoleQLearning implements Agent<float[], Integer> {
  public static final int TRAINING_EPISODES = 100_000;
  public static final long TRAINING_SEED_BASE = 2_000_000L;
  /** The training exploration's seed. */
  public static final long TRAINING_SEED = 42;
  /** Episodes per printed average, as the tutorial prints them. */
  public static final int REPORT_EVERY = 5_000;
  static final double[] BIN_WIDTHS = {0.25, 0.25, 0.01, 0.1};
  static final double ALPHA = 0.3;
  static final double GAMMA = 0.9;
  static final double EXPLOITATION = 0.9;
  /** Added after shifting the Q values to start at 0, so that no action gets probability 0. */
  static final double PROBABILITY_FLOOR = 1e-4;

  /** The learnt table in the jar (gzipped text, see {@link #writeTable}). */
  static final String TABLE_RESOURCE = "/rld/models/cartpole_qtable.txt.gz";

  private static volatile Map<Long, double[]> shared;

  private final Map<Long, double[]> q;
  private SplittableRandom rng;

  /** The learnt table (trained on first use); draws seeded by {@code seed}, re-seeded per episode. */
  public CartPoleQLearning(long seed) {
    this(table(), seed);
  }

  private CartPoleQLearning(Map<Long, double[]> q, long seed) {
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
  public Decision<Integer> act(float[] observation) {
    double[] values = qValues(q, state(observation));
    double[] p = probabilities(values);
    int action = rng.nextDouble() < p[0] ? 0 : 1;
    return new Decision<>(action, AgentOutput.ofProbabilities((float) p[0], (float) p[1])
        .withValue((float) Math.max(values[0], values[1])));
  }

  /** The probabilities the agent acts by at {@code observation} (its policy, for the server). */
  public float[] policy(float[] observation) {
    double[] p = probabilities(qValues(q, state(observation)));
    return new float[] {(float) p[0], (float) p[1]};
  }

  /** The states the table holds. */
  public int states() {
    return q.size();
  }

  /** The tutorial's discretisation: each element divided by its bin width, truncated towards zero. */
  static int[] discretize(float[] observation) {
    int[] s = new int[4];
    for (int i = 0; i < 4; i++) {
      s[i] = (int) (observation[i] / BIN_WIDTHS[i]); // Java's cast truncates towards zero, as numpy's astype(int)
    }
    return s;
  }

  /** The hash key of a discretised state: its four ints, 16 bits each (they stay far inside ±32 767). */
  static long state(float[] observation) {
    long key = 0;
    for (int v : discretize(observation)) {
      key = (key << 16) | (v & 0xFFFF);
    }
    return key;
  }

  /** The tutorial's probs(): Q values shifted to a minimum of {@link #PROBABILITY_FLOOR}, normalised. */
  static double[] probabilities(double[] values) {
    double min = Math.min(values[0], values[1]);
    double a = values[0] - min + PROBABILITY_FLOOR;
    double b = values[1] - min + PROBABILITY_FLOOR;
    return new double[] {a / (a + b), b / (a + b)};
  }

  private static double[] qValues(Map<Long, double[]> q, long state) {
    double[] v = q.get(state);
    return v == null ? new double[2] : v;
  }

  private static Map<Long, double[]> table() {
    Map<Long, double[]> t = shared;
    if (t == null) {
      synchronized (CartPoleQLearning.class) {
        if (shared == null) {
          shared = loadShipped();
        }
        t = shared;
      }
    }
    return t;
  }

  /**
   * The table shipped in the jar at {@value #TABLE_RESOURCE}: what {@link #train} learns (a test
   * checks they are equal), saved so that recording needs no 20 s of training; learnt here when absent.
   */
  static Map<Long, double[]> loadShipped() {
    try (InputStream in = CartPoleQLearning.class.getResourceAsStream(TABLE_RESOURCE)) {
      if (in != null) {
        return readTable(new GZIPInputStream(in));
      }
      return train(TRAINING_EPISODES, TrainingRecorder.none(), (done, total, status) -> {}, new ArrayList<>());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CartPole Q-table " + TABLE_RESOURCE + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code q} as text: a comment line, then per state its four bins and two Q values (exact decimal). */
  static void writeTable(Map<Long, double[]> q, OutputStream out) throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    w.write("# CartPole-v1 tabular Q-learning (CartPoleQLearning): x/0.25 x_dot/0.25 theta/0.01 theta_dot/0.1 Q(push left) Q(push right)\n");
    for (Map.Entry<Long, double[]> e : new TreeMap<>(q).entrySet()) {
      long k = e.getKey();
      w.write((short) (k >> 48) + " " + (short) (k >> 32) + " " + (short) (k >> 16) + " " + (short) k
          + " " + e.getValue()[0] + " " + e.getValue()[1] + "\n");
    }
    w.flush();
  }

  static Map<Long, double[]> readTable(InputStream in) throws IOException {
    Map<Long, double[]> q = new HashMap<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split(" ");
      long key = 0;
      for (int i = 0; i < 4; i++) {
        key = (key << 16) | (Integer.parseInt(f[i]) & 0xFFFF);
      }
      q.put(key, new double[] {Double.parseDouble(f[4]), Double.parseDouble(f[5])});
    }
    return q;
  }

  /**
   * Learns a table from scratch over {@code episodes} episodes, showing each to {@code recorder};
   * the average return of every {@link #REPORT_EVERY} episodes is added to {@code averages}.
   */
  static Map<Long, double[]> train(int episodes, TrainingRecorder recorder, Trainer.Progress progress,
      List<Double> averages) throws IOException {
    Map<Long, double[]> q = new HashMap<>();
    SplittableRandom explore = new SplittableRandom(TRAINING_SEED);
    CartPole env = new CartPole();
    double sum = 0;
    for (int episode = 0; episode < episodes; episode++) {
      var reset = env.reset(TRAINING_SEED_BASE + episode);
      float[] obs = reset.observation();
      recorder.begin(TRAINING_SEED_BASE + episode, obs, reset.info());
      long s = state(obs);
      double ret = 0;
      while (true) {
        double[] values = qValues(q, s);
        double[] p = probabilities(values);
        int a = explore.nextDouble() < EXPLOITATION ? (explore.nextDouble() < p[0] ? 0 : 1) : explore.nextInt(2);
        Step<float[]> step = env.step(a);
        long next = state(step.observation());
        recorder.step(a, step.reward(), step.terminated(), step.truncated(), step.observation(), step.info(),
            recorder.recording() ? learnerOutput(p, values) : null);
        double[] nextValues = qValues(q, next);
        double target = step.reward() + GAMMA * Math.max(nextValues[0], nextValues[1]);
        double[] row = q.computeIfAbsent(s, k -> new double[2]);
        row[a] = (1 - ALPHA) * row[a] + ALPHA * target;
        ret += step.reward();
        if (step.done()) {
          break;
        }
        s = next;
      }
      recorder.end();
      sum += ret;
      if ((episode + 1) % REPORT_EVERY == 0) {
        averages.add(sum / REPORT_EVERY);
        sum = 0;
        progress.update(episode + 1, episodes, String.format(Locale.ROOT, "average return of the last %d: %.1f",
            REPORT_EVERY, averages.get(averages.size() - 1)));
      } else if (episode % 100 == 99) {
        progress.update(episode + 1, episodes, averages.isEmpty() ? "" : String.format(Locale.ROOT,
            "average return of the last %d: %.1f", REPORT_EVERY, averages.get(averages.size() - 1)));
      }
    }
    return q;
  }

  /** What the learner draws from: the exploitation rate's share of the Q probabilities, the rest uniform. */
  private static AgentOutput learnerOutput(double[] p, double[] values) {
    double uniform = (1 - EXPLOITATION) / 2;
    return AgentOutput.ofProbabilities((float) (EXPLOITATION * p[0] + uniform), (float) (EXPLOITATION * p[1] + uniform))
        .withValue((float) Math.max(values[0], values[1]));
  }

  /** CartPole's tabular Q-learning, from scratch: `rld-samples train --agent qlearning --env CartPole-v1`. */
  static final class Training implements Trainer {
    @Override
    public String envId() {
      return CartPole.ID;
    }

    @Override
    public String train(long seed, TrainingRecorder recorder, Progress progress) throws IOException {
      List<Double> averages = new ArrayList<>();
      // exploration is seeded by the sample itself so the shipped agent is this very table
      Map<Long, double[]> q = CartPoleQLearning.train(TRAINING_EPISODES, recorder, progress, averages);
      CartPoleQLearning agent = new CartPoleQLearning(q, seed);
      CartPole env = new CartPole();
      double total = 0;
      for (int game = 0; game < 100; game++) {
        agent.beginEpisode(seed + game);
        float[] obs = env.reset(seed + game).observation();
        while (true) {
          Step<float[]> step = env.step(agent.act(obs).action());
          total += step.reward();
          obs = step.observation();
          if (step.done()) {
            break;
          }
        }
      }
      String curve = averages.stream().map(a -> String.format(Locale.ROOT, "%.0f", a)).collect(Collectors.joining(", "));
      return String.format(Locale.ROOT, "%d training episodes, %d states; average return per %d episodes: %s; "
          + "the last %d: %.1f; playing by the Q probabilities: mean return %.1f over 100 episodes (seeds %d..%d)",
          TRAINING_EPISODES, q.size(), REPORT_EVERY, curve, REPORT_EVERY, averages.get(averages.size() - 1),
          total / 100, seed, seed + 99);
    }
  }
}
