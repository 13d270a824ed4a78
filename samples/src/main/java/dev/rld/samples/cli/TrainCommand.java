package dev.rld.samples.cli;

import dev.rld.env.Env;
import dev.rld.samples.agents.Trainer;
import dev.rld.samples.agents.Trainers;
import dev.rld.samples.agents.TrainingRecorder;
import dev.rld.samples.envs.Envs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train}: reruns a sample agent's training from scratch, optionally recording its training episodes. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Trains a sample agent from scratch with a progress bar and prints its result; with --out, "
        + "records its training episodes (every k-th and every new best) so rld serve shows the learning curve.")
final class TrainCommand extends SampleCommand {
  @Option(names = "--agent", required = true, paramLabel = "NAME",
      description = "Agent to train, one of: ${COMPLETION-CANDIDATES}", completionCandidates = TrainerIds.class)
  String agent;

  @Option(names = "--env", paramLabel = "ID",
      description = "Env to train in, for agents that train in more than one (qlearning: PeterAndTheWolf-v0 by "
          + "default, PeterAndTheWolfEnergy-v0 or CartPole-v1; default: the agent's own)")
  String envId;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "Seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", paramLabel = "FILE|DIR/", description = "Record the training episodes to this rollout "
      + "file, or into a directory (an existing one, or a path ending in /) as AGENT-ENV-SEED.arrow: rld serve DIR "
      + "shows the runs as they train")
  String out;

  /** Where --out records: the file, or a new file of the directory it names. */
  private Path outFile(String envName) throws IOException {
    Path path = Path.of(out);
    // a trailing separator names a directory that need not exist yet (Path drops it)
    if (!Files.isDirectory(path) && !out.endsWith("/") && !out.endsWith(java.io.File.separator)) {
      return path;
    }
    Files.createDirectories(path);
    return path.resolve(agent + "-" + envName + "-" + seed + ".arrow");
  }

  @Option(names = "--record-every", defaultValue = "100", paramLabel = "K",
      description = "With --out: keep every K-th training episode, and every new best (default: ${DEFAULT-VALUE})")
  int every;

  @Override
  protected int execute() throws IOException {
    if (!Trainers.ids().contains(agent)) {
      throw usageError("no trainer for agent '" + agent + "'; trainable agents: " + String.join(", ", Trainers.ids()));
    }
    if (every < 1) {
      throw usageError("--record-every must be at least 1, got " + every);
    }
    Trainer trainer = Trainers.get(agent);
    if (envId != null) {
      try {
        trainer = trainer.forEnv(envId);
      } catch (IllegalArgumentException e) {
        throw usageError(agent + ": " + e.getMessage());
      }
    }
    Env<?, ?> env = Envs.make(trainer.envId());
    Path file = out == null ? null : outFile(env.id());
    try (TrainingRecorder recorder = out == null ? TrainingRecorder.none()
            : TrainingRecorder.open(file, env.id(), agent, env.observationSpace(), env.actionSpace(), every);
        ProgressBar bar = progressBar("Training " + agent, 0, trainer.unit())) {
      String result = trainer.train(seed, recorder, (done, total, status) -> {
        bar.maxHint(total);
        bar.stepTo(done);
        bar.setExtraMessage(status);
      });
      bar.close();
      out().println(agent + ": " + result);
      if (out != null) {
        out().println("Recorded " + recorder.kept() + " training episodes to " + file.toAbsolutePath().normalize());
      }
      out().flush();
    }
    return 0;
  }

  /** Lists the trainable agents in the help text. */
  static final class TrainerIds implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Trainers.ids().iterator();
    }
  }
}
