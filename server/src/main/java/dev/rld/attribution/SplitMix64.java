package dev.rld.attribution;

/**
 * The SplitMix64 generator and the Fisher–Yates permutations Shapley sampling draws from it,
 * exactly as docs/attributions.md specifies, so that another implementation (the PyTorch
 * reference) can draw the very same permutations.
 */
final class SplitMix64 {
  private long state;

  SplitMix64(long seed) {
    this.state = seed;
  }

  long next() {
    state += 0x9E3779B97F4A7C15L;
    long z = state;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The next permutation of {@code 0..m-1}, shuffled from the identity. */
  int[] permutation(int m) {
    int[] p = new int[m];
    for (int i = 0; i < m; i++) {
      p[i] = i;
    }
    for (int i = m - 1; i >= 1; i--) {
      int j = (int) Long.remainderUnsigned(next(), i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The {@code count} permutations Shapley sampling uses for episode step {@code step}. */
  static int[][] permutationsForStep(long seed, int step, int count, int m) {
    SplitMix64 rng = new SplitMix64(seed + step);
    int[][] out = new int[count][];
    for (int i = 0; i < count; i++) {
      out[i] = rng.permutation(m);
    }
    return out;
  }
}
