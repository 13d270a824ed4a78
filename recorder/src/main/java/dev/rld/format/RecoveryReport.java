package dev.rld.format;

import java.nio.file.Path;

/**
 * What opening a file that was not closed properly (a crashed or killed recorder) recovered and
 * what it could not.
 *
 * @param batchesRecovered record batches read intact
 * @param completeEpisodes episodes whose final observation was flushed
 * @param partialEpisodes episodes cut off mid-way (at most one per file)
 * @param stepsRecovered steps in all recovered episodes
 * @param bytesDropped trailing bytes of a batch that was only partly written
 */
public record RecoveryReport(Path file, int batchesRecovered, int completeEpisodes,
    int partialEpisodes, long stepsRecovered, long bytesDropped) {

  /** A sentence for users and logs. */
  public String describe() {
    return file + ": not closed properly (no Arrow footer: still being written, or its recorder died); recovered "
        + batchesRecovered
        + " record batches holding " + completeEpisodes + " complete and " + partialEpisodes
        + " partial episodes (" + stepsRecovered + " steps); dropped " + bytesDropped
        + " bytes of an unfinished batch";
  }
}
