package dev.rld.samples.cli;

import dev.rld.cli.CliCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;

/** A samples subcommand that records episodes with a progress bar. */
abstract class SampleCommand extends CliCommand {

  /** Records (see {@link Recorder}) with a progress bar over episodes on stderr. */
  Recorder.Result recordWithProgress(String env, String agent, int episodes, long seed, Path file,
      String title) throws IOException {
    try (Recorder recorder = Recorder.open(env, agent, episodes, seed, file, title);
        ProgressBar bar = progressBar("Recording", episodes, "episodes")) {
      return recorder.run(ret -> {
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, "return %.1f", ret));
      });
    }
  }
}
