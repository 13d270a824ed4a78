package dev.rld.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

/**
 * Gives a file that a killed recorder left without its Arrow footer the footer it lacks, so that
 * any Arrow reader (Arrow JS, pyarrow) opens it, not only ours. What is kept is exactly what
 * {@link Rollout#open} recovers: the schema, every complete record batch (byte for byte) and the
 * episode index rebuilt from them, the cut-off last episode still marked incomplete. The new file
 * is written beside the original and renamed over it atomically, so a crash during repair leaves
 * the original as it was. Only for files whose recorder is gone: a file that grows during the
 * repair is refused.
 */
public final class RolloutRepair {
  private static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);

  /**
   * What a repair did.
   *
   * @param repaired false when the file needed no repair and was left untouched
   * @param recovery what was kept and dropped; null when the file was left untouched
   */
  public record Result(Path file, boolean repaired, RecoveryReport recovery) {
    /** One line for users and logs. */
    public String describe() {
      if (!repaired) {
        return file + ": closed properly (it has its Arrow footer): left untouched";
      }
      RecoveryReport r = recovery;
      return file + ": repaired: kept " + r.batchesRecovered() + " record batches, "
          + r.completeEpisodes() + " complete and " + r.partialEpisodes() + " partial episodes ("
          + r.stepsRecovered() + " steps); dropped " + r.bytesDropped() + " bytes of an unfinished batch";
    }
  }

  /** Where a repair can be made to fail, for tests of what a crash during repair leaves. */
  interface FailurePoint {
    void reached(String stage) throws IOException;
  }

  private RolloutRepair() {}

  /**
   * Repairs {@code file} in place when it has no footer; leaves it untouched when it has one.
   *
   * @throws InvalidRolloutException when the file cannot be read even by recovery
   * @throws IOException when the repaired file cannot be written; the original is then unchanged
   */
  public static Result repair(Path file) throws IOException {
    return repair(file, stage -> {});
  }

  static Result repair(Path file, FailurePoint failure) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    try (RootAllocator allocator = new RootAllocator();
        RolloutFile rollout = RolloutFile.open(file, allocator);
        FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      if (rollout.recovery == null) {
        return new Result(file, false, null);
      }
      long size = in.size();
      // Hidden, and in the same directory so that the rename is atomic (one file system).
      Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".repair");
      try {
        writeRepaired(rollout, in, temp, failure);
        failure.reached("rename");
        if (in.size() != size) {
          throw new IOException(file + ": the file grew during the repair: is its recorder still running?");
        }
        copyPermissions(file, temp);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(temp);
        throw e;
      }
      syncDirectory(dir);
      return new Result(file, true, rollout.recovery);
    }
  }

  /**
   * The file as RolloutWriter would have closed it: magic, the schema message, every recovered
   * block copied as is, the end-of-stream marker and a footer whose index carries the CRC32C of
   * the schema message and of each block (format 1.1), so that the repaired file is checked as
   * strictly as any other.
   */
  private static void writeRepaired(RolloutFile rollout, FileChannel in, Path temp, FailurePoint failure)
      throws IOException {
    EpisodeIndex recovered = rollout.index;
    EpisodeIndex index = new EpisodeIndex();
    List<ArrowBlock> blocks = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
        WriteChannel out = new WriteChannel(channel)) {
      out.write(MAGIC);
      out.align();
      // A file starts with the magic; an IPC stream (no magic) has its schema at byte 0.
      ByteBuffer head = IpcMessages.read(in, 0, 6);
      long schemaAt = head.equals(ByteBuffer.wrap(MAGIC)) ? 8 : 0;
      IpcMessages.Header schema = IpcMessages.readOrNull(rollout.path, in, schemaAt, in.size());
      ByteBuffer schemaBytes = IpcMessages.read(in, schemaAt, (int) (schema.end() - schemaAt));
      index.schemaCrc = Crc.of(schemaBytes.slice(0, schema.metadataLength()));
      out.write(schemaBytes);
      for (int b = 0; b < rollout.blocks.size(); b++) {
        ArrowBlock block = rollout.blocks.get(b);
        ByteBuffer bytes = IpcMessages.read(in, block.getOffset(),
            (int) (block.getMetadataLength() + block.getBodyLength()));
        index.addBatch(recovered.batchRows(b), Crc.of(bytes.duplicate()));
        blocks.add(new ArrowBlock(out.getCurrentPosition(), block.getMetadataLength(), block.getBodyLength()));
        out.write(bytes);
        failure.reached("batch " + b);
      }
      recovered.episodes().forEach(index::addEpisode);
      Map<String, String> footer = new HashMap<>();
      String indexJson = index.toJson();
      footer.put(RolloutSchema.KEY_INDEX, indexJson);
      footer.put(RolloutSchema.KEY_INDEX_CRC,
          Long.toString(Crc.of(ByteBuffer.wrap(indexJson.getBytes(StandardCharsets.UTF_8)))));
      // As ArrowFileWriter ends a file: end-of-stream marker, footer, its length, the magic.
      out.writeIntLittleEndian(MessageSerializer.IPC_CONTINUATION_TOKEN);
      out.writeIntLittleEndian(0);
      long footerStart = out.getCurrentPosition();
      out.write(new ArrowFooter(rollout.fileSchema, List.of(), blocks, footer), false);
      out.writeIntLittleEndian((int) (out.getCurrentPosition() - footerStart));
      out.write(MAGIC);
      failure.reached("fsync");
      channel.force(true);
    }
  }

  /** The temp file is created owner-only; the repaired file keeps the original's permissions. */
  private static void copyPermissions(Path from, Path to) throws IOException {
    try {
      Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the default permissions will do.
    }
  }

  /** Makes the rename durable; some platforms cannot open a directory, and then it is skipped. */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // The rename happened; only its durability across a power cut is not guaranteed here.
    }
  }
}
