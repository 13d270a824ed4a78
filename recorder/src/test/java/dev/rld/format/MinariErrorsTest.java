package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad or partial Minari datasets fail naming the dataset, the episode and the problem; ids resolve. */
class MinariErrorsTest {
  @TempDir static Path fixtures;
  @TempDir Path tmp;

  @BeforeAll
  static void writeFixtures() throws Exception {
    MinariFixtures.writeHdf5(fixtures.resolve("h5"));
    MinariFixtures.writeArrow(fixtures.resolve("arrow"));
  }

  private Path copy(String dataset) throws IOException {
    Path from = fixtures.resolve(dataset);
    Path to = Files.createTempDirectory(tmp, "copy").resolve("dataset");
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
    return to;
  }

  private String failure(Path dataset) {
    try (RootAllocator allocator = new RootAllocator()) {
      InvalidRolloutException e = assertThrows(InvalidRolloutException.class, () -> Rollout.open(dataset, allocator).close());
      assertEquals(0, allocator.getAllocatedMemory(), "buffers released after: " + e.getMessage());
      return e.getMessage();
    }
  }

  private void setMetadata(Path dataset, String key, String json) throws IOException {
    Path meta = dataset.resolve("data/metadata.json");
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) MinariFixtures.JSON.readTree(meta.toFile());
    if (json == null) {
      tree.remove(key);
    } else {
      tree.set(key, MinariFixtures.JSON.readTree(json));
    }
    Files.writeString(meta, tree.toString());
  }

  @Test
  void metadataProblems() throws Exception {
    Path d = copy("h5/cartpole/expert-v0");
    setMetadata(d, "data_format", "\"parquet\"");
    String m = failure(d);
    assertTrue(m.contains("'cartpole/expert-v0'") && m.contains("data_format 'parquet' is not supported"), m);
    setMetadata(d, "data_format", "\"hdf5\"");
    setMetadata(d, "minari_version", "\"9.9\"");
    m = failure(d);
    assertTrue(m.contains("minari_version '9.9' is not supported"), m);
    setMetadata(d, "minari_version", null);
    assertTrue(failure(d).contains("metadata.json has no 'minari_version'"));
    Files.delete(d.resolve("data/metadata.json"));
    assertTrue(failure(d).contains("has no data/metadata.json"));
  }

  @Test
  void hdf5EpisodeMissingAColumnOrOfMismatchedLength() throws Exception {
    // h5py edits the copy: no terminations in episode 1; 2 observations fewer in episode 2.
    Path d = copy("h5/cartpole/expert-v0");
    String edit = "import h5py,sys\nf=h5py.File(sys.argv[1],'a')\ndel f['episode_1/terminations']\n"
        + "o=f['episode_2/observations'][:-2]\ndel f['episode_2/observations']\nf['episode_2/observations']=o\n";
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", edit, d.resolve("data/main_data.hdf5").toString())
        .redirectErrorStream(true).start();
    assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
    String m = failure(d);
    assertTrue(m.contains("Minari dataset 'cartpole/expert-v0', episode 1: it has no 'terminations'"), m);
  }

  @Test
  void hdf5MismatchedObservationRows() throws Exception {
    Path d = copy("h5/cartpole/expert-v0");
    String edit = "import h5py,sys\nf=h5py.File(sys.argv[1],'a')\n"
        + "o=f['episode_2/observations'][:-2]\ndel f['episode_2/observations']\nf['episode_2/observations']=o\n";
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", edit, d.resolve("data/main_data.hdf5").toString())
        .redirectErrorStream(true).start();
    assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
    String m = failure(d);
    assertTrue(m.contains("episode 2: 'observations' has 6 rows, expected 8"), m);
  }

  @Test
  void corruptFiles() throws Exception {
    Path d = copy("h5/cartpole/expert-v0");
    Files.write(d.resolve("data/main_data.hdf5"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    String m = failure(d);
    assertTrue(m.contains("'cartpole/expert-v0'") && m.contains("not a readable HDF5 file"), m);
    Path a = copy("arrow/arrow/cartpole-v0");
    Path part = a.resolve("data/1/part-0.arrow");
    byte[] bytes = Files.readAllBytes(part);
    Files.write(part, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    m = failure(a);
    assertTrue(m.contains("'arrow/cartpole-v0', episode 1: unreadable Arrow file"), m);
    Files.delete(part);
    assertTrue(failure(a).contains("episode 1: expected one Arrow file in data/1, found 0"));
  }

  @Test
  void datasetIdsResolveUnderTheDatasetsRoot() throws Exception {
    Path root = fixtures.resolve("h5");
    Path resolved = MinariDataset.resolve("minari:cartpole/expert-v0", root);
    assertEquals(root.resolve("cartpole/expert-v0"), resolved);
    assertEquals(Path.of("runs/a.arrow"), MinariDataset.resolve("runs/a.arrow", root));
    assertThrows(IllegalArgumentException.class, () -> MinariDataset.resolve("minari:../etc", root));
    try (Rollout r = Rollout.open(resolved)) {
      assertEquals("cartpole/expert-v0", r.header().metadata().title());
    }
  }
}
