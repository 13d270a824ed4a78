package dev.rld.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Apache Arrow JS scripts of recorder/src/test/js with node, for tests that check our
 * files against another Arrow implementation (the build runs {@code npm ci} there first).
 */
public final class ArrowJs {
  private static final long TIMEOUT_SECONDS = 120;

  private ArrowJs() {}

  /** Runs {@code script} with {@code args}; returns its stdout, fails the test with its stderr. */
  public static String node(Path tempDir, String script, String... args) throws IOException, InterruptedException {
    Path jsDir = jsDir();
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    Path stdout = Files.createTempFile(tempDir, "node-", ".out");
    Path stderr = Files.createTempFile(tempDir, "node-", ".err");
    Process p = new ProcessBuilder(command).directory(jsDir.toFile())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s; stderr:\n"
          + Files.readString(stderr, StandardCharsets.UTF_8));
    }
    if (p.exitValue() != 0) {
      fail(String.join(" ", command) + " (in " + jsDir + ") exited with " + p.exitValue() + "; stderr:\n"
          + Files.readString(stderr, StandardCharsets.UTF_8));
    }
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  /** recorder/src/test/js, seen from the recorder module or from a sibling module. */
  private static Path jsDir() {
    Path cwd = Path.of("").toAbsolutePath();
    for (Path candidate : List.of(cwd.resolve("src/test/js"), cwd.resolve("recorder/src/test/js"),
        cwd.resolve("../recorder/src/test/js"))) {
      if (Files.isDirectory(candidate.resolve("node_modules/apache-arrow"))) {
        return candidate.normalize();
      }
    }
    fail("no recorder/src/test/js/node_modules/apache-arrow near " + cwd
        + ": run the build (mvn verify runs npm ci in recorder/src/test/js), or npm ci there");
    return null;
  }
}
