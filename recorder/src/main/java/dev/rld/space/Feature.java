package dev.rld.space;

/**
 * One element of a space's flat vector: its label ("cart position", "board[3,4]") and unit
 * (empty when the space gives none). {@code group} is the top-level Dict key or Tuple index the
 * element belongs to, or empty for spaces that are not composite; attribution treats a group as
 * one feature when asked to.
 */
public record Feature(String label, String unit, String group) {

  Feature prefixed(String key) {
    // "pos" + "[0]" reads as pos[0], "mode" + "=3" as mode=3, "pos" + "x" as pos.x
    boolean attaches = label.startsWith("[") || label.startsWith("=");
    String joined = attaches ? key + label : key + "." + label;
    // Prefixing runs from the innermost space outwards, so the last key is the top-level one.
    return new Feature(joined, unit, key);
  }
}
