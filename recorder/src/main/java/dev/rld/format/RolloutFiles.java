package dev.rld.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Our own rollout files as a {@link Rollout}'s episodes: one file, or a directory of them (one
 * per actor, say) whose episodes are numbered across files in file-name order.
 */
final class RolloutFiles implements EpisodeSource {
  private final Path path;
  private final BufferAllocator allocator;
  /** Everything readers see, replaced whole by {@link #refresh}. */
  private volatile State state;
  /** Channels of files reopened with their footer, kept open for readers of older states. */
  private final List<RolloutFile> retired = new ArrayList<>();

  private record Location(RolloutFile file, EpisodeIndex.Entry entry) {}

  /**
   * @param files the files, in file-name order
   * @param empty files of a directory that end before their schema (their writer died, or has
   *     not yet written, before any step)
   * @param skipped files of a directory that are corrupt or not rollouts, left out
   */
  private record State(List<RolloutFile> files, List<RecoveryReport> empty, List<SkippedFile> skipped,
      int[] starts, long totalSteps, EpisodeList episodes) {
    /**
     * O(files), not O(episodes): a live recording of short episodes is refreshed every few
     * hundred milliseconds with millions of episodes, so its episodes are a view of the files'
     * indexes until something reads many of them.
     */
    static State of(List<RolloutFile> files, List<RecoveryReport> empty, List<SkippedFile> skipped) {
      int[] starts = new int[files.size() + 1];
      long steps = 0;
      for (int i = 0; i < files.size(); i++) {
        starts[i + 1] = starts[i] + files.get(i).index.episodes().size();
        steps += files.get(i).index.totalSteps();
      }
      List<RolloutFile> fixed = List.copyOf(files);
      return new State(fixed, List.copyOf(empty), List.copyOf(skipped), starts, steps,
          new EpisodeList(fixed, starts));
    }

    Location location(int episode) {
      return episodes.location(episode);
    }
  }

  /**
   * The episodes of a state, made on demand from its files' indexes; once something reads more
   * than a few of them (a sort, a scan), all are made once and kept.
   */
  private static final class EpisodeList extends AbstractList<EpisodeSummary> implements RandomAccess {
    private final List<RolloutFile> files;
    private final int[] starts;
    private volatile EpisodeSummary[] all;
    private int reads; // racy: only a hint of when to make them all

    EpisodeList(List<RolloutFile> files, int[] starts) {
      this.files = files;
      this.starts = starts;
    }

    Location location(int episode) {
      Objects.checkIndex(episode, size());
      int i = Arrays.binarySearch(starts, episode);
      // equal starts are files without episodes: take the last file starting at or before it
      int f = i >= 0 ? i : -i - 2;
      while (f + 1 < files.size() && starts[f + 1] == episode) {
        f++;
      }
      RolloutFile file = files.get(f);
      return new Location(file, file.index.episodes().get(episode - starts[f]));
    }

    @Override
    public EpisodeSummary get(int i) {
      EpisodeSummary[] made = all;
      if (made != null) {
        return made[i];
      }
      if (++reads > 64 + size() / 64) {
        return makeAll()[i];
      }
      return summary(i, location(i).entry());
    }

    private synchronized EpisodeSummary[] makeAll() {
      if (all == null) {
        EpisodeSummary[] made = new EpisodeSummary[size()];
        int n = 0;
        for (RolloutFile f : files) {
          for (EpisodeIndex.Entry e : f.index.episodes()) {
            made[n] = summary(n, e);
            n++;
          }
        }
        all = made;
      }
      return all;
    }

    private static EpisodeSummary summary(int index, EpisodeIndex.Entry e) {
      return new EpisodeSummary(index, e.episodeId(), e.seed(), e.steps(), e.totalReturn(), e.terminated(),
          e.truncated(), e.complete());
    }

    @Override
    public int size() {
      return starts[starts.length - 1];
    }
  }

