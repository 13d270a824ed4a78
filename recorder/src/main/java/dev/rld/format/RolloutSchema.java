package dev.rld.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rld.space.Feature;
import dev.rld.space.Space;
import dev.rld.space.SpaceJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The column layout and schema metadata of format version 1 (docs/format.md): built here for the
 * writer and checked here for the reader, so the two cannot drift apart.
 */
final class RolloutSchema {
  static final String FORMAT_VERSION = "1.1";
  static final int FORMAT_MAJOR = 1;

  static final String EPISODE_ID = "episode_id";
  static final String OBSERVATIONS = "observations";
  static final String ACTIONS = "actions";
  static final String REWARDS = "rewards";
  static final String TERMINATIONS = "terminations";
  static final String TRUNCATIONS = "truncations";
  static final String INFOS = "infos";
  static final String PROBABILITIES = "action_probabilities";
  static final String LOGITS = "action_logits";
  static final String VALUE = "value";
  static final String SCALARS = "scalars";

  static final String KEY_FORMAT_VERSION = "rld.format_version";
  static final String KEY_ENV_ID = "rld.env_id";
  static final String KEY_OBSERVATION_SPACE = "rld.observation_space";
  static final String KEY_ACTION_SPACE = "rld.action_space";
  static final String KEY_FEATURES = "rld.features";
  static final String KEY_RECORDER_VERSION = "rld.recorder_version";
  static final String KEY_CREATED = "rld.created";
  static final String KEY_METADATA = "rld.metadata";
  /**
   * Reserved member of an episode's first {@code infos} object: {@code {"seed": …, "options": …}}
   * as given to reset. Kept in the data, not only in the footer, so a crash does not lose it.
   */
  static final String RESET_INFO_KEY = "rld.reset";
  /** Footer metadata: the episode index the writer leaves on close (see {@link EpisodeIndex}). */
  static final String KEY_INDEX = "rld.index";
  /** Footer metadata (1.1): the CRC32C of the UTF-8 bytes of {@link #KEY_INDEX}'s value, in decimal. */
  static final String KEY_INDEX_CRC = "rld.index_crc32c";

  static final ObjectMapper JSON = new ObjectMapper();

  private RolloutSchema() {}

