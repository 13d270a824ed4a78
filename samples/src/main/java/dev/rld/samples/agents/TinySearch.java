package dev.rld.samples.agents;

import dev.rld.env.Step;
import dev.rld.format.AgentOutput;
import dev.rld.samples.envs.CartPoleContinuous;
import dev.rld.samples.envs.CartPoleContinuous.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.CMAESOptimizer;
import org.apache.commons.math3.random.MersenneTwister;

/**
 * Searches a {@link TinyPolicy} for a continuous cart-pole task with CMA-ES (Apache Commons Math's
 * {@link CMAESOptimizer}, seeded, so a seed gives one result). A candidate's fitness is its mean
 * return over {@link Budget#episodes} episodes reset with seeds {@code 10 000·seed + j}; each
 * generation's best candidate plays its first episode again for the {@link TrainingRecorder}
 * (training episode k is generation k's best). The result is evaluated over 100 episodes with
 * seeds 1000..1099, as {@code record --seed 1000 --episodes 100} plays them.
 */
public final class TinySearch implements Trainer {
  /** The first evaluation seed; the hall of fame in docs/samples.md uses the same. */
  public static final long EVALUATION_SEED = 1000;
  public static final int EVALUATION_EPISODES = 100;

  /** How much search: generations, candidates per generation, episodes per candidate, initial step size. */
  public record Budget(int generations, int population, int episodes, double sigma) {}

  private static final Budget LINEAR = new Budget(60, 16, 5, 1.0);
  private static final Budget MLP = new Budget(300, 32, 10, 1.0);

  private final Task task;
  private final TinyPolicy.Form form;
  /** Whether the form follows the task (agent {@code tiny}) or is fixed ({@code tiny-linear}, {@code tiny-mlp}). */
  private final boolean formOfTask;
  private final Budget budget;
  private TinyPolicy found;

  /** A search for {@code form} in {@code task} with {@code budget}. */
  public TinySearch(Task task, TinyPolicy.Form form, Budget budget) {
    this(task, form, false, budget);
  }

  private TinySearch(Task task, TinyPolicy.Form form, boolean formOfTask, Budget budget) {
    this.task = task;
    this.form = form;
    this.formOfTask = formOfTask;
    this.budget = budget;
  }

  /**
   * Trainer {@code tiny}: the search that found the shipped policy of the task {@code --env}
   * picks (balance by default): a linear policy for balancing, the MLP for swinging up.
   */
  public static TinySearch shipped(Task task) {
    return task == Task.BALANCE ? new TinySearch(task, TinyPolicy.Form.LINEAR, true, LINEAR)
        : new TinySearch(task, TinyPolicy.Form.MLP, true, MLP);
  }

  /** Trainers {@code tiny-linear} and {@code tiny-mlp}: one form in either task (balance by default). */
  public static TinySearch of(TinyPolicy.Form form) {
    return new TinySearch(Task.BALANCE, form, false, form == TinyPolicy.Form.LINEAR ? LINEAR : MLP);
  }

  /** The trainer's name in {@link Trainers}. */
  String agent() {
    return formOfTask ? "tiny" : "tiny-" + form.id();
  }

  @Override
  public String envId() {
    return task.id();
  }

  @Override
  public Trainer forEnv(String envId) {
    Task other = Task.of(envId);
    return formOfTask ? shipped(other) : new TinySearch(other, form, false, budget);
  }

  @Override
  public String unit() {
    return "generations";
  }

  /** The policy the last {@link #train} found, or null before. */
  public TinyPolicy found() {
    return found;
  }