  private RolloutFiles(Path path, BufferAllocator allocator, List<RolloutFile> files, List<RecoveryReport> empty,
      List<SkippedFile> skipped) {
    this.path = path;
    this.allocator = allocator;
    this.state = State.of(files, empty, skipped);
  }

  static RolloutFiles open(Path path, BufferAllocator allocator) throws IOException {
    List<Path> paths = filesOf(path);
    List<RolloutFile> files = new ArrayList<>();
    List<RecoveryReport> empty = new ArrayList<>();
    List<SkippedFile> skipped = new ArrayList<>();
    try {
      for (Path p : paths) {
        RolloutFile f;
        try {
          f = RolloutFile.open(p, allocator);
        } catch (InvalidRolloutException e) {
          if (!Files.isDirectory(path)) {
            throw e;
          }
          if (e.holdsNoData()) {
            // One actor of many died before its first step: the others' episodes still count.
            empty.add(new RecoveryReport(p, 0, 0, 0, 0, Files.size(p)));
          } else {
            // One bad file should not cost the others: serve them, report it.
            skipped.add(new SkippedFile(p, e.getMessage()));
          }
          continue;
        }
        files.add(f);
        RolloutHeader first = files.get(0).header;
        if (!f.header.observationSpace().equals(first.observationSpace())
            || !f.header.actionSpace().equals(first.actionSpace())) {
          throw new InvalidRolloutException(p, "its spaces differ from those of " + files.get(0).path
              + "; the files of one dataset must share observation and action spaces");
        }
      }
      if (files.isEmpty()) {
        throw new InvalidRolloutException(path, skipped.isEmpty() ? "no file in the directory holds any data yet"
            : "no file in the directory is readable; the first: " + skipped.get(0).reason());
      }
    } catch (IOException | RuntimeException e) {
      for (RolloutFile f : files) {
        f.close();
      }
      throw e;
    }
    return new RolloutFiles(path, allocator, files, empty, skipped);
  }

  @Override
  public boolean growing() {
    return Files.isDirectory(path) || state.files().stream().anyMatch(RolloutFile::growing);
  }

  /**
   * Takes in what was appended to files without footer, files that got their footer, and, for a
   * directory, files that appeared or got their first batch. Episodes are numbered across the
   * files in file-name order as on open, so a file that grows before others shifts their numbers.
   */
  @Override
  public synchronized boolean refresh() throws IOException {
    State old = state;
    boolean changed = false;
    List<RolloutFile> files = new ArrayList<>();
    for (RolloutFile f : old.files()) {
      RolloutFile now = f.refresh();
      if (now != null && now.channel() != f.channel()) {
        retired.add(f);
      }
      files.add(now == null ? f : now);
      changed |= now != null;
    }
    List<RecoveryReport> empty = new ArrayList<>();
    List<SkippedFile> skipped = new ArrayList<>(old.skipped());
    if (Files.isDirectory(path)) {
      java.util.Set<Path> known = new java.util.HashSet<>();
      files.forEach(f -> known.add(f.path));
      skipped.forEach(f -> known.add(f.file()));
      List<Path> paths;
      try {
        paths = filesOf(path);
      } catch (InvalidRolloutException e) {
        paths = List.of();
      }
      for (Path p : paths) {
        if (known.contains(p)) {
          continue;
        }
        try {
          RolloutFile f = RolloutFile.open(p, allocator);
          if (!f.header.observationSpace().equals(header().observationSpace())
              || !f.header.actionSpace().equals(header().actionSpace())) {
            f.close();
            skipped.add(new SkippedFile(p, "its spaces differ from those of " + files.get(0).path));
          } else {
            files.add(f);
          }
          changed = true;
        } catch (InvalidRolloutException e) {
          if (e.holdsNoData()) {
            empty.add(new RecoveryReport(p, 0, 0, 0, 0, Files.size(p)));
          } else {
            skipped.add(new SkippedFile(p, e.getMessage()));
            changed = true;
          }
        } catch (java.nio.file.NoSuchFileException e) {
          // gone again
        }
      }
      files.sort(java.util.Comparator.comparing(f -> f.path));
      changed |= !empty.stream().map(RecoveryReport::file).toList()
          .equals(old.empty().stream().map(RecoveryReport::file).toList());
    } else {
      empty.addAll(old.empty());
    }
    if (changed) {
      state = State.of(files, empty, skipped);
    }
    return changed;
  }

