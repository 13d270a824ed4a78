package dev.rld.spark;

import dev.rld.format.EpisodeSummary;
import dev.rld.format.FileBatches;
import dev.rld.space.Space;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.apache.hadoop.conf.Configuration;

/**
 * What the driver learns from the recordings' footers, without reading a record batch: each
 * readable file's batches and episodes, the shared spaces, the agent-output columns, and the
 * files that could not be read (reported, left out).
 */
final class Listing implements Serializable {
  /** One readable recording. */
  record FileInfo(String file, int[] batchRows, List<EpisodeSummary> episodes, String fingerprint)
      implements Serializable {
    long steps() {
      return episodes.stream().mapToLong(EpisodeSummary::observations).sum();
    }
  }

  final List<FileInfo> files;
  final List<Recordings.Skipped> skipped;
  final Space observationSpace;
  final Space actionSpace;
  final Set<String> agentColumns;

  private Listing(List<FileInfo> files, List<Recordings.Skipped> skipped, Space observationSpace, Space actionSpace,
      Set<String> agentColumns) {
    this.files = files;
    this.skipped = skipped;
    this.observationSpace = observationSpace;
    this.actionSpace = actionSpace;
    this.agentColumns = agentColumns;
  }

  /**
   * Opens the footers of the recordings at {@code paths}. A file that cannot be opened, or
   * whose spaces differ from the first readable file's, is skipped with the reason.
   */
  static Listing of(List<String> paths, Configuration conf) throws IOException {
    List<FileInfo> files = new ArrayList<>();
    List<Recordings.Skipped> skipped = new ArrayList<>();
    Space obs = null;
    Space act = null;
    Set<String> agent = new LinkedHashSet<>();
    try (RootAllocator allocator = new RootAllocator()) {
      for (String file : Recordings.list(paths, conf)) {
        try (FileBatches f = Recordings.open(file, conf, allocator)) {
          if (obs == null) {
            obs = f.header().observationSpace();
            act = f.header().actionSpace();
          } else if (!obs.equals(f.header().observationSpace()) || !act.equals(f.header().actionSpace())) {
            skipped.add(new Recordings.Skipped(file, "its spaces differ from those of " + files.get(0).file()));
            continue;
          }
          int[] rows = new int[f.batchCount()];
          for (int b = 0; b < rows.length; b++) {
            rows[b] = f.batchRows(b);
          }
          agent.addAll(StepColumns.agentColumns(f));
          files.add(new FileInfo(file, rows, List.copyOf(f.episodes()), f.fingerprint()));
        } catch (IOException | RuntimeException e) {
          skipped.add(new Recordings.Skipped(file, e.getMessage()));
        }
      }
    }
    if (files.isEmpty()) {
      throw new IOException("no readable recording at " + paths + (skipped.isEmpty() ? ""
          : "; " + skipped.get(0).describe()));
    }
    return new Listing(files, skipped, obs, act, agent);
  }

  /** Prints what was skipped to standard error, one line per file. */
  void report() {
    skipped.forEach(s -> System.err.println("rld: " + s.describe()));
  }
}