  static String recorderVersion() {
    String v = RolloutSchema.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** The schema of a new file; agent-output columns are those {@code first} carries. */
  static Schema build(RolloutHeader h, AgentOutput first) {
    List<Field> fields = new ArrayList<>();
    fields.add(new Field(EPISODE_ID, FieldType.notNullable(new ArrowType.Int(32, true)), null));
    fields.add(SpaceCodec.of(h.observationSpace()).field(OBSERVATIONS));
    fields.add(SpaceCodec.of(h.actionSpace()).field(ACTIONS));
    fields.add(Field.nullable(REWARDS, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)));
    fields.add(Field.nullable(TERMINATIONS, ArrowType.Bool.INSTANCE));
    fields.add(Field.nullable(TRUNCATIONS, ArrowType.Bool.INSTANCE));
    fields.add(Field.nullable(INFOS, ArrowType.Utf8.INSTANCE));
    if (first.probabilities() != null) {
      fields.add(floatList(PROBABILITIES, first.probabilities().length));
    }
    if (first.logits() != null) {
      fields.add(floatList(LOGITS, first.logits().length));
    }
    if (first.value() != null) {
      fields.add(Field.nullable(VALUE, new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));
    }
    if (!first.scalars().isEmpty()) {
      List<Field> kids = new ArrayList<>();
      first.scalars().keySet().stream().sorted().forEach(k ->
          kids.add(Field.nullable(k, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE))));
      fields.add(new Field(SCALARS, FieldType.nullable(ArrowType.Struct.INSTANCE), kids));
    }
    return new Schema(fields, metadata(h));
  }

  private static Field floatList(String name, int n) {
    Field item = Field.nullable("item", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE));
    return new Field(name, FieldType.nullable(new ArrowType.FixedSizeList(n)), List.of(item));
  }

  private static Map<String, String> metadata(RolloutHeader h) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(KEY_FORMAT_VERSION, h.formatVersion());
    m.put(KEY_ENV_ID, h.envId());
    m.put(KEY_OBSERVATION_SPACE, SpaceJson.toJson(h.observationSpace()));
    m.put(KEY_ACTION_SPACE, SpaceJson.toJson(h.actionSpace()));
    ObjectNode features = JSON.createObjectNode();
    features.set(OBSERVATIONS, featureJson(h.observationSpace().features()));
    features.set(ACTIONS, featureJson(h.actionSpace().features()));
    m.put(KEY_FEATURES, features.toString());
    m.put(KEY_RECORDER_VERSION, h.recorderVersion());
    m.put(KEY_CREATED, h.created());
    ObjectNode user = JSON.createObjectNode()
        .put("title", h.metadata().title())
        .put("description", h.metadata().description())
        .put("agent", h.metadata().agent());
    user.set("extra", JSON.valueToTree(h.metadata().extra()));
    m.put(KEY_METADATA, user.toString());
    return m;
  }

  private static ArrayNode featureJson(List<Feature> features) {
    ArrayNode a = JSON.createArrayNode();
    features.forEach(f -> a.addObject().put("label", f.label()).put("unit", f.unit()).put("group", f.group()));
    return a;
  }

  /** Reads and checks the header of a file's schema; anything off fails naming the problem. */
  static RolloutHeader parseHeader(Schema schema, Path file) throws InvalidRolloutException {
    Map<String, String> m = schema.getCustomMetadata() == null ? Map.of() : schema.getCustomMetadata();
    String version = m.get(KEY_FORMAT_VERSION);
    if (version == null) {
      throw new InvalidRolloutException(file, "not an rld rollout: the schema metadata has no '"
          + KEY_FORMAT_VERSION + "' (columns: " + columnNames(schema) + ")");
    }
    int major;
    try {
      major = Integer.parseInt(version.split("\\.")[0]);
    } catch (NumberFormatException e) {
      throw new InvalidRolloutException(file, "format version '" + version + "' is not of the form MAJOR.MINOR");
    }
    if (major != FORMAT_MAJOR) {
      throw new InvalidRolloutException(file, "format version " + version
          + " is not supported by this reader (it reads " + FORMAT_MAJOR + ".x)");
    }
    Space obs = space(m, KEY_OBSERVATION_SPACE, file);
    Space act = space(m, KEY_ACTION_SPACE, file);
    checkColumn(schema, SpaceCodec.of(obs).field(OBSERVATIONS), file);
    checkColumn(schema, SpaceCodec.of(act).field(ACTIONS), file);
    checkColumn(schema, new Field(EPISODE_ID, FieldType.nullable(new ArrowType.Int(32, true)), null), file);
    checkColumn(schema, Field.nullable(REWARDS, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), file);
    checkColumn(schema, Field.nullable(TERMINATIONS, ArrowType.Bool.INSTANCE), file);
    checkColumn(schema, Field.nullable(TRUNCATIONS, ArrowType.Bool.INSTANCE), file);
    checkOptionalColumns(schema, file);
    checkAgentWidths(schema, act, file);
    RolloutMetadata user = userMetadata(m.get(KEY_METADATA), file);
    return new RolloutHeader(version, m.getOrDefault(KEY_ENV_ID, ""), obs, act, user,
        m.getOrDefault(KEY_RECORDER_VERSION, ""), m.getOrDefault(KEY_CREATED, ""));
  }

  /** Whether files of {@code version} carry checksums (1.1 and later minor versions). */
  static boolean hasChecksums(String version) {
    String[] parts = version.split("\\.");
    try {
      return parts.length > 1 && Integer.parseInt(parts[1]) >= 1;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** An {@code infos} cell as the user gave it: the reserved reset entry removed. */
  static Map<String, Object> userInfo(byte[] json) throws IOException {
    JsonNode n = JSON.readTree(json);
    if (n == null || n.isNull()) {
      return Map.of();
    }
    if (!n.isObject()) {
      throw new IOException("an infos cell is not a JSON object");
    }
    ((ObjectNode) n).remove(RESET_INFO_KEY);
    return JSON.convertValue(n, INFO_MAP);
  }

  /** The seed in an episode's first {@code infos} cell, or null. */
  static Long resetSeed(byte[] json) throws IOException {
    Long plain = InfoJson.plainSeed(json);
    if (plain != null) {
      return plain;
    }
    JsonNode seed = JSON.readTree(json).path(RESET_INFO_KEY).path("seed");
    return seed.isIntegralNumber() ? seed.asLong() : null;
  }

  private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> INFO_MAP =
      new com.fasterxml.jackson.core.type.TypeReference<>() {};

  private static Space space(Map<String, String> m, String key, Path file) throws InvalidRolloutException {
    String json = m.get(key);
    if (json == null) {
      throw new InvalidRolloutException(file, "schema metadata has no '" + key + "'");
    }
    try {
      return SpaceJson.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new InvalidRolloutException(file, "'" + key + "' is not a valid space: " + e.getMessage());
    }
  }

  private static RolloutMetadata userMetadata(String json, Path file) throws InvalidRolloutException {
    if (json == null) {
      return RolloutMetadata.empty();
    }
    try {
      JsonNode n = JSON.readTree(json);
      Map<String, Object> extra = n.has("extra") ? JSON.convertValue(n.get("extra"), Map.class) : new HashMap<>();
      return new RolloutMetadata(n.path("title").asText(""), n.path("description").asText(""),
          n.path("agent").asText(""), extra);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new InvalidRolloutException(file, "'" + KEY_METADATA + "' is not valid JSON");
    }
  }

  /** Optional columns, when present, must have the types the spec gives them. */
  private static void checkOptionalColumns(Schema schema, Path file) throws InvalidRolloutException {
    for (Field f : schema.getFields()) {
      Field expected = switch (f.getName()) {
        case INFOS -> Field.nullable(INFOS, ArrowType.Utf8.INSTANCE);
        case PROBABILITIES, LOGITS -> f.getType() instanceof ArrowType.FixedSizeList l
            ? floatList(f.getName(), l.getListSize()) : floatList(f.getName(), 1);
        case VALUE -> Field.nullable(VALUE, new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE));
        case SCALARS -> new Field(SCALARS, FieldType.nullable(ArrowType.Struct.INSTANCE),
            f.getChildren().stream().map(c ->
                Field.nullable(c.getName(), new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE))).toList());
        default -> null;
      };
      if (expected != null) {
        checkColumn(schema, expected, file);
      }
    }
  }

  /**
   * Probabilities and logits have one entry per action: K = n for Discrete(n), sum(nvec) for
   * MultiDiscrete; for other action spaces (layout unspecified) K may not exceed the bound on
   * flat spaces. A wrong K would otherwise surface as a misread distribution, or cost K floats a
   * row of memory for a width a tiny file merely claims.
   */
  private static void checkAgentWidths(Schema schema, Space action, Path file) throws InvalidRolloutException {
    Long k = action instanceof dev.rld.space.Discrete d ? Long.valueOf(d.n())
        : action instanceof dev.rld.space.MultiDiscrete m ? Long.valueOf(java.util.Arrays.stream(m.nvec()).sum())
        : null;
    for (Field f : schema.getFields()) {
      if ((f.getName().equals(PROBABILITIES) || f.getName().equals(LOGITS))
          && f.getType() instanceof ArrowType.FixedSizeList l) {
        int width = l.getListSize();
        if (k != null && width != k) {
          throw new InvalidRolloutException(file, "column '" + f.getName() + "' has " + width
              + " entries per row but the action space " + action + " has " + k + " actions");
        }
        if (width > SpaceJson.MAX_FLAT_DIM) {
          throw new InvalidRolloutException(file, "column '" + f.getName() + "' has " + width
              + " entries per row, more than the " + SpaceJson.MAX_FLAT_DIM + " the format allows");
        }
      }
    }
  }

  private static void checkColumn(Schema schema, Field expected, Path file) throws InvalidRolloutException {
    Field actual;
    try {
      actual = schema.findField(expected.getName());
    } catch (IllegalArgumentException e) {
      actual = null;
    }
    if (actual == null) {
      throw new InvalidRolloutException(file, "missing column '" + expected.getName()
          + "' (columns: " + columnNames(schema) + ")");
    }
    if (!sameType(actual, expected)) {
      throw new InvalidRolloutException(file, "column '" + expected.getName() + "' has type "
          + SpaceCodec.describe(actual) + " but the recorded space needs " + SpaceCodec.describe(expected));
    }
  }

  /** Same Arrow type tree; nullability and list item names (writers differ) do not matter. */
  static boolean sameType(Field actual, Field expected) {
    if (!actual.getType().equals(expected.getType())
        || actual.getChildren().size() != expected.getChildren().size()) {
      return false;
    }
    if (expected.getType() instanceof ArrowType.Struct) {
      for (Field e : expected.getChildren()) {
        Field a = actual.getChildren().stream().filter(c -> c.getName().equals(e.getName())).findFirst().orElse(null);
        if (a == null || !sameType(a, e)) {
          return false;
        }
      }
      return true;
    }
    for (int i = 0; i < expected.getChildren().size(); i++) {
      if (!sameType(actual.getChildren().get(i), expected.getChildren().get(i))) {
        return false;
      }
    }
    return true;
  }

  private static String columnNames(Schema schema) {
    return schema.getFields().stream().map(Field::getName).toList().toString();
  }
}
