package dev.rld.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rld.attribution.Normalization.Mode;
import org.junit.jupiter.api.Test;

class NormalizationTest {
  @Test
  void thresholdIsTheValueWhereTheCumulativeSumReachesThePercentile() {
    // |a| sorted: 1, 2, 3, 94; cumulative 1, 3, 6, 100; 98 % of 100 is first reached at 94.
    assertEquals(94, Normalization.cumulativeThreshold(new double[] {3, 94, 1, 2}, 98));
    // At 5 %, the first cumulative sum ≥ 5 is 6, at value 3.
    assertEquals(3, Normalization.cumulativeThreshold(new double[] {3, 94, 1, 2}, 5));
  }

  @Test
  void modesKeepTheirSigns() {
    double[] raw = {-4, 2, 1, -1, 0};
    // all: threshold from |a| = 0,1,1,2,4 (sum 8); 98 % = 7.84 is reached at 4.
    assertArrayEquals(new double[] {-1, 0.5, 0.25, -0.25, 0}, Normalization.normalize(raw, Mode.ALL, 2), 1e-12);
    // positive: 2,1 kept (sum 3); 2.94 reached at 2.
    assertArrayEquals(new double[] {0, 1, 0.5, 0, 0}, Normalization.normalize(raw, Mode.POSITIVE, 2), 1e-12);
    // negative: -4,-1 kept; threshold −4; values divide to positive fractions of the negative scale.
    assertArrayEquals(new double[] {1, 0, 0, 0.25, 0}, Normalization.normalize(raw, Mode.NEGATIVE, 2), 1e-12);
    assertArrayEquals(new double[] {1, 0.5, 0.25, 0.25, 0}, Normalization.normalize(raw, Mode.ABSOLUTE, 2), 1e-12);
  }

  @Test
  void outliersAreClippedAndZerosStayZero() {
    // 199 tens and one 1000: half of the total (2990) is reached within the tens, so the
    // threshold is 10 and the outlier is clipped to 1 instead of shrinking the rest to 0.01.
    double[] raw = new double[200];
    java.util.Arrays.fill(raw, 10);
    raw[199] = 1000;
    double[] n = Normalization.normalize(raw, Mode.ALL, 50);
    assertEquals(1, n[199]);
    assertEquals(1, n[0]);
    assertEquals(0.01, Normalization.normalize(raw, Mode.ALL, 0)[0], 1e-12, "no outliers cut: 10/1000");
    assertArrayEquals(new double[3], Normalization.normalize(new double[3], Mode.ALL, 2));
  }
}
