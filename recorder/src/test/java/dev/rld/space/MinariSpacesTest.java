package dev.rld.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MinariSpacesTest {
  // Minari 0.5.3's serialize_space(CartPole-v1 observation_space), as in its datasets' metadata.
  static final String CARTPOLE_OBS = "{\"type\": \"Box\", \"dtype\": \"float32\", \"shape\": [4], "
      + "\"low\": [-4.800000190734863, -Infinity, -0.41887903213500977, -Infinity], "
      + "\"high\": [4.800000190734863, Infinity, 0.41887903213500977, Infinity]}";
  static final String CARTPOLE_ACT = "{\"type\": \"Discrete\", \"dtype\": \"int64\", \"start\": 0, \"n\": 2}";

  @Test
  void cartPoleSpacesParseAndSerialiseByteForByte() {
    Box obs = (Box) MinariSpaces.fromMinariJson(CARTPOLE_OBS);
    assertEquals(DType.FLOAT32, obs.dtype());
    assertArrayEquals(new int[] {4}, obs.shape());
    assertEquals(Double.NEGATIVE_INFINITY, obs.low()[1]);
    assertEquals((float) 4.8, (float) obs.high()[0]);
    assertEquals(CARTPOLE_OBS, MinariSpaces.toMinariJson(obs));
    assertEquals(new Discrete(2), MinariSpaces.fromMinariJson(CARTPOLE_ACT));
    assertEquals(CARTPOLE_ACT, MinariSpaces.toMinariJson(new Discrete(2)));
  }

  @Test
  void everyKindRoundTripsInMinariKeyOrder() {
    String scalar = "{\"type\": \"Box\", \"dtype\": \"float32\", \"shape\": [], \"low\": -1.0, \"high\": 4.0}";
    String image = "{\"type\": \"Box\", \"dtype\": \"uint8\", \"shape\": [2, 1, 3], "
        + "\"low\": [[[0, 0, 0]], [[0, 0, 0]]], \"high\": [[[255, 255, 255]], [[255, 255, 255]]]}";
    String md = "{\"type\": \"MultiDiscrete\", \"dtype\": \"int64\", \"nvec\": [3, 2], \"start\": [0, 1]}";
    String mb = "{\"type\": \"MultiBinary\", \"n\": 10}";
    String mb2 = "{\"type\": \"MultiBinary\", \"n\": [2, 3]}";
    String discrete = "{\"type\": \"Discrete\", \"dtype\": \"int64\", \"start\": -1, \"n\": 5}";
    String dict = "{\"type\": \"Dict\", \"subspaces\": {\"goal\": " + discrete + ", \"position\": "
        + "{\"type\": \"Box\", \"dtype\": \"float64\", \"shape\": [2], \"low\": [-1e-05, 0.0001], "
        + "\"high\": [1e+16, 1234567890123456.0]}}}";
    String tuple = "{\"type\": \"Tuple\", \"subspaces\": [" + mb + ", " + md + "]}";
    for (String json : new String[] {scalar, image, md, mb, mb2, discrete, dict, tuple}) {
      assertEquals(json, MinariSpaces.toMinariJson(MinariSpaces.fromMinariJson(json)), json);
    }
    assertEquals(new MultiDiscrete(new long[] {3, 2}, new long[] {0, 1}), MinariSpaces.fromMinariJson(md));
    assertEquals(new MultiBinary(2, 3), MinariSpaces.fromMinariJson(mb2));
    Map<String, Space> m = new LinkedHashMap<>();
    m.put("position", Box.of(DType.FLOAT64, new double[] {-1e-5, 1e-4}, new double[] {1e16, 1234567890123456.0}));
    m.put("goal", new Discrete(5, -1));
    assertEquals(new Dict(m), MinariSpaces.fromMinariJson(dict));
  }

  @Test
  void dictKeysAreEscapedAsJsonDumpsDoes() {
    Dict d = new Dict(Map.of("caf\u00e9 \"x\"", new Discrete(2)));
    assertEquals("{\"type\": \"Dict\", \"subspaces\": {\"caf\\u00e9 \\\"x\\\"\": " + CARTPOLE_ACT + "}}",
        MinariSpaces.toMinariJson(d));
  }

  @Test
  void pythonFloatReprMatchesPython() {
    // Values checked against CPython 3's repr().
    assertEquals("9.999999747378752e-06", MinariSpaces.pythonFloat((float) 1e-5));
    assertEquals("1e+16", MinariSpaces.pythonFloat(1e16));
    assertEquals("123456789.0", MinariSpaces.pythonFloat(123456789.0));
    assertEquals("1.5e-07", MinariSpaces.pythonFloat(1.5e-7));
    assertEquals("0.1", MinariSpaces.pythonFloat(0.1));
    assertEquals("-0.0", MinariSpaces.pythonFloat(-0.0));
    assertEquals("2e-323", MinariSpaces.pythonFloat(2e-323));
    assertEquals("1.7976931348623157e+308", MinariSpaces.pythonFloat(Double.MAX_VALUE));
  }

  @Test
  void unsupportedSpacesFailNamingThem() {
    String text = "{\"type\": \"Dict\", \"subspaces\": {\"msg\": "
        + "{\"type\": \"Text\", \"max_length\": 10, \"min_length\": 1, \"charset\": \"abc\"}}}";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MinariSpaces.fromMinariJson(text));
    assertTrue(e.getMessage().contains("Text space at space['msg']"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> MinariSpaces.fromMinariJson(
        "{\"type\": \"Box\", \"dtype\": \"bool\", \"shape\": [1], \"low\": [false], \"high\": [true]}"));
    assertTrue(e.getMessage().contains("'bool'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> MinariSpaces.fromMinariJson("{\"type\": \"Graph\"}"));
    assertTrue(e.getMessage().contains("Graph"), e.getMessage());
  }
}
