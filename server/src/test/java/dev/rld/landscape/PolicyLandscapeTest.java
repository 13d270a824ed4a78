package dev.rld.landscape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.attribution.AttributionRequest.OutputKind;
import dev.rld.attribution.OverBudgetException;
import dev.rld.landscape.PolicyLandscape.Axis;
import dev.rld.landscape.PolicyLandscape.Target;
import dev.rld.policy.Policy;
import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Dict;
import dev.rld.space.Discrete;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Landscapes over a Dict observation {mode: Discrete(3, start=1), pos: MultiDiscrete [4, 5],
 * v: Box(2), w: Box int32 [0, 40]} (flattened by sorted key: mode 0–2, pos 3–11, v 12–13, w 14) of a policy whose
 * two sub-actions copy the one-hot blocks it is given: the greedy action of a cell shows which
 * value of each swept block was hot.
 */
class PolicyLandscapeTest {
  static final Space OBS = new Dict(Map.of(
      "mode", new Discrete(3, 1),
      "pos", new MultiDiscrete(4, 5),
      "v", Box.of(DType.FLOAT32, -1, 1, 2),
      "w", Box.of(DType.INT32, 0, 40, 1)));
  static final Space ACT = new MultiDiscrete(3, 5);
  /** Sub-action 0's logits are the mode block ×10, sub-action 1's the pos[1] block ×10. */
  static final Policy COPY = Policy.of(15, 8, Policy.Output.LOGITS, (x, batch) -> {
    float[] out = new float[batch * 8];
    for (int b = 0; b < batch; b++) {
      for (int k = 0; k < 3; k++) {
        out[b * 8 + k] = 10 * x[b * 15 + 3 + k - 3];
      }
      for (int k = 0; k < 5; k++) {
        out[b * 8 + 3 + k] = 10 * x[b * 15 + 7 + k];
      }
    }
    return out;
  });

  /** mode = 2, pos = [1, 3], v = [0.5, -0.25], w = 7. */
  static float[] observation() {
    float[] x = new float[15];
    x[1] = 1;
    x[3 + 1] = 1;
    x[7 + 3] = 1;
    x[12] = 0.5f;
    x[13] = -0.25f;
    x[14] = 7;
    return x;
  }

  final PolicyLandscape landscape = new PolicyLandscape(COPY, OBS, ACT);

  @Test
  void sweepingTwoOneHotBlocksVisitsEveryValueOfEach() {
    // any element of a block names the block: 2 is mode=3, 9 is pos[1]=2
    PolicyLandscape.Answer a = landscape.sweep(observation(), new Axis(2, null, null, 64), new Axis(9, null, null, 64),
        Target.output(0), OutputKind.PROBABILITY);
    assertArrayEquals(new double[] {1, 2, 3}, a.x(), "mode's values, not the resolution");
    assertArrayEquals(new double[] {0, 1, 2, 3, 4}, a.y(), "pos[1]'s values");
    assertArrayEquals(new double[] {2, 3}, a.at(), "the observation's own mode and pos[1]");
    assertEquals("mode", a.xFeature(), "a block is named without its value");
    assertEquals("pos[1]", a.yFeature());
    for (int j = 0; j < 5; j++) {
      for (int i = 0; i < 3; i++) {
        assertEquals(i, a.actions()[j][i], "target 0's sub-action is mode's: the hot element " + i);
        // softmax of [10, 0, 0] at the hot element, of [0, 10, 0] elsewhere
        double hot = Math.exp(10) / (Math.exp(10) + 2);
        assertEquals(i == 0 ? hot : (1 - hot) / 2, a.values()[j][i], 1e-6);
      }
    }
    PolicyLandscape.Answer sure = landscape.sweep(observation(), new Axis(2, null, null, 64), new Axis(9, null, null, 64),
        Target.CELL_GREEDY, OutputKind.PROBABILITY);
    assertEquals("greedy", sure.target());
    for (double[] row : sure.values()) {
      for (double v : row) {
        assertEquals(Math.exp(10) / (Math.exp(10) + 2), v, 1e-6, "each cell's own greedy action is its hot element");
      }
    }
    PolicyLandscape.Answer second = landscape.sweep(observation(), new Axis(2, null, null, 64),
        new Axis(9, 1.0, 3.0, 64), Target.output(4), OutputKind.LOGIT);
    assertArrayEquals(new double[] {1, 2, 3}, second.y(), "a range narrows a block to the values inside it");
    for (int j = 0; j < 3; j++) {
      for (int i = 0; i < 3; i++) {
        assertEquals(j + 1, second.actions()[j][i], "target 4's sub-action is pos[1]'s");
        assertEquals(j + 1 == 1 ? 10 : 0, second.values()[j][i], 1e-6, "the logit of pos[1]=1");
      }
    }
  }

