package dev.rld.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpaceTest {
  static final Box CARTPOLE_OBS = Box.float32(
      new double[] {-4.8, Double.NEGATIVE_INFINITY, -0.41887903, Double.NEGATIVE_INFINITY},
      new double[] {4.8, Double.POSITIVE_INFINITY, 0.41887903, Double.POSITIVE_INFINITY})
      .withLabels("cart position", "cart velocity", "pole angle", "pole angular velocity")
      .withUnits("m", "m/s", "rad", "rad/s");

  static Dict composite() {
    Map<String, Space> m = new LinkedHashMap<>();
    m.put("pixels", Box.of(DType.UINT8, 0, 255, 3, 2));
    m.put("mode", new Discrete(4, 1));
    m.put("flags", new MultiBinary(3));
    m.put("extra", new Tuple(new MultiDiscrete(2, 5), Box.of(DType.INT64, -3, 3, 2)));
    return new Dict(m);
  }

  @Test
  void boxContainsChecksTypeLengthAndBounds() {
    assertTrue(CARTPOLE_OBS.contains(new float[] {0, 100, 0.1f, -5}));
    assertEquals("element 2 (pole angle) = 0.5 is outside [-0.41887903, 0.41887903]",
        CARTPOLE_OBS.mismatch(new float[] {0, 0, 0.5f, 0}));
    assertTrue(CARTPOLE_OBS.mismatch(new double[] {0, 0, 0, 0}).startsWith("expected float[]"));
    assertEquals("expected 4 elements (shape [4]), got 3", CARTPOLE_OBS.mismatch(new float[3]));
    assertFalse(CARTPOLE_OBS.contains(new float[] {Float.NaN, 0, 0, 0}), "NaN is in no Box");
    assertFalse(CARTPOLE_OBS.contains(null));
  }

  @Test
  void float32BoundsAreRoundedAsGymnasiumStoresThem() {
    Box b = Box.float32(new double[] {-4.8}, new double[] {4.8});
    assertEquals((float) 4.8, b.high()[0]);
    assertTrue(b.contains(new float[] {4.8f}), "4.8f > 4.8 as doubles, yet NumPy accepts it");
    assertTrue(SpaceJson.toJson(b).contains("\"high\":[4.8]"), SpaceJson.toJson(b));
    assertEquals(b, SpaceJson.fromJson(SpaceJson.toJson(b)));
  }

  @Test
  void scalarBoxesKeepTheirEmptyShape() {
    Box scalar = Box.of(DType.FLOAT64, -2, 2);
    assertEquals(0, scalar.shape().length);
    assertEquals(1, scalar.size());
    String json = SpaceJson.toJson(scalar);
    assertTrue(json.contains("\"shape\":[],\"low\":-2,\"high\":2"), json);
    assertEquals(scalar, SpaceJson.fromJson(json));
  }

  @Test
  void minariJsonWithBareInfinityIsRead() {
    // Python's json.dumps writes bare Infinity; Minari's space JSON has it.
    Space s = SpaceJson.fromJson("{\"type\": \"Box\", \"dtype\": \"float32\", \"shape\": [2], "
        + "\"low\": [-Infinity, 0.0], \"high\": [Infinity, 1.0]}");
    assertEquals(Box.float32(new double[] {Double.NEGATIVE_INFINITY, 0}, new double[] {Double.POSITIVE_INFINITY, 1}), s);
  }

  @Test
  void uint8BoxReadsBytesUnsigned() {
    Box img = Box.of(DType.UINT8, 0, 255, 2, 2);
    assertTrue(img.contains(new byte[] {0, 127, (byte) 200, (byte) 255}));
    assertEquals(200.0, img.flatten(new byte[] {0, 0, (byte) 200, 0})[2]);
    assertEquals(List.of("[0,0]", "[0,1]", "[1,0]", "[1,1]"),
        img.features().stream().map(Feature::label).toList());
  }

  @Test
  void discreteAndMultiDiscreteBounds() {
    Discrete d = new Discrete(3, -1);
    assertTrue(d.contains(-1));
    assertTrue(d.contains(1L));
    assertEquals("value 2 is outside Discrete(3, start=-1)", d.mismatch(2));
    assertTrue(d.mismatch(1.0).startsWith("expected an integer"));
    MultiDiscrete md = new MultiDiscrete(new long[] {2, 3}, new long[] {0, 10});
    assertTrue(md.contains(new long[] {1, 12}));
    assertEquals("element 1 = 13 is outside [10, 12]", md.mismatch(new long[] {1, 13}));
    assertEquals("element 0 = 2 is not 0 or 1", new MultiBinary(2).mismatch(new byte[] {2, 0}));
  }

  @Test
  void seededSamplesAreReproducibleAndContained() {
    Dict space = composite();
    for (long seed = 0; seed < 50; seed++) {
      Object a = space.sample(new SplittableRandom(seed));
      Object b = space.sample(new SplittableRandom(seed));
      assertNull(space.mismatch(a), "sample of seed " + seed);
      assertArrayEquals(space.flatten(a), space.flatten(b));
    }
    assertTrue(CARTPOLE_OBS.contains(CARTPOLE_OBS.sample(new SplittableRandom(3))));
    // Unbounded dimensions draw from a normal: over many samples both signs show up.
    double[] lowHigh = new double[2];
    SplittableRandom rng = new SplittableRandom(9);
    for (int i = 0; i < 200; i++) {
      float v = ((float[]) CARTPOLE_OBS.sample(rng))[1];
      lowHigh[0] = Math.min(lowHigh[0], v);
      lowHigh[1] = Math.max(lowHigh[1], v);
    }
    assertTrue(lowHigh[0] < -1 && lowHigh[1] > 1);
  }

  @Test
  void integerBoxSamplesCoverBothBounds() {
    Box b = Box.of(DType.INT32, 0, 2, 1);
    SplittableRandom rng = new SplittableRandom(1);
    int[] seen = new int[3];
    for (int i = 0; i < 300; i++) {
      seen[((int[]) b.sample(rng))[0]]++;
    }
    assertTrue(seen[0] > 50 && seen[1] > 50 && seen[2] > 50, java.util.Arrays.toString(seen));
  }

  @Test
  void dictSortsKeysAsGymnasiumDoes() {
    assertEquals(List.of("extra", "flags", "mode", "pixels"), List.copyOf(composite().spaces().keySet()));
  }

  @Test
  void flattenFollowsGymnasium() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("pixels", new byte[] {1, 2, 3, 4, 5, 6});
    v.put("mode", 3);
    v.put("flags", new byte[] {1, 0, 1});
    v.put("extra", List.of(new long[] {1, 4}, new long[] {-3, 2}));
    double[] flat = composite().flatten(v);
    // extra: MultiDiscrete(2,5) one-hots [0,1 | 0,0,0,0,1], Box [-3,2]; flags; mode one-hot of 4 (start 1); pixels
    assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0, 1, -3, 2, 1, 0, 1, 0, 0, 1, 0, 1, 2, 3, 4, 5, 6}, flat);
    assertEquals(flat.length, composite().flatDim());
    List<Feature> f = composite().features();
    assertEquals(flat.length, f.size());
    assertEquals(new Feature("extra.0[1]=4", "", "extra"), f.get(6));
    assertEquals(new Feature("mode=3", "", "mode"), f.get(14));
    assertEquals(new Feature("pixels[2,1]", "", "pixels"), f.get(21));
  }

  @Test
  void jsonRoundTripsEverySpace() {
    for (Space s : List.of(CARTPOLE_OBS, composite(), new Discrete(2), new MultiBinary(2, 3))) {
      String json = SpaceJson.toJson(s);
      assertEquals(s, SpaceJson.fromJson(json), json);
    }
  }

  @Test
  void jsonUsesMinariKeysAndStandardJson() {
    String json = SpaceJson.toJson(CARTPOLE_OBS);
    assertTrue(json.startsWith("{\"type\":\"Box\",\"dtype\":\"float32\",\"shape\":[4],\"low\":[-4.8,\"-Infinity\","), json);
    assertEquals("{\"type\":\"Discrete\",\"dtype\":\"int64\",\"n\":2,\"start\":0}", SpaceJson.toJson(new Discrete(2)));
    String img = SpaceJson.toJson(Box.of(DType.UINT8, 0, 255, 2, 3));
    assertTrue(img.contains("\"low\":[[0,0,0],[0,0,0]]"), "bounds nest by shape: " + img);
  }

  @Test
  void malformedJsonNamesTheProblem() {
    assertEquals("Box space is missing 'shape'",
        assertThrows(IllegalArgumentException.class, () -> SpaceJson.fromJson("{\"type\":\"Box\"}")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SpaceJson.fromJson("{\"type\":\"Text\"}"))
        .getMessage().startsWith("unknown space type 'Text'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SpaceJson.fromJson("{nope"))
        .getMessage().startsWith("space is not valid JSON"));
  }

  @Test
  void boxRejectsInconsistentDefinitions() {
    assertThrows(IllegalArgumentException.class, () -> Box.float32(new double[] {1}, new double[] {0}));
    assertThrows(IllegalArgumentException.class, () -> CARTPOLE_OBS.withLabels("only one"));
    assertNotEquals(CARTPOLE_OBS, CARTPOLE_OBS.withUnits("", "", "", ""));
  }

  @Test
  void discreteLabelsNameTheValuesInFeaturesAndJson() {
    Discrete moves = new Discrete(3, 1).withLabels("stay", "left", "right");
    assertEquals(List.of("stay", "left", "right"),
        moves.features().stream().map(Feature::label).toList());
    assertEquals(List.of("=0", "=1"), new Discrete(2).features().stream().map(Feature::label).toList());
    String json = SpaceJson.toJson(moves);
    assertTrue(json.contains("\"labels\":[\"stay\",\"left\",\"right\"]"), json);
    assertEquals(moves, SpaceJson.fromJson(json));
    assertEquals(new Discrete(3, 1), SpaceJson.fromJson("{\"type\":\"Discrete\",\"dtype\":\"int64\",\"n\":3,\"start\":1}"));
    assertNotEquals(new Discrete(3, 1), moves, "labels are part of the space");
    // inside a Dict the label is prefixed with the key, with a dot
    assertEquals(List.of("mode.stay", "mode.left", "mode.right"),
        new Dict(Map.of("mode", moves)).features().stream().map(Feature::label).toList());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Discrete(3).withLabels("a", "b"));
    assertEquals("Discrete(3) needs 3 labels, got 2", e.getMessage());
    assertEquals("Discrete(3, start=1) [stay, left, right]", moves.toString());
  }
}
