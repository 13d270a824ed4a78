package dev.rld.cli;

import static dev.rld.cli.CliTest.JSON;
import static dev.rld.cli.CliTest.assertOneLineFailure;
import static dev.rld.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rld repair}, and {@code rld inspect} suggesting it. */
class RepairCliTest {
  @TempDir Path dir;

  /** The CartPole recording as a killed recorder would leave it: footer and a torn batch gone. */
  private Path footerless() throws Exception {
    byte[] whole = Files.readAllBytes(CliTest.CARTPOLE);
    return Files.write(dir.resolve("killed.arrow"), Arrays.copyOf(whole, whole.length * 2 / 3));
  }

  @Test
  void inspectSuggestsRepairAndRepairMakesTheHintGoAway() throws Exception {
    Path killed = footerless();
    CliTest.Run inspect = run("inspect", killed.toString());
    assertEquals(0, inspect.exitCode(), inspect.err());
    JsonNode before = JSON.readTree(inspect.out());
    assertTrue(before.get("hints").get(0).asText().contains("run `rld repair " + killed + "`"), inspect.out());

    Path intact = Files.copy(CliTest.CARTPOLE, dir.resolve("intact.arrow"));
    byte[] intactBytes = Files.readAllBytes(intact);
    CliTest.Run r = run("repair", killed.toString(), intact.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("", r.err());
    String[] lines = r.out().strip().split("\n");
    assertEquals(2, lines.length, r.out());
    assertTrue(lines[0].startsWith(killed + ": repaired: kept "), lines[0]);
    assertTrue(lines[0].contains("partial episodes") && lines[0].contains("bytes of an unfinished batch"), lines[0]);
    assertEquals(intact + ": closed properly (it has its Arrow footer): left untouched", lines[1]);
    assertArrayEquals(intactBytes, Files.readAllBytes(intact));

    JsonNode after = JSON.readTree(run("inspect", killed.toString()).out());
    assertFalse(after.has("hints") || after.has("recoveries"), after.toString());
    assertEquals(before.get("episodes"), after.get("episodes"), "the same episodes as recovered before");
    assertEquals(before.get("totalSteps"), after.get("totalSteps"));
    CliTest.Run verify = run("verify", killed.toString());
    assertEquals(0, verify.exitCode(), verify.out() + verify.err());
  }

  @Test
  void aFileThatCannotBeRepairedIsOneLineAndExitCode1() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.arrow"), "not an arrow file at all");
    assertOneLineFailure(run("repair", junk.toString()), 1, "repair: ", junk.toString(), "not an Arrow IPC file",
        "unchanged");
    assertEquals("not an arrow file at all", Files.readString(junk));
    Path missing = dir.resolve("missing.arrow");
    assertOneLineFailure(run("repair", missing.toString()), 1, "repair: ", missing.toString(), "no such file");

    // The others are still repaired when one fails.
    Path killed = footerless();
    CliTest.Run both = run("repair", junk.toString(), killed.toString());
    assertEquals(1, both.exitCode());
    assertTrue(both.out().startsWith(killed + ": repaired"), both.out());
    assertOneLineFailure(both, 1, "repair: ", junk.toString());
  }
}
