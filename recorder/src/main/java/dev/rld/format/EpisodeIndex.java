package dev.rld.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where each episode's rows lie in one file, and its summary. The writer keeps it as it goes and
 * leaves it in the footer ({@code rld.index}); the reader takes it from there, or rebuilds it by
 * scanning the small columns when a file has none (a crash, another writer).
 *
 * <p>Rows are counted across the whole file; {@code batchStart[b]} is the first row of batch b.
 */
final class EpisodeIndex {
  private final List<Integer> batchRows = new ArrayList<>();
  private final List<Entry> episodes = new ArrayList<>();

  /** One episode: rows {@code [firstRow, firstRow + rows)}. */
  record Entry(int episodeId, long firstRow, int rows, int steps, double totalReturn, Long seed,
      boolean terminated, boolean truncated, boolean complete) {}

  void addBatch(int rows) {
    batchRows.add(rows);
  }

  void addEpisode(Entry e) {
    episodes.add(e);
  }

  List<Entry> episodes() {
    return episodes;
  }

  int batches() {
    return batchRows.size();
  }

  /** First row of each batch, plus the total row count at the end. */
  long[] batchStarts() {
    long[] starts = new long[batchRows.size() + 1];
    for (int b = 0; b < batchRows.size(); b++) {
      starts[b + 1] = starts[b] + batchRows.get(b);
    }
    return starts;
  }

  /** Batch holding {@code row}, given {@link #batchStarts()}. */
  static int batchOf(long[] starts, long row) {
    int i = Arrays.binarySearch(starts, row);
    return i >= 0 ? i : -i - 2;
  }

  /** Columnar JSON: compact, and parsed into arrays without a node per value per episode. */
  String toJson() {
    ObjectNode o = RolloutSchema.JSON.createObjectNode();
    ArrayNode rows = o.putArray("batch_rows");
    batchRows.forEach(rows::add);
    ObjectNode e = o.putObject("episodes");
    ArrayNode id = e.putArray("episode_id");
    ArrayNode first = e.putArray("first_row");
    ArrayNode n = e.putArray("rows");
    ArrayNode steps = e.putArray("steps");
    ArrayNode ret = e.putArray("return");
    ArrayNode seed = e.putArray("seed");
    ArrayNode term = e.putArray("terminated");
    ArrayNode trunc = e.putArray("truncated");
    ArrayNode complete = e.putArray("complete");
    for (Entry x : episodes) {
      id.add(x.episodeId());
      first.add(x.firstRow());
      n.add(x.rows());
      steps.add(x.steps());
      ret.add(x.totalReturn());
      if (x.seed() == null) {
        seed.addNull();
      } else {
        seed.add(x.seed());
      }
      term.add(x.terminated());
      trunc.add(x.truncated());
      complete.add(x.complete());
    }
    return o.toString();
  }

  static EpisodeIndex fromJson(String json) throws IOException {
    JsonNode o = RolloutSchema.JSON.readTree(json);
    EpisodeIndex index = new EpisodeIndex();
    o.get("batch_rows").forEach(r -> index.addBatch(r.asInt()));
    JsonNode e = o.get("episodes");
    int count = e.get("episode_id").size();
    for (int i = 0; i < count; i++) {
      JsonNode seed = e.get("seed").get(i);
      index.addEpisode(new Entry(e.get("episode_id").get(i).asInt(), e.get("first_row").get(i).asLong(),
          e.get("rows").get(i).asInt(), e.get("steps").get(i).asInt(), e.get("return").get(i).asDouble(),
          seed == null || seed.isNull() ? null : seed.asLong(), e.get("terminated").get(i).asBoolean(),
          e.get("truncated").get(i).asBoolean(), e.get("complete").get(i).asBoolean()));
    }
    return index;
  }
}
