package dev.rld.samples.viewer;

import static dev.rld.samples.viewer.ViewerPage.testid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.api.RldServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The hotspot list in a real headless Chromium on a trained CartPole agent's recording: the list
 * holds the server's hotspots in the server's order, a click goes to a hotspot's first step, N and
 * P go to the next and previous hotspot start, the timeline draws one mark per hotspot, and a note
 * added from the timeline is saved beside the recording, survives a reload, and is edited and
 * deleted from the list.
 */
class ViewerHotspotsTest {
  @TempDir
  static Path tmp;
  private static ServedViewer viewer;
  private static Browser browser;
  private static ViewerPage page;
  private static String id;

  @BeforeAll
  static void start() throws Exception {
    Path rec = ServedViewer.record(tmp, "cartpole-trained", "CartPole-v1", "trained", 2, 7);
    viewer = ServedViewer.start(tmp, RldServer.builder().recording(rec));
    browser = viewer.browser();
    page = viewer.page();
    id = viewer.id();
  }

  @AfterAll
  static void stop() throws IOException {
    if (viewer != null) {
      viewer.close();
    }
  }

  private static String hash(int episode, int step) {
    return "#/r/" + id + "/e/" + episode + "/s/" + step;
  }

  /** Opens episode {@code episode} at step 0 and waits for the list to be filled. */
  private static List<WebElement> openList(int episode) {
    page.open(hash(episode, 0));
    page.waitStep(0);
    browser.until("the hotspot list is done", d -> "done".equals(d.findElement(testid("hotspot-status")).getAttribute("data-state")));
    return page.browser().driver().findElements(testid("hotspot-item"));
  }

  private static String itemKey(WebElement item) {
    return item.getAttribute("data-kind") + ":" + item.getAttribute("data-from") + "-" + item.getAttribute("data-to");
  }

  /** The list's items as "kind:from-to text", read in one go (the list is redrawn as notes change). */
  @SuppressWarnings("unchecked")
  private static List<String> listed() {
    return (List<String>) browser.script("return [...document.querySelectorAll('[data-testid=hotspot-item]')]"
        + ".map(li => `${li.dataset.kind}:${li.dataset.from}-${li.dataset.to} ${li.textContent}`);");
  }

  @Test
  void theListHoldsTheServersHotspotsInOrderAndAClickGoesToOne() throws Exception {
    JsonNode answer = page.api("api/rollouts/" + id + "/episodes/0/hotspots");
    JsonNode hotspots = answer.get("hotspots");
    assertTrue(hotspots.size() >= 2, "the trained agent's episode has hotspots: " + hotspots);
    List<WebElement> items = openList(0);
    List<String> expected = new ArrayList<>();
    hotspots.forEach(h -> expected.add(h.get("kind").asText() + ":" + h.get("from").asInt() + "-" + h.get("to").asInt()));
    assertEquals(expected, items.stream().map(ViewerHotspotsTest::itemKey).toList());
    assertEquals(String.valueOf(hotspots.size()), page.find(testid("hotspot-count")).getText());
    // one mark per hotspot on the timeline, each starting at a hotspot's first step
    List<WebElement> marks = page.find(testid("timeline-marks")).findElements(By.cssSelector(".mark"));
    assertEquals(hotspots.size(), marks.size());
    TreeSet<Integer> starts = new TreeSet<>();
    hotspots.forEach(h -> starts.add(h.get("from").asInt()));
    marks.forEach(m -> assertTrue(starts.contains(Integer.parseInt(m.getAttribute("data-from")))));

    // a click on the second item goes to its first step and marks it as the current one
    WebElement second = items.get(1);
    int from = Integer.parseInt(second.getAttribute("data-from"));
    second.click();
    page.waitStep(from);
    browser.until("the clicked item is current", d -> d.findElements(testid("hotspot-item")).get(1)
        .getAttribute("class").contains("current"));
  }

