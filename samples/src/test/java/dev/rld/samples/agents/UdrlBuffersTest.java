package dev.rld.samples.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * UDRL's buffers (FIFO eviction, priority order, training pairs) are Python, used by
 * models/udrl/train.py: their unit tests (models/udrl/test_buffers.py, plain Python, no torch) run here.
 */
class UdrlBuffersTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  @Test
  void theBufferUnitTestsPass() throws IOException, InterruptedException {
    // Debian's python3 (.ci/run installs it with python3-h5py); the tests need nothing beyond it
    assertTrue(Files.isExecutable(PYTHON), "the UDRL buffer tests need " + PYTHON + ": apt-get install python3");
    Process p = new ProcessBuilder(PYTHON.toString(), "-m", "unittest", "-v", "test_buffers")
        .directory(Path.of("..", "models", "udrl").toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertTrue(out.contains("OK"), out);
  }
}
