package dev.rld.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A Minari dataset's episodes in our rows: row t holds observation t, action t, reward t and the
 * flags; row N holds the final observation with null action, reward and flags, as our writer
 * does. Row 0's infos carry the reset seed and options under {@code rld.reset}.
 */
final class MinariSource implements EpisodeSource {
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private final Path path;
  private final RolloutHeader header;
  private final Schema schema;
  private final MinariStore store;
  private final List<MinariStore.Episode> minari;
  private final List<EpisodeSummary> episodes = new ArrayList<>();
  private final SpaceCodec observationCodec;
  private final SpaceCodec actionCodec;

  MinariSource(Path path, String name, RolloutHeader header, MinariStore store) throws IOException {
    this.path = path;
    this.header = header;
    this.store = store;
    this.schema = RolloutSchema.build(header, AgentOutput.none());
    this.observationCodec = SpaceCodec.of(header.observationSpace());
    this.actionCodec = SpaceCodec.of(header.actionSpace());
    this.minari = store.episodes();
    for (MinariStore.Episode e : minari) {
      int n = e.rewards().length;
      double total = 0;
      for (double r : e.rewards()) {
        total += r;
      }
      // Seeds above Long.MAX_VALUE (Minari's 64-bit autoseeds) do not fit the summary; the
      // reset info keeps them exactly.
      Long seed = e.seed() == null || e.seed().compareTo(LONG_MAX) > 0 || e.seed().signum() < 0 ? null
          : e.seed().longValue();
      episodes.add(new EpisodeSummary(episodes.size(), e.id(), seed, n, total,
          n > 0 && e.terminations()[n - 1], n > 0 && e.truncations()[n - 1], true));
    }
  }

  @Override
  public RolloutHeader header() {
    return header;
  }

  @Override
  public List<EpisodeSummary> episodes() {
    return Collections.unmodifiableList(episodes);
  }

  @Override
  public List<Path> files() {
    return store.files();
  }

  @Override
  public Schema schema(int episode) {
    return schema;
  }

  @Override
  public int rows(int episode) {
    return episodes.get(episode).observations();
  }

  @Override
  public VectorSchemaRoot read(int episode, int from, int to, BufferAllocator allocator) throws IOException {
    MinariStore.Episode e = minari.get(episode);
    MinariStore.Slice slice = store.read(e, from, to);
    int n = e.rewards().length;
    BatchColumns columns = new BatchColumns(schema, observationCodec, actionCodec);
    for (int t = from; t < to; t++) {
      columns.episodeId.appendInt(e.id());
      observationCodec.append(columns.observations, slice.observations().get(t - from));
      if (t < n) {
        actionCodec.append(columns.actions, slice.actions().get(t - from));
        columns.rewards.appendDouble(e.rewards()[t]);
        columns.terminations.append(e.terminations()[t]);
        columns.truncations.append(e.truncations()[t]);
      } else {
        columns.actions.appendNull();
        columns.rewards.appendNull();
        columns.terminations.appendNull();
        columns.truncations.appendNull();
      }
      columns.infos.append(infoJson(e, t, slice.infos().get(t - from)));
    }
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    try {
      columns.flushTo(root);
      root.setRowCount(to - from);
    } catch (RuntimeException ex) {
      root.close();
      throw ex;
    }
    return root;
  }

  private byte[] infoJson(MinariStore.Episode e, int t, Map<String, Object> info) {
    Map<String, Object> out = info;
    if (t == 0 && (e.seed() != null || !e.options().isEmpty())) {
      Map<String, Object> reset = new LinkedHashMap<>();
      if (e.seed() != null) {
        reset.put("seed", e.seed());
      }
      if (!e.options().isEmpty()) {
        reset.put("options", e.options());
      }
      out = new LinkedHashMap<>();
      out.put(RolloutSchema.RESET_INFO_KEY, reset);
      out.putAll(info);
    }
    if (out.isEmpty()) {
      return null;
    }
    try {
      return RolloutSchema.JSON.writeValueAsBytes(out);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("infos of episode " + e.id() + " step " + t + " in " + path, ex);
    }
  }

  /** The dataset's metadata and each file's name, size and modification time. */
  @Override
  public void fingerprintInto(MessageDigest digest) throws IOException {
    digest.update(Files.readAllBytes(MinariDataset.dataDir(path).resolve("metadata.json")));
    for (Path f : store.files()) {
      digest.update((f.getFileName() + ":" + Files.size(f) + ":" + Files.getLastModifiedTime(f).toMillis())
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public List<RecoveryReport> recoveries() {
    return List.of();
  }

  @Override
  public List<SkippedFile> skipped() {
    return List.of();
  }

  @Override
  public void close() throws IOException {
    store.close();
  }
}