  @Override
  public String train(long seed, TrainingRecorder recorder, Progress progress) throws IOException {
    CartPoleContinuous env = new CartPoleContinuous(task);
    int[] evaluations = {0};
    double[] generationBest = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}; // this generation, all
    double[][] generationBestParameters = {null};
    double[][] bestParameters = {new double[form.size()]};
    ObjectiveFunction fitness = new ObjectiveFunction(p -> {
      double f = meanReturn(env, new TinyPolicy(form, p), budget.episodes(), 10_000 * seed);
      evaluations[0]++;
      if (f > generationBest[0]) {
        generationBest[0] = f;
        generationBestParameters[0] = p.clone();
      }
      if (f > generationBest[1]) {
        generationBest[1] = f;
        bestParameters[0] = p.clone();
      }
      // CMAESOptimizer evaluates the initial guess once, then `population` candidates a generation
      if ((evaluations[0] - 1) % budget.population() == 0 && evaluations[0] > 1) {
        int generation = (evaluations[0] - 1) / budget.population();
        try {
          recordEpisode(env, new TinyPolicy(form, generationBestParameters[0]), 10_000 * seed, recorder);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        progress.update(generation, budget.generations(), String.format(Locale.ROOT,
            "best of generation %.1f, best so far %.1f", generationBest[0], generationBest[1]));
        generationBest[0] = Double.NEGATIVE_INFINITY;
      }
      return f;
    });
    int n = form.size();
    double[] sigma = new double[n];
    Arrays.fill(sigma, budget.sigma());
    CMAESOptimizer cmaes = new CMAESOptimizer(budget.generations(), 0, true, 0, 0,
        new MersenneTwister(seed), false, null);
    try {
      cmaes.optimize(new MaxEval(Integer.MAX_VALUE), fitness, GoalType.MAXIMIZE,
          new InitialGuess(new double[n]), SimpleBounds.unbounded(n), new CMAESOptimizer.Sigma(sigma),
          new CMAESOptimizer.PopulationSize(budget.population()));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    int generations = (evaluations[0] - 1) / budget.population();
    if (generations < budget.generations()) {
      // CMA-ES stops early once its candidates all score the same (e.g. 500 in balance)
      progress.update(generations, generations, "converged");
    }
    found = new TinyPolicy(form, bestParameters[0]);
    double evaluation = meanReturn(env, found, EVALUATION_EPISODES, EVALUATION_SEED);
    Map<String, Object> about = new LinkedHashMap<>();
    about.put("env", task.id());
    about.put("command", "rld-samples train --agent " + agent() + " --env " + task.id() + " --seed " + seed);
    about.put("search_fitness", generationBest[1]);
    about.put("evaluation_mean_return", evaluation);
    return String.format(Locale.ROOT, "%s policy of %d parameters in %s after %d generations "
            + "(%d candidates): fitness %.2f; mean return over %d evaluation episodes (seeds %d..%d) %.2f%n"
            + "parameters: %s", form.id(), n, task.id(), generations,
        evaluations[0], generationBest[1], EVALUATION_EPISODES, EVALUATION_SEED,
        EVALUATION_SEED + EVALUATION_EPISODES - 1, evaluation, found.toJson(about));
  }

  /** The mean return of {@code policy} over {@code episodes} episodes reset with seeds {@code firstSeed + j}. */
  public static double meanReturn(CartPoleContinuous env, TinyPolicy policy, int episodes, long firstSeed) {
    double sum = 0;
    float[] action = new float[1];
    for (int j = 0; j < episodes; j++) {
      float[] obs = env.reset(firstSeed + j).observation();
      while (true) {
        action[0] = (float) policy.act(obs);
        Step<float[]> step = env.step(action);
        sum += step.reward();
        if (step.done()) {
          break;
        }
        obs = step.observation();
      }
    }
    return sum / episodes;
  }

  private static void recordEpisode(CartPoleContinuous env, TinyPolicy policy, long seed,
      TrainingRecorder recorder) throws IOException {
    if (!recorder.recording()) {
      return;
    }
    float[] obs = env.reset(seed).observation();
    recorder.begin(seed, obs, Map.of());
    TinyAgent agent = new TinyAgent(policy);
    while (true) {
      Agent.Decision<float[]> d = agent.act(obs);
      Step<float[]> step = env.step(d.action());
      recorder.step(d.action(), step.reward(), step.terminated(), step.truncated(), step.observation(),
          step.info(), d.output());
      if (step.done()) {
        break;
      }
      obs = step.observation();
    }
    recorder.end();
  }

  /** Plays a {@link TinyPolicy}, recording the value inside its final tanh. */
  static final class TinyAgent implements Agent<float[], float[]> {
    private final TinyPolicy policy;

    TinyAgent(TinyPolicy policy) {
      this.policy = policy;
    }

    /** Agent {@code tiny}: the shipped policy of a continuous cart-pole task. */
    static TinyAgent forEnv(dev.rld.env.Env<?, ?> env) {
      if (!env.id().equals(CartPoleContinuous.BALANCE_ID) && !env.id().equals(CartPoleContinuous.SWING_UP_ID)) {
        throw new IllegalArgumentException("agent 'tiny' only controls " + CartPoleContinuous.BALANCE_ID
            + " and " + CartPoleContinuous.SWING_UP_ID + ", not " + env.id());
      }
      return new TinyAgent(TinyPolicy.shipped(env.id()));
    }

    @Override
    public Decision<float[]> act(float[] observation) {
      double z = policy.preActivation(observation);
      return new Decision<>(new float[] {(float) Math.tanh(z)}, AgentOutput.none().withScalar("pre_tanh", z));
    }
  }
}
