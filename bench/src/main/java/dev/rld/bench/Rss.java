package dev.rld.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of a process from /proc (Linux): VmRSS now and VmHWM, its peak. */
final class Rss {
  private Rss() {}

  /** This JVM's "VmRSS X MB (peak VmHWM Y MB)". */
  static String self() {
    return of("self");
  }

  /** Another process's, e.g. a server started as a child JVM. */
  static String of(long pid) {
    return of(Long.toString(pid));
  }

  /** VmRSS in MB, or -1 when /proc cannot say (the process ended, or not Linux). */
  static long rssMb(long pid) {
    return kb(Long.toString(pid), "VmRSS:") / 1024;
  }

  private static String of(String pid) {
    long rss = kb(pid, "VmRSS:");
    long hwm = kb(pid, "VmHWM:");
    return rss < 0 ? "unknown" : String.format("%d MB (peak %d MB)", rss / 1024, hwm / 1024);
  }

  private static long kb(String pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