  @Test
  void boxAxesAreEvenlySpacedAndIntegerOnesRounded() {
    PolicyLandscape.Answer a = landscape.sweep(observation(), new Axis(12, null, null, 5), new Axis(14, 2.0, 30.0, 8),
        Target.GREEDY, OutputKind.PROBABILITY);
    assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1}, a.x(), 1e-12, "the Box's bounds by default");
    assertArrayEquals(new double[] {2, 6, 10, 14, 18, 22, 26, 30}, a.y(), "integers of evenly spaced values");
    assertEquals(1, a.target(), "the greedy action at the observation: mode 2 is output 1");
    assertArrayEquals(new double[] {0.5, 7}, a.at(), 1e-6);
    PolicyLandscape.Answer few = landscape.sweep(observation(), new Axis(12, null, null, 3), new Axis(14, 3.0, 5.0, 64),
        Target.GREEDY, OutputKind.PROBABILITY);
    assertArrayEquals(new double[] {3, 4, 5}, few.y(), "a narrow integer range: every integer once");
  }

  @Test
  void continuousActionsReportTheActionMeanAndNoGreedyAction() {
    Space act = Box.of(DType.FLOAT32, -2, 2, 1);
    Policy linear = Policy.of(15, 1, Policy.Output.ACTIONS, (x, batch) -> {
      float[] out = new float[batch];
      for (int b = 0; b < batch; b++) {
        out[b] = x[b * 15 + 12] - 2 * x[b * 15 + 13];
      }
      return out;
    });
    PolicyLandscape.Answer a = new PolicyLandscape(linear, OBS, act).sweep(observation(), new Axis(12, null, null, 3),
        new Axis(13, null, null, 2), Target.GREEDY, OutputKind.PROBABILITY);
    assertNull(a.actions());
    assertEquals("action", a.output());
    for (int j = 0; j < 2; j++) {
      for (int i = 0; i < 3; i++) {
        assertEquals(a.x()[i] - 2 * a.y()[j], a.values()[j][i], 1e-6);
      }
    }
  }

  @Test
  void axesThatDoNotFitAreRefusedNamingWhy() {
    float[] x = observation();
    Axis v = new Axis(12, null, null, 4);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> landscape.sweep(x, new Axis(0, null, null, 4),
        new Axis(2, null, null, 4), Target.GREEDY, OutputKind.PROBABILITY)).getMessage().contains("same feature"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> landscape.sweep(x, v, new Axis(15, null, null, 4),
        Target.GREEDY, OutputKind.PROBABILITY)).getMessage().contains("feature 15 is not an element"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> landscape.sweep(x, v, new Axis(13, null, null, 257),
        Target.GREEDY, OutputKind.PROBABILITY)).getMessage().contains("resolution must be 1 to 256"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> landscape.sweep(x, v, new Axis(13, -3.0, 0.0, 4),
        Target.GREEDY, OutputKind.PROBABILITY)).getMessage().contains("outside its space's bounds [-1.0, 1.0]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> landscape.sweep(x, v, new Axis(13, 0.5, 0.0, 4),
        Target.GREEDY, OutputKind.PROBABILITY)).getMessage().contains("y.from (0.5) must not exceed y.to (0.0)"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> landscape.sweep(x, v, new Axis(13, null, null, 4),
        Target.output(8), OutputKind.PROBABILITY)).getMessage().contains("target 8 is not an output"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> landscape.sweep(x, v, new Axis(13, null, null, 4),
        Target.VALUE, OutputKind.PROBABILITY)).getMessage().contains("value head"));

    Space unbounded = Box.of(DType.FLOAT32, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 2);
    PolicyLandscape free = new PolicyLandscape(Policy.of(2, 2, Policy.Output.LOGITS, (o, b) -> new float[2 * b]),
        unbounded, new Discrete(2));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> free.sweep(new float[2], new Axis(0, null, 1.0, 4),
        new Axis(1, -1.0, 1.0, 4), Target.GREEDY, OutputKind.PROBABILITY)).getMessage()
        .contains("x.from is needed: '"));
  }

  @Test
  void aGridOverOnePolicyBatchIsRefusedWithTheLargestThatFits() {
    int d = 5000;
    Policy wide = Policy.of(d, 2, Policy.Output.LOGITS, (o, b) -> new float[2 * b]);
    PolicyLandscape big = new PolicyLandscape(wide, Box.of(DType.FLOAT32, 0, 1, d), new Discrete(2));
    OverBudgetException e = assertThrows(OverBudgetException.class, () -> big.sweep(new float[d],
        new Axis(0, null, null, 64), new Axis(1, null, null, 64), Target.GREEDY, OutputKind.PROBABILITY));
    assertTrue(e.getMessage().contains("at most [57, 57]"), e.getMessage());
    PolicyLandscape.Answer fits = big.sweep(new float[d], new Axis(0, null, null, 57), new Axis(1, null, null, 57),
        Target.GREEDY, OutputKind.PROBABILITY);
    assertEquals(57, fits.values().length);
    assertEquals(0.5, fits.values()[56][56], 1e-9, "equal logits: probability 1/2");
  }
}
