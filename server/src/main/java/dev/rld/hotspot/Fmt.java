package dev.rld.hotspot;

import java.util.Locale;

/** Numbers as reasons show them: short, with their sign where it matters. */
final class Fmt {
  private Fmt() {}

  static String num(double x) {
    if (!Double.isFinite(x)) {
      return String.valueOf(x);
    }
    double a = Math.abs(x);
    if (a != 0 && (a >= 1e5 || a < 1e-3)) {
      return String.format(Locale.ROOT, "%.3g", x);
    }
    String s = String.format(Locale.ROOT, "%.3f", x);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s + "0" : s;
  }

  /** A score rounded to 4 decimals: more would be noise in an answer. */
  static double score(double x) {
    return Math.round(x * 1e4) / 1e4;
  }

  static String signed(double x) {
    return (x >= 0 ? "+" : "") + num(x);
  }

  static String steps(int from, int to) {
    return from == to ? "step " + from : "steps " + from + "–" + to;
  }
}
