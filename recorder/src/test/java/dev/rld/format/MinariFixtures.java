package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Minari datasets written by independent writers: h5py (recorder/src/test/python) and Arrow JS
 * (recorder/src/test/js), each with a truth.json of every value it wrote.
 */
public final class MinariFixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  private MinariFixtures() {}

  /** Writes the HDF5 datasets under {@code root}; fails saying what to install when h5py is missing. */
  public static void writeHdf5(Path root) throws IOException, InterruptedException {
    String python = pythonWithH5py();
    run(List.of(python, script("src/test/python/write_minari_hdf5.py"), root.toString()),
        python);
  }

  /** Writes the Arrow-store datasets under {@code root} with Apache Arrow JS. */
  public static void writeArrow(Path root) throws IOException, InterruptedException {
    // The image dataset's frames are JPEG-encoded by PIL, as Minari does.
    run(List.of("node", script("src/test/js/write_minari_arrow.mjs"), root.toString()),
        pythonWithH5py());
  }

  /** A script of the recorder module's tests, from its own tests or another module's (server). */
  private static String script(String relative) {
    Path here = Path.of(relative);
    return (java.nio.file.Files.exists(here) ? here : Path.of("..", "recorder").resolve(relative))
        .toAbsolutePath().normalize().toString();
  }

  /** python3 from PATH, else Debian's /usr/bin/python3 (a pyenv python3 may lack Debian's h5py). */
  private static String pythonWithH5py() throws IOException, InterruptedException {
    for (String python : List.of("python3", "/usr/bin/python3")) {
      try {
        Process p = new ProcessBuilder(python, "-c", "import h5py, numpy, PIL").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() == 0) {
          return python;
        }
      } catch (IOException e) {
        // not there: try the next
      }
    }
    fail("the Minari HDF5 fixtures need Python 3 with h5py, numpy and Pillow: "
        + "apt-get install python3-h5py python3-pil (.ci/run installs them)");
    return null;
  }

  private static void run(List<String> command, String python) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("MINARI_FIXTURE_PYTHON", python);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + " failed:\n" + out);
  }

  static JsonNode truth(Path dataset) throws IOException {
    return JSON.readTree(dataset.resolve("truth.json").toFile());
  }
}
