package dev.rld.format;

/** Checks, once, that the JVM lets Arrow reach into java.nio, and says how to fix it if not. */
final class ArrowRuntime {
  private static final boolean OPEN =
      Object.class.getModule().isOpen("java.nio", ArrowRuntime.class.getModule());

  private ArrowRuntime() {}

  static void check() {
    if (!OPEN) {
      throw new IllegalStateException("Apache Arrow needs access to java.nio: start the JVM with "
          + "--add-opens=java.base/java.nio=ALL-UNNAMED (an executable jar can instead carry "
          + "'Add-Opens: java.base/java.nio' in its manifest)");
    }
  }
}
