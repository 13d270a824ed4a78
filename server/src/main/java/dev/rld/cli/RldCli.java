package dev.rld.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar rld.jar}: serve recordings to the viewer, inspect them, precompute
 * attributions, verify files. Exit codes: 0 success, 1 failure (I/O, unreadable file or model), 2 bad usage.
 */
@Command(name = "rld", mixinStandardHelpOptions = true, versionProvider = RldCli.Version.class,
    description = "Replay and explain recorded reinforcement-learning rollouts.",
    subcommands = {ServeCommand.class, InspectCommand.class, AttributeCommand.class, VerifyCommand.class, RepairCommand.class, ExportCommand.class,
        CommandLine.HelpCommand.class})
public final class RldCli implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: serve, inspect, attribute or verify");
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new RldCli()).execute(args));
  }

  /** The version from the jar manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RldCli.class.getPackage().getImplementationVersion();
      return new String[] {"rld " + (v == null ? "dev" : v)};
    }
  }
}
