package dev.rld.format;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** One of Minari's storage formats (HDF5, Arrow), read episode by episode into Java values. */
interface MinariStore extends AutoCloseable {

  /**
   * What opening reads of episode {@code id}: its attributes and small columns.
   *
   * @param seed the reset seed (Minari's autoseeds reach 2^64−1), or null
   * @param rewards the N rewards; the episode has N steps and N+1 observations
   */
  record Episode(int id, BigInteger seed, Map<String, Object> options, double[] rewards,
      boolean[] terminations, boolean[] truncations) {

    Episode withSeed(BigInteger seed, Map<String, Object> options) {
      return new Episode(id, seed, options, rewards, terminations, truncations);
    }
  }

  /**
   * Rows {@code [from, to)} of an episode as the spaces' Java values: observations for every row,
   * actions for the rows below N, infos per row (empty maps when the episode has none).
   */
  record Slice(List<Object> observations, List<Object> actions, List<Map<String, Object>> infos) {}

  /** Every episode, 0..total_episodes−1, read on open. */
  List<Episode> episodes();

  Slice read(Episode episode, int from, int to) throws IOException;

  /** The files holding the data. */
  List<java.nio.file.Path> files();

  @Override
  void close() throws IOException;
}
