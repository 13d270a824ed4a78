package dev.rld.spark;

import dev.rld.format.EpisodeSummary;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * How the attribution job splits the steps: into the very calls {@code rld attribute} makes of
 * the Attributor (per episode, {@link #CALL_STEPS} steps at a time from step 0), packed into
 * tasks of about {@code stepsPerTask} steps. Equal calls give equal values, bit for bit.
 */
final class Work {
  /** Steps per Attributor call in {@code rld attribute} (ServedRollout.MAX_ATTRIBUTION_STEPS). */
  static final int CALL_STEPS = 5_000;

  private Work() {}

  /** Steps [from, to) of an episode of the file: one Attributor call. */
  record Call(int episode, int from, int to) implements Serializable {}

  /** One task: calls of one file, in file order. */
  record Task(int file, List<Call> calls) implements Serializable {
    long steps() {
      return calls.stream().mapToLong(c -> c.to() - c.from()).sum();
    }
  }

  static List<Task> plan(List<Listing.FileInfo> files, int stepsPerTask) {
    List<Task> out = new ArrayList<>();
    for (int f = 0; f < files.size(); f++) {
      List<Call> calls = new ArrayList<>();
      long steps = 0;
      for (EpisodeSummary e : files.get(f).episodes()) {
        for (int from = 0; from < e.observations(); from += CALL_STEPS) {
          int to = Math.min(e.observations(), from + CALL_STEPS);
          if (steps > 0 && steps + (to - from) > stepsPerTask) {
            out.add(new Task(f, calls));
            calls = new ArrayList<>();
            steps = 0;
          }
          calls.add(new Call(e.index(), from, to));
          steps += to - from;
        }
      }
      if (!calls.isEmpty()) {
        out.add(new Task(f, calls));
      }
    }
    return out;
  }
}
