package dev.rld.samples.viewer;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** What a screenshot of a scene shows: colours, drawn pixels, where a colour is. */
public final class Frames {
  private Frames() {}

  /** More than a few colours and more than a few pixels off the background: something is drawn. */
  public static boolean drawn(BufferedImage img) {
    return distinctColours(img) > 8 && nonBackground(img) > img.getWidth() * img.getHeight() / 200;
  }

  public static int distinctColours(BufferedImage img) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        colours.add(img.getRGB(x, y));
      }
    }
    return colours.size();
  }

  /** Pixels other than the most common colour (the background). */
  public static int nonBackground(BufferedImage img) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        counts.merge(img.getRGB(x, y), 1, Integer::sum);
      }
    }
    int background = counts.values().stream().max(Integer::compare).orElse(0);
    return img.getWidth() * img.getHeight() - background;
  }

  public static boolean differs(BufferedImage a, BufferedImage b) {
    if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
      return true;
    }
    int[] pa = a.getRGB(0, 0, a.getWidth(), a.getHeight(), null, 0, a.getWidth());
    int[] pb = b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth());
    return !Arrays.equals(pa, pb);
  }

  /** Whether pixel (x, y) is within {@code tolerance} of {@code rgb} (0xRRGGBB) in every channel. */
  public static boolean near(BufferedImage img, int x, int y, int rgb, int tolerance) {
    return close(img.getRGB(x, y), rgb, tolerance);
  }

  static boolean close(int argb, int rgb, int tolerance) {
    for (int shift = 0; shift <= 16; shift += 8) {
      if (Math.abs(((argb >> shift) & 0xff) - ((rgb >> shift) & 0xff)) > tolerance) {
        return false;
      }
    }
    return true;
  }

  /** The pixel's colour as "#rrggbb", for messages. */
  public static String hex(BufferedImage img, int x, int y) {
    return String.format("#%06x", img.getRGB(x, y) & 0xffffff);
  }

  /** The mean {x, y, count} of the pixels within {@code tolerance} of {@code rgb}; count 0 when none. */
  public static double[] centroid(BufferedImage img, int rgb, int tolerance) {
    double sx = 0;
    double sy = 0;
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if (close(img.getRGB(x, y), rgb, tolerance)) {
          sx += x;
          sy += y;
          n++;
        }
      }
    }
    return n == 0 ? new double[] {Double.NaN, Double.NaN, 0} : new double[] {sx / n, sy / n, n};
  }
}
