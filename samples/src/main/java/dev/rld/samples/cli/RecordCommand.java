package dev.rld.samples.cli;

import dev.rld.samples.agents.Agents;
import dev.rld.samples.envs.Envs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code record}: runs an agent in an env and records the episodes to a rollout file. */
@Command(name = "record", mixinStandardHelpOptions = true,
    description = "Runs an agent in an env and records the episodes to a rollout file.")
final class RecordCommand extends SampleCommand {
  @Option(names = "--env", required = true, paramLabel = "ID",
      description = "Env id, one of: ${COMPLETION-CANDIDATES}", completionCandidates = EnvIds.class)
  String env;

  @Option(names = "--agent", defaultValue = "random", paramLabel = "NAME",
      description = "Agent, one of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
      completionCandidates = AgentIds.class)
  String agent;

  @Option(names = "--episodes", defaultValue = "20", paramLabel = "N",
      description = "Number of episodes (default: ${DEFAULT-VALUE})")
  int episodes;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED",
      description = "Episode i is reset with seed SEED + i (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The rollout file to write (overwritten if it exists)")
  Path out;

  @Option(names = "--title", paramLabel = "TEXT", description = "Title stored in the file's metadata")
  String title;

  @Override
  protected int execute() throws IOException {
    checkArguments();
    Recorder.Result r = recordWithProgress(env, agent, episodes, seed, out, title);
    out().printf(Locale.ROOT, "Wrote %s: %d episodes, %d steps, mean return %.2f%n",
        r.file().toAbsolutePath().normalize(), r.episodes(), r.steps(), r.meanReturn());
    out().println("Endings: " + r.endings().entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
    out().flush();
    return 0;
  }

  /** Fails with a usage error (exit code 2) naming the known ids. */
  private void checkArguments() {
    if (!Envs.ids().contains(env)) {
      throw usageError("Unknown env '" + env + "'; known envs: " + String.join(", ", Envs.ids()));
    }
    if (!Agents.ids().contains(agent)) {
      throw usageError("Unknown agent '" + agent + "'; known agents: " + String.join(", ", Agents.ids()));
    }
    if (episodes < 1) {
      throw usageError("--episodes must be at least 1, got " + episodes);
    }
  }

  /** Lists the registered ids in the help text. */
  static final class EnvIds implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Envs.ids().iterator();
    }
  }

  static final class AgentIds implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Agents.ids().iterator();
    }
  }
}
