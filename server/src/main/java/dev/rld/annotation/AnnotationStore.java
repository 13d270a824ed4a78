package dev.rld.annotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The annotations of one recording, kept in the sidecar {@code NAME.annotations.json} beside
 * it (the recording itself is never written). Every change re-reads the file under a lock (one
 * per file in this JVM, and a file lock on {@code NAME.annotations.json.lock} against other
 * processes), changes it and replaces it atomically, so concurrent edits from requests or
 * servers never lose one another. A sidecar that cannot be read is reported and never
 * overwritten. Thread-safe.
 */
public final class AnnotationStore {
  /** Most annotations one recording may hold. */
  public static final int MAX_ANNOTATIONS = 10_000;
  static final String SUFFIX = ".annotations.json";
  static final String FORMAT = "rld.annotations";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Threads of one JVM must queue here: a file lock is held per JVM, not per thread. */
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private final Path file;
  private final Path lockFile;
  private final boolean mayWrite;

  /** What the sidecar holds now; {@code error} names what is wrong with a corrupt one (then the list is empty). */
  public record Snapshot(List<Annotation> annotations, int version, String error) {}

  /**
   * The store of the recording at {@code recording} (a file or a directory).
   *
   * @param mayWrite false to never write (the folder is shared, or tests want read-only)
   */
  public AnnotationStore(Path recording, boolean mayWrite) {
    this.file = pathFor(recording);
    this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
    this.mayWrite = mayWrite;
  }

  /**
   * The sidecar of a recording: {@code NAME.annotations.json} for a file {@code NAME.arrow} (any
   * extension is replaced), {@code DIR/rollout.annotations.json} for a directory.
   */
  public static Path pathFor(Path recording) {
    Path abs = recording.toAbsolutePath().normalize();
    if (Files.isDirectory(abs)) {
      return abs.resolve("rollout" + SUFFIX);
    }
    String name = abs.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return abs.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + SUFFIX);
  }

  /** The sidecar file. */
  public Path file() {
    return file;
  }

  /** Whether changes can be saved: writes are allowed and the sidecar's folder is writable. */
  public boolean writable() {
    return mayWrite && Files.isWritable(file.getParent());
  }

  /** The annotations as the sidecar holds them now (none when there is no sidecar). */
  public Snapshot read() {
    if (!Files.exists(file)) {
      return new Snapshot(List.of(), 0, null);
    }
    try {
      return parse(Files.readAllBytes(file));
    } catch (IOException | IllegalArgumentException e) {
      return new Snapshot(List.of(), 0, file.getFileName() + " cannot be read as annotations: " + e.getMessage()
          + "; it is left as it is (fix or remove it to annotate this recording)");
    }
  }

  /** Adds an annotation; returns it with its new id and times. */
  public Annotation create(Annotation.Fields fields) {
    Annotation[] made = new Annotation[1];
    change(list -> {
      if (list.size() >= MAX_ANNOTATIONS) {
        throw new AnnotationRefused(AnnotationRefused.Reason.FULL, "this recording already holds "
            + list.size() + " annotations, the most one may; delete some first");
      }
      String now = Instant.now().toString();
      made[0] = new Annotation(newId(list), fields.episode(), fields.from(), fields.to(), fields.title(),
          fields.note(), now, now);
      list.add(made[0]);
      return list;
    });
    return made[0];
  }

  /** Replaces the fields of annotation {@code id}; returns it as stored. */
  public Annotation update(String id, Annotation.Fields fields) {
    Annotation[] changed = new Annotation[1];
    change(list -> {
      int i = indexOf(list, id);
      changed[0] = list.get(i).with(fields, Instant.now().toString());
      list.set(i, changed[0]);
      return list;
    });
    return changed[0];
  }

  /** Removes annotation {@code id}. */
  public void delete(String id) {
    change(list -> {
      list.remove(indexOf(list, id));
      return list;
    });
  }

  private static int indexOf(List<Annotation> list, String id) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).id().equals(id)) {
        return i;
      }
    }
    throw new AnnotationRefused(AnnotationRefused.Reason.UNKNOWN, "no annotation has the id '"
        + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "'");
  }

  /** Read, change and write the sidecar under both locks. */
  private void change(UnaryOperator<List<Annotation>> edit) {
    if (!writable()) {
      throw readOnly();
    }
    ReentrantLock local = LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
    local.lock();
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      Snapshot now = read();
      if (now.error() != null) {
        throw new AnnotationRefused(AnnotationRefused.Reason.CORRUPT, now.error());
      }
      List<Annotation> list = edit.apply(new ArrayList<>(now.annotations()));
      write(list, now.version() + 1);
    } catch (AccessDeniedException e) {
      throw readOnly();
    } catch (IOException e) {
      throw new AnnotationRefused(AnnotationRefused.Reason.FAILED, "the annotations could not be saved to "
          + file.getFileName() + ": " + e.getMessage());
    } finally {
      local.unlock();
    }
  }

  private AnnotationRefused readOnly() {
    return new AnnotationRefused(AnnotationRefused.Reason.READ_ONLY, mayWrite
        ? "the folder " + file.getParent() + " is read-only, so " + file.getFileName() + " cannot be written"
        : "this server does not write annotations (it was started read-only)");
  }

  /** Writes a temporary file beside the sidecar and moves it over it: readers see the old or the new one. */
  private void write(List<Annotation> list, int version) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("formatVersion", "1.0");
    root.put("version", version);
    root.set("annotations", JSON.valueToTree(list));
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    Path tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        out.write(java.nio.ByteBuffer.wrap(bytes));
        out.force(true); // on disk before it replaces the old file: a crash leaves one or the other
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The sidecar's contents; throws IllegalArgumentException naming what is wrong. */
  static Snapshot parse(byte[] bytes) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("it is not valid JSON");
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException("it is not a JSON object with \"format\": \"" + FORMAT + "\"");
    }
    JsonNode items = root.get("annotations");
    if (!(items instanceof ArrayNode) || !root.path("version").isIntegralNumber()
        || !root.path("version").canConvertToInt()) {
      throw new IllegalArgumentException("it needs an integer \"version\" and an array \"annotations\"");
    }
    List<Annotation> out = new ArrayList<>();
    for (JsonNode a : items) {
      out.add(annotation(a, out.size()));
    }
    return new Snapshot(List.copyOf(out), root.get("version").intValue(), null);
  }

  private static Annotation annotation(JsonNode a, int i) {
    for (String f : List.of("episode", "from", "to")) {
      if (!a.path(f).isIntegralNumber() || !a.path(f).canConvertToInt()) {
        throw new IllegalArgumentException("annotation " + i + " has no integer \"" + f + "\"");
      }
    }
    for (String f : List.of("id", "title", "note", "created", "updated")) {
      if (!a.path(f).isTextual()) {
        throw new IllegalArgumentException("annotation " + i + " has no text \"" + f + "\"");
      }
    }
    return new Annotation(a.get("id").asText(), a.get("episode").intValue(), a.get("from").intValue(),
        a.get("to").intValue(), a.get("title").asText(), a.get("note").asText(), a.get("created").asText(),
        a.get("updated").asText());
  }

  /** A short random id (12 hex digits), unlike any in {@code list}. */
  private static String newId(List<Annotation> list) {
    while (true) {
      byte[] b = new byte[6];
      RANDOM.nextBytes(b);
      String id = HexFormat.of().formatHex(b);
      if (list.stream().noneMatch(a -> a.id().equals(id))) {
        return id;
      }
    }
  }
}
