package dev.rld.format;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** CRC32C (Castagnoli), the checksum of format 1.1: hardware-accelerated on x86 and ARM. */
final class Crc {
  private Crc() {}

  /** The CRC32C of the remaining bytes of {@code bytes} (its position is left unchanged). */
  static long of(ByteBuffer bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes.duplicate());
    return crc.getValue();
  }
}
