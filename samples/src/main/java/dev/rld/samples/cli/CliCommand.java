package dev.rld.samples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A subcommand whose I/O failures end with a one-line message on stderr and exit code 1: a
 * missing file or a full disk is the user's situation to fix, not a bug to show a stack trace
 * for. Output goes to the command line's writers, so tests can capture it.
 */
abstract class CliCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** The command's work; returns the exit code. */
  abstract int execute() throws IOException;

  @Override
  public final Integer call() {
    try {
      return execute();
    } catch (IOException e) {
      return fail(describe(e));
    } catch (UncheckedIOException e) {
      return fail(e.getMessage() + ": " + describe(e.getCause()));
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  ParameterException usageError(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /**
   * Records (see {@link Recorder}) with a progress bar over episodes on stderr: colored on a
   * console, plain ASCII when stderr goes to a file or a test.
   */
  Recorder.Result recordWithProgress(String env, String agent, int episodes, long seed, Path file,
      String title) throws IOException {
    try (Recorder recorder = Recorder.open(env, agent, episodes, seed, file, title)) {
      var consumer = new DelegatingProgressBarConsumer(line -> {
        err().print('\r' + line);
        err().flush();
      });
      ProgressBarStyle style = System.console() != null
          ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII;
      try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Recording").setStyle(style)
          .setInitialMax(episodes).setUnit(" episodes", 1).setConsumer(consumer).build()) {
        return recorder.run(ret -> {
          bar.step();
          bar.setExtraMessage(String.format(Locale.ROOT, "return %.1f", ret));
        });
      } finally {
        err().println();
        err().flush();
      }
    }
  }

  private int fail(String message) {
    err().println(spec.qualifiedName() + ": " + message);
    err().flush();
    return 1;
  }

  /** The message of {@code e}, completed where Java gives only a file name. */
  static String describe(IOException e) {
    if (e instanceof FileSystemException f && f.getReason() == null) {
      String reason = e instanceof NoSuchFileException ? "no such file or directory"
          : e instanceof AccessDeniedException ? "permission denied"
          : e.getClass().getSimpleName();
      return f.getFile() + ": " + reason;
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
