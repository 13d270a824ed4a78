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
      assertEquals(seed, InfoJson.plainSeed(InfoJson.seedInfo(seed)), "read back: " + seed);
    }
  }

  @Test
  void anyOtherInfoIsLeftToTheJsonParser() {
    for (String other : new String[] {"{\"rld.reset\":{\"seed\":01}}", "{\"rld.reset\":{\"seed\":}}",
        "{\"rld.reset\":{\"seed\":-}}", "{\"rld.reset\":{\"seed\":1},\"x\":2}", "{\"rld.reset\":{\"seed\":1.5}}",
        "{\"rld.reset\":{\"seed\":9223372036854775808}}", "{\"rld.reset\":{\"seed\":1 }}", "{}", "",
        "{\"rld.reset\":{\"seed\":12a}}"}) {
      assertEquals(null, InfoJson.plainSeed(other.getBytes(StandardCharsets.UTF_8)), other);
    }
  }
}
