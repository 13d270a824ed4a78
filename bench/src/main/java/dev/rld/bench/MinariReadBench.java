package dev.rld.bench;

import dev.rld.format.MinariExport;
import dev.rld.format.Rollout;
import dev.rld.format.RolloutWriter;
import dev.rld.format.Steps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Opening Minari datasets and reading their episodes through {@link Rollout}: CartPole episodes of
 * 500 steps in both of Minari's stores — the Arrow store written by {@code rld export}, the HDF5
 * store written by h5py (Debian's python3-h5py) in Minari's layout — timed for the open (which
 * lists the episodes with their returns and endings), one 500-step episode read, and every episode
 * read once; and an rld file of the same episodes for comparison.
 *
 * <p>{@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp bench/target/rld-bench.jar
 * dev.rld.bench.MinariReadBench [episodes, default 1000]}.
 */
public final class MinariReadBench {
  private static final String H5PY = """
      import h5py, json, sys, numpy as np
      root, episodes = sys.argv[1], int(sys.argv[2])
      rng = np.random.default_rng(0)
      space = json.dumps({"type": "Box", "dtype": "float32", "shape": [4], "low": [-4.8, -1e30, -0.42, -1e30],
                          "high": [4.8, 1e30, 0.42, 1e30]})
      meta = {"dataset_id": "bench/cartpole-v0", "data_format": "hdf5", "minari_version": "0.5.3",
              "observation_space": space, "action_space": json.dumps({"type": "Discrete", "dtype": "int64", "start": 0, "n": 2}),
              "total_episodes": episodes, "total_steps": episodes * 500}
      json.dump(meta, open(root + "/data/metadata.json", "w"))
      with h5py.File(root + "/data/main_data.hdf5", "w") as f:
          for i in range(episodes):
              g = f.create_group(f"episode_{i}")
              g.attrs["id"] = i; g.attrs["total_steps"] = 500; g.attrs["seed"] = i
              g.create_dataset("observations", data=rng.normal(size=(501, 4)).astype(np.float32), chunks=True)
              g.create_dataset("actions", data=rng.integers(0, 2, size=500), chunks=True)
              g.create_dataset("rewards", data=np.ones(500), chunks=True)
              t = np.zeros(500, dtype=bool); g.create_dataset("terminations", data=t, chunks=True)
              u = np.zeros(500, dtype=bool); u[-1] = True; g.create_dataset("truncations", data=u, chunks=True)
      """;

  public static void main(String[] args) throws Exception {
    int episodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Path work = Files.createTempDirectory("rld-minari-bench");
    Path rld = work.resolve("cartpole.arrow");
    CartPoleAgents.BALANCED.record(RolloutWriter.builder(rld), 500L * episodes);
    Path arrowStore = work.resolve("arrow-store/cartpole-v0");
    try (Rollout r = Rollout.open(rld)) {
      MinariExport.write(r, arrowStore, "bench/cartpole-v0", (d, n) -> {});
    }
    Path hdf5Store = work.resolve("hdf5-store/cartpole-v0");
    Files.createDirectories(hdf5Store.resolve("data"));
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", H5PY, hdf5Store.toString(), String.valueOf(episodes))
        .inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("h5py could not write the HDF5 dataset (apt-get install python3-h5py)");
    }
    System.out.printf(Locale.ROOT, "%d CartPole episodes of 500 steps; medians of 3 runs%n", episodes);
    System.out.println("store, open ms, one episode ms, every episode once ms");
    for (var store : new Object[][] {{"rld file", rld}, {"Minari Arrow store", arrowStore}, {"Minari HDF5 store", hdf5Store}}) {
      double[][] t = new double[3][3];
      for (int run = 0; run < 3; run++) {
        t[run] = time((Path) store[1]);
      }
      System.out.printf(Locale.ROOT, "%s, %.0f, %.1f, %.0f%n", store[0], median(t, 0), median(t, 1), median(t, 2));
    }
  }

  private static double[] time(Path path) throws Exception {
    long t0 = System.nanoTime();
    try (Rollout r = Rollout.open(path)) {
      long t1 = System.nanoTime();
      int n = r.episodes().size();
      try (Steps s = r.read(n / 2, 0, r.episodes().get(n / 2).observations())) {
        if (s.size() != 501) {
          throw new IllegalStateException("episode of " + s.size() + " rows");
        }
      }
      long t2 = System.nanoTime();
      for (int e = 0; e < n; e++) {
        try (Steps s = r.read(e, 0, r.episodes().get(e).observations())) {
          s.observation(0);
        }
      }
      long t3 = System.nanoTime();
      return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6};
    }
  }

  private static double median(double[][] t, int column) {
    double[] v = Arrays.stream(t).mapToDouble(row -> row[column]).sorted().toArray();
    return v[v.length / 2];
  }
}