  @Test
  void nAndPGoToTheNextAndPreviousHotspotStart() throws Exception {
    List<WebElement> items = openList(0);
    TreeSet<Integer> starts = new TreeSet<>();
    items.forEach(i -> starts.add(Integer.parseInt(i.getAttribute("data-from"))));
    int first = starts.higher(0) != null ? starts.higher(0) : starts.first();
    WebElement body = page.find(By.tagName("body"));
    body.sendKeys("n");
    page.waitStep(first);
    Integer second = starts.higher(first);
    assertTrue(second != null, "at least two hotspot starts after step 0: " + starts);
    body.sendKeys("n");
    page.waitStep(second);
    body.sendKeys("p");
    page.waitStep(first);
    // past the last start N stays where it is
    int lastStart = starts.last();
    page.scrubTo(lastStart);
    page.waitStep(lastStart);
    body.sendKeys("n");
    body.sendKeys(Keys.ARROW_LEFT);
    page.waitStep(lastStart - 1);
  }

  @Test
  void aNoteAddedFromTheTimelineIsSavedEditedAndDeleted() throws Exception {
    int before = openList(1).size();
    page.scrubTo(12);
    page.waitStep(12);
    page.find(testid("note-add")).click();
    WebElement dialog = page.find(testid("note-dialog"));
    assertTrue(dialog.isDisplayed());
    assertEquals("12", page.find(testid("note-from")).getAttribute("value"));
    WebElement to = page.find(testid("note-to"));
    to.sendKeys(Keys.chord(Keys.CONTROL, "a"), "20");
    page.find(testid("note-title")).sendKeys("pole starts to fall");
    page.find(testid("note-text")).sendKeys("cart too slow");
    page.find(testid("note-save")).click();
    browser.until("the dialog closes", d -> !d.findElement(testid("note-dialog")).isDisplayed());

    // saved beside the recording: the API has it, and a reload lists it first
    JsonNode saved = page.api("api/rollouts/" + id + "/annotations?episode=1").get("annotations");
    assertEquals(1, saved.size());
    assertEquals("pole starts to fall", saved.get(0).get("title").asText());
    assertEquals(12, saved.get(0).get("from").asInt());
    assertEquals(20, saved.get(0).get("to").asInt());
    assertEquals("cart too slow", saved.get(0).get("note").asText());
    List<WebElement> items = openList(1);
    assertEquals(before + 1, items.size());
    assertEquals("note:12-20", itemKey(items.get(0)));
    assertTrue(items.get(0).getText().contains("pole starts to fall"), items.get(0).getText());

    // a wrong range is refused in the form, which keeps what was typed
    items.get(0).findElement(testid("note-edit")).click();
    WebElement title = page.find(testid("note-title"));
    assertEquals("pole starts to fall", title.getAttribute("value"));
    WebElement from = page.find(testid("note-from"));
    from.sendKeys(Keys.chord(Keys.CONTROL, "a"), "30");
    page.find(testid("note-save")).click();
    browser.until("the form names the wrong range", d -> d.findElement(testid("note-message")).getText().contains("steps go from 0"));
    from.sendKeys(Keys.chord(Keys.CONTROL, "a"), "14");
    title.sendKeys(Keys.chord(Keys.CONTROL, "a"), "pole falls");
    page.find(testid("note-save")).click();
    browser.until("the edited note is listed", d -> listed().stream().anyMatch(i -> i.startsWith("note:14-20 pole falls")));
    JsonNode edited = page.api("api/rollouts/" + id + "/annotations?episode=1").get("annotations");
    assertEquals(1, edited.size());
    assertEquals("pole falls", edited.get(0).get("title").asText());
    assertEquals(14, edited.get(0).get("from").asInt());
    // deleted from the list's edit form: gone from the page and from the sidecar
    page.find(testid("hotspot-list")).findElements(testid("hotspot-item")).get(0).findElement(testid("note-edit")).click();
    page.find(testid("note-delete")).click();
    browser.until("the note is gone", d -> listed().stream().noneMatch(i -> i.startsWith("note:")));
    assertEquals(0, page.api("api/rollouts/" + id + "/annotations?episode=1").get("annotations").size());
    assertFalse(openList(1).stream().anyMatch(i -> "note".equals(i.getAttribute("data-kind"))));
  }
}
