package dev.rld.samples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar rld-samples.jar}: record sample envs with sample agents, inspect recordings,
 * run the demo. Exit codes: 0 success, 1 failure (I/O, unreadable file), 2 bad usage.
 */
@Command(name = "rld-samples", mixinStandardHelpOptions = true,
    versionProvider = SamplesCli.Version.class,
    description = "Records sample environments with sample agents into rld rollout files.",
    subcommands = {RecordCommand.class, TrainCommand.class, dev.rld.cli.InspectCommand.class, DemoCommand.class,
        CommandLine.HelpCommand.class})
public final class SamplesCli implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: record, inspect or demo");
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SamplesCli()).execute(args));
  }

  /** The version from the jar manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SamplesCli.class.getPackage().getImplementationVersion();
      return new String[] {"rld-samples " + (v == null ? "dev" : v)};
    }
  }
}
