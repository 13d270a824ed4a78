package dev.rld.api;

import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows a served recording that is still being written: polls its files on a daemon thread
 * while they may grow (a file without footer, a directory), takes in what was appended, drops
 * what the served views computed from the old state, and tells listeners (the {@code /live}
 * route) the recording's new state.
 */
final class LiveRecording implements AutoCloseable {
  static final long POLL_MILLIS = 300;
  private static final int HEARTBEAT_POLLS = 30;
  private static final System.Logger LOG = System.getLogger(LiveRecording.class.getName());

  private final ServedRollout served;
  private final ScheduledExecutorService scheduler;
  private final List<Consumer<Map<String, Object>>> listeners = new CopyOnWriteArrayList<>();
  /** Times episodes that existed were renumbered (a directory's earlier file grew): caches key by it. */
  private volatile int shifts;
  private volatile String failure;
  private int polls;

  LiveRecording(ServedRollout served) {
    this.served = served;
    if (served.rollout.growing()) {
      scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rld-live-" + served.id);
        t.setDaemon(true);
        return t;
      });
      scheduler.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    } else {
      scheduler = null;
    }
  }

  private void poll() {
    if (!served.rollout.growing()) {
      scheduler.shutdown();
      return;
    }
    try {
      if (!refresh() && ++polls % HEARTBEAT_POLLS == 0) {
        listeners.forEach(l -> l.accept(null)); // a heartbeat, so idle streams stay open
      }
      failure = null;
    } catch (Throwable e) {
      String message = e.toString();
      if (!message.equals(failure)) {
        LOG.log(System.Logger.Level.WARNING, "following " + served.rollout.path() + " failed (retrying): " + message);
      }
      failure = message; // a damaged append stays unserved; what was read before still is
    }
  }

  /** Takes in what was written since; true when the episodes changed. */
  synchronized boolean refresh() throws IOException {
    Rollout rollout = served.rollout;
    List<EpisodeSummary> before = rollout.episodes();
    boolean wasGrowing = rollout.growing();
    if (!rollout.refresh()) {
      return false;
    }
    List<EpisodeSummary> after = rollout.episodes();
    int kept = Math.max(0, before.size() - 1);
    // O(1), not a comparison of every episode (millions in a live run of short episodes): a
    // renumbering (an earlier file of a directory grew) shifts every later episode, so the last
    // kept position then holds another episode, with another per-file episode id.
    boolean stable = after.size() >= before.size()
        && (kept == 0 || (after.get(0).equals(before.get(0)) && after.get(kept - 1).equals(before.get(kept - 1))))
        && (before.isEmpty() || sameStart(before.get(kept), after.get(kept)));
    if (!stable) {
      shifts++;
    }
    served.views = new EpisodeViews(served);
    served.policies().forget(stable ? kept : -1);
    Map<String, Object> state = state();
    if (wasGrowing || !rollout.growing()) {
      listeners.forEach(l -> l.accept(state));
    }
    return true;
  }

  private static boolean sameStart(EpisodeSummary a, EpisodeSummary b) {
    return a.index() == b.index() && a.episodeId() == b.episodeId() && Objects.equals(a.seed(), b.seed())
        && b.observations() >= a.observations();
  }

  /** What the {@code /live} route sends: the recording's size now and whether it is finished. */
  Map<String, Object> state() {
    List<EpisodeSummary> episodes = served.rollout.episodes();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("episodes", episodes.size());
    m.put("totalSteps", served.rollout.totalSteps());
    m.put("lastEpisodeRows", episodes.isEmpty() ? 0 : episodes.get(episodes.size() - 1).observations());
    m.put("finished", !served.rollout.growing());
    return m;
  }

  /** Calls {@code listener} with each new state (null: a heartbeat) until the returned handle is run. */
  Runnable subscribe(Consumer<Map<String, Object>> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  int shifts() {
    return shifts;
  }

  /** Stops following; waits for a refresh under way, so the recording can then be closed. */
  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
