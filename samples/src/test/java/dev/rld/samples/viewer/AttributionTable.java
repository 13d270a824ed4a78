package dev.rld.samples.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Checks of the viewer's attribution table against the API's answer for the same step. */
final class AttributionTable {
  private AttributionTable() {}

  /**
   * Asserts that the attribution table on {@code page}, open at {@code step} of {@code episode}
   * ({@code rows} rows), shows one row per feature with the API's raw attribution for the panel's
   * default query, and beside each feature the observed value {@code observed} gives for its label;
   * for a Dict observation, each key's total row ({@code tr.group-total}) is the sum of the API's
   * raw attributions of that key's features.
   */
  static void assertMatchesApi(ViewerPage page, String id, int episode, int step, int rows,
      Map<String, Double> observed) throws Exception {
    // the panel's default query, for its window around the step (web/src/panels/attribution.js, tables.js)
    int from = Math.max(0, step - 32);
    int to = Math.min(rows, Math.max(step + 1, from + 2 * 32 + 1));
    JsonNode answer = page.api("api/rollouts/" + id + "/episodes/" + episode
        + "/attributions?method=ablation&target=picked&baseline=zero&normalize=all&from=" + from + "&to=" + to);
    JsonNode entry = null;
    for (JsonNode s : answer.get("steps")) {
      if (s.get("step").asInt() == step) {
        entry = s;
      }
    }
    assertNotNull(entry, "the API answers step " + step);
    assertEquals(1, entry.get("targets").size(), "target 'picked': one target");
    JsonNode raw = entry.get("targets").get(0).get("raw");
    Map<String, Double> expected = new HashMap<>();
    for (int i = 0; i < answer.get("features").size(); i++) {
      expected.put(answer.get("features").get(i).asText(), raw.get(i).asDouble());
    }
    assertEquals(observed.keySet(), expected.keySet(), "the API attributes the observation's features");

    // "computing…" gives way to the table
    page.browser().until("the attribution panel is ready",
        ExpectedConditions.attributeToBe(By.cssSelector(".attribution-panel"), "data-state", "ready"));
    List<WebElement> trs = page.browser().until("one attribution row per feature", d -> {
      List<WebElement> r = d.findElements(By.cssSelector("[data-testid=attribution-table] tbody tr[data-feature]"));
      return r.size() == expected.size() ? r : null;
    });
    Set<String> seen = new HashSet<>();
    for (WebElement tr : trs) {
      String label = tr.findElement(By.cssSelector("td.label")).getText();
      assertTrue(expected.containsKey(label), "a feature the API names: " + label);
      seen.add(label);
      WebElement cell = tr.findElement(By.cssSelector("td.raw"));
      double want = expected.get(label);
      String shown = cell.getText();
      assertEquals(want, Double.parseDouble(shown), displayedTolerance(shown), label + ": shown " + shown + ", API " + want);
      assertEquals(want, Double.parseDouble(cell.getAttribute("data-raw")), 0.0, label + " (unrounded)");
      String value = tr.findElement(By.cssSelector("td.value")).getText();
      assertEquals(observed.get(label), Double.parseDouble(value), displayedTolerance(value),
          label + ": the observed value beside it");
    }
    assertEquals(expected.keySet(), seen, "one row per feature");
    for (WebElement tr : page.browser().driver().findElements(
        By.cssSelector("[data-testid=attribution-table] tbody tr.group-total"))) {
      String key = tr.getAttribute("data-group");
      double sum = expected.entrySet().stream().filter(e -> e.getKey().startsWith(key + "["))
          .mapToDouble(Map.Entry::getValue).sum();
      assertTrue(expected.keySet().stream().anyMatch(l -> l.startsWith(key + "[")), "a key of the observation: " + key);
      assertEquals(sum, Double.parseDouble(tr.findElement(By.cssSelector("td.raw")).getAttribute("data-raw")), 1e-9,
          key + ": the total of its features");
    }
  }

  /** Half a unit of the last digit shown by the viewer's fmt (toFixed(4) or toExponential(3)). */
  static double displayedTolerance(String shown) {
    int e = shown.toLowerCase().indexOf('e');
    if (e >= 0) {
      return 0.5e-3 * Math.pow(10, Integer.parseInt(shown.substring(e + 1).replace("+", ""))) * 1.000001;
    }
    int dot = shown.indexOf('.');
    return dot < 0 ? 0 : 0.5 * Math.pow(10, -(shown.length() - dot - 1)) * 1.000001;
  }
}
