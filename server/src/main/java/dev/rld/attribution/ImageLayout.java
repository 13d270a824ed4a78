package dev.rld.attribution;

import dev.rld.space.Box;
import dev.rld.space.Space;

/**
 * How an image-shaped Box observation lays out its pixels, for occlusion (docs/attributions.md):
 * {@code [H, W]}, channel-last {@code [H, W, C]} (Gymnasium's order for RGB and for
 * {@code [84, 84, 4]} stacks), or channel-first {@code [K, H, W]}: K ≤ {@value #MAX_STACK} stacked
 * frames, stack axis first, as Gymnasium's {@code FrameStackObservation} stacks grey frames. A
 * rank-3 shape is channel-first when its first dimension is at most {@value #MAX_STACK}, the other
 * two are at least {@value #MIN_SIDE} and the last is not 1, 3 or 4 (a channel-last grey, RGB or
 * RGBA image); otherwise it is channel-last. The viewer's image scene ({@code web/src/scenes/
 * pixels.js}) applies the same rule.
 *
 * @param channels C, or K for a channel-first stack (1 for {@code [H, W]})
 */
public record ImageLayout(int height, int width, int channels, boolean channelFirst) {
  /** Most frames a channel-first stack may have. */
  public static final int MAX_STACK = 8;
  /** Fewest pixels a side of a channel-first stack's frames may have. */
  public static final int MIN_SIDE = 16;

  /** The layout of {@code space}, or null when it is not an image-shaped Box. */
  public static ImageLayout of(Space space) {
    if (!(space instanceof Box box) || box.shape().length < 2 || box.shape().length > 3) {
      return null;
    }
    int[] s = box.shape();
    if (s.length == 2) {
      return new ImageLayout(s[0], s[1], 1, false);
    }
    boolean colour = s[2] == 1 || s[2] == 3 || s[2] == 4;
    if (!colour && s[0] <= MAX_STACK && s[1] >= MIN_SIDE && s[2] >= MIN_SIDE) {
      return new ImageLayout(s[1], s[2], s[0], true);
    }
    return new ImageLayout(s[0], s[1], s[2], false);
  }

  /** The flat (row-major) index of channel {@code ch} of pixel ({@code row}, {@code col}). */
  public int index(int row, int col, int ch) {
    return channelFirst ? (ch * height + row) * width + col : (row * width + col) * channels + ch;
  }
}
