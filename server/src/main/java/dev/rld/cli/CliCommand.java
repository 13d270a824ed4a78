package dev.rld.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
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
public abstract class CliCommand implements Callable<Integer> {
  @Spec
  protected CommandSpec spec;

  /** The command's work; returns the exit code. */
  protected abstract int execute() throws IOException;

  @Override
  public final Integer call() {
    try {
      return execute();
    } catch (IOException e) {
      return fail(describe(e));
    } catch (UncheckedIOException e) {
      return fail(e.getMessage() + ": " + describe(e.getCause()));
    } catch (IllegalArgumentException e) {
      // A model that does not fit its recording, a bad value in a file: the user's to fix.
      return fail(e.getMessage());
    } catch (ParameterException e) {
      throw e; // picocli prints the usage error and exits 2
    } catch (RuntimeException e) {
      // A bug of ours: still one line, and what to report.
      return fail("internal error (please report it with the command you ran): " + e);
    }
  }

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  protected ParameterException usageError(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /**
   * A progress bar on stderr over {@code max} units: colored on a console, plain ASCII when
   * stderr goes to a file or a test. Close it when the work is done.
   */
  protected ProgressBar progressBar(String task, long max, String unit) {
    String[] last = {null};
    var consumer = new DelegatingProgressBarConsumer(line -> {
      // The bar redraws its final state when closed: print a line only when it changed.
      if (!line.equals(last[0])) {
        last[0] = line;
        err().print('\r' + line);
        err().flush();
      }
    }) {
      @Override
      public void close() {
        err().println();
        err().flush();
      }
    };
    ProgressBarStyle style = System.console() != null
        ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII;
    return new ProgressBarBuilder().setTaskName(task).setStyle(style)
        .setInitialMax(max).setUnit(" " + unit, 1).setConsumer(consumer).build();
  }

  private int fail(String message) {
    err().println(spec.qualifiedName() + ": " + message);
    err().flush();
    return 1;
  }

  /** The message of {@code e}, completed where Java gives only a file name. */
  protected static String describe(IOException e) {
    if (e instanceof FileSystemException f && f.getReason() == null) {
      String reason = e instanceof NoSuchFileException ? "no such file or directory"
          : e instanceof AccessDeniedException ? "permission denied"
          : e.getClass().getSimpleName();
      return f.getFile() + ": " + reason;
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
