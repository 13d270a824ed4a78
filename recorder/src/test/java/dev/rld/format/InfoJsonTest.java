package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed info written without a JSON library equals what Jackson writes for the same map. */
class InfoJsonTest {
  @Test
  void seedInfoIsTheJsonOfTheResetEntry() throws Exception {
    for (long seed : new long[] {0, 7, 10, 99, 100, 123_456_789, -1, -10, -987,
        Long.MAX_VALUE, Long.MIN_VALUE}) {
      String want = RolloutSchema.JSON.writeValueAsString(
          Map.of(RolloutSchema.RESET_INFO_KEY, Map.of("seed", seed)));
      assertEquals(want, new String(InfoJson.seedInfo(seed), StandardCharsets.US_ASCII), "seed " + seed);
      assertEquals(want, new String(InfoJson.reset(seed, null, null, 0), StandardCharsets.UTF_8));
    }
  }
}