  static List<Path> filesOf(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new InvalidRolloutException(path, "no such file or directory");
    }
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    List<Path> out;
    try (Stream<Path> s = Files.list(path)) {
      out = s.filter(p -> Files.isRegularFile(p))
          .filter(p -> p.getFileName().toString().endsWith(".arrow"))
          .filter(p -> !p.getFileName().toString().endsWith(Rollout.SIDECAR_SUFFIX))
          .sorted().toList();
    }
    if (out.isEmpty()) {
      throw new InvalidRolloutException(path, "the directory holds no .arrow files");
    }
    return out;
  }

  @Override
  public RolloutHeader header() {
    return state.files().get(0).header;
  }

  @Override
  public long totalSteps() {
    return state.totalSteps();
  }

  @Override
  public List<EpisodeSummary> episodes() {
    return state.episodes();
  }

  @Override
  public List<Path> files() {
    return state.files().stream().map(f -> f.path).toList();
  }

  @Override
  public Schema schema(int episode) {
    return state.location(episode).file().schema;
  }

  @Override
  public int rows(int episode) {
    return state.location(episode).entry().rows();
  }

  @Override
  public List<RecoveryReport> recoveries() {
    State s = state;
    List<RecoveryReport> out = new ArrayList<>(s.empty());
    s.files().stream().map(f -> f.recovery).filter(r -> r != null).forEach(out::add);
    return out;
  }

  @Override
  public List<SkippedFile> skipped() {
    return state.skipped();
  }

  @Override
  public void fingerprintInto(MessageDigest digest) throws IOException {
    for (RolloutFile f : state.files()) {
      f.fingerprintInto(digest);
    }
  }

  @Override
  public VectorSchemaRoot read(int episode, int from, int to, BufferAllocator allocator) throws IOException {
    Location loc = state.location(episode);
    RolloutFile file = loc.file();
    VectorSchemaRoot out = VectorSchemaRoot.create(file.schema, allocator);
    try {
      copyRows(file, loc.entry().firstRow() + from, loc.entry().firstRow() + to, out);
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
    return out;
  }

  private static void copyRows(RolloutFile file, long from, long to, VectorSchemaRoot out) throws IOException {
    long[] starts = file.batchStarts;
    int written = 0;
    for (int b = EpisodeIndex.batchOf(starts, from); from < to; b++) {
      long batchEnd = starts[b + 1];
      if (batchEnd <= from) {
        continue; // an empty batch
      }
      try (VectorSchemaRoot batch = file.loadBatch(b)) {
        int r0 = (int) (from - starts[b]);
        int r1 = (int) (Math.min(to, batchEnd) - starts[b]);
        if (written == 0 && to <= batchEnd) {
          // The whole range in one batch: hand over its buffers instead of copying row by row.
          for (int c = 0; c < out.getFieldVectors().size(); c++) {
            batch.getVector(c).makeTransferPair(out.getVector(c)).splitAndTransfer(r0, r1 - r0);
          }
          out.setRowCount(r1 - r0);
          return;
        }
        for (int c = 0; c < out.getFieldVectors().size(); c++) {
          TransferPair tp = batch.getVector(c).makeTransferPair(out.getVector(c));
          for (int r = r0; r < r1; r++) {
            tp.copyValueSafe(r, written + r - r0);
          }
        }
        written += r1 - r0;
        from = starts[b] + r1;
      }
    }
    out.setRowCount(written);
  }

  @Override
  public synchronized void close() throws IOException {
    for (RolloutFile f : state.files()) {
      f.close();
    }
    for (RolloutFile f : retired) {
      f.close();
    }
  }
}
