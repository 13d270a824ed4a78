package dev.rld.samples.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.space.Space;
import dev.rld.space.SpaceJson;
import dev.rld.space.SpaceValues;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;

/**
 * The viewer of one server, as a user reaches it: pages by URL hash, the timeline, the scene's
 * canvas as drawn pixels, and the server's API for the expected values.
 */
public final class ViewerPage {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Browser browser;
  private final String base;

  /** {@code base}: the server's URL, ending in '/'. */
  public ViewerPage(Browser browser, String base) {
    this.browser = browser;
    this.base = base;
  }

  public Browser browser() {
    return browser;
  }

  public String base() {
    return base;
  }

  /** A fresh page load of the viewer at {@code hash} ("#/r/id/e/0/s/0"). */
  public void open(String hash) {
    browser.driver().get("about:blank");
    browser.driver().get(base + hash);
  }

  public static By testid(String id) {
    return By.cssSelector("[data-testid=\"" + id + "\"]");
  }

  public WebElement find(By by) {
    return browser.driver().findElement(by);
  }

  /** Waits until the timeline shows {@code step}. */
  public void waitStep(int step) {
    browser.until("the timeline shows step " + step, d -> {
      String shown = d.findElement(testid("step-label")).getAttribute("data-step");
      return String.valueOf(step).equals(shown);
    });
  }

  /** The step the timeline shows, or -1 before it shows one. */
  public int step() {
    String shown = find(testid("step-label")).getAttribute("data-step");
    return shown == null || shown.isEmpty() ? -1 : Integer.parseInt(shown);
  }

  /** Moves the timeline slider to {@code step} as a user's drag does (input, then change). */
  public void scrubTo(int step) {
    browser.script("arguments[0].value = arguments[1];"
        + "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
        + "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
        find(testid("timeline-slider")), String.valueOf(step));
  }

  /** Opens episode {@code episode} through the episode picker: types its index, clicks it in the dropdown. */
  public void pickEpisode(int episode) {
    WebElement search = find(testid("episode-search"));
    search.click();
    search.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"), String.valueOf(episode));
    browser.until("the picker lists episode " + episode, d -> d.findElements(
        By.cssSelector("[data-testid=episode-option][data-index=\"" + episode + "\"]")).stream()
        .filter(WebElement::isDisplayed).findFirst().orElse(null)).click();
  }

  /** The episode the picker shows as current. */
  public int pickedEpisode() {
    return Integer.parseInt(find(testid("episode-search")).getAttribute("data-episode"));
  }

  /** A screenshot of {@code element} (the scene's canvas, usually) as drawn on the page. */
  public static BufferedImage screenshot(WebElement element) {
    try {
      return ImageIO.read(new ByteArrayInputStream(element.getScreenshotAs(OutputType.BYTES)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The built-in scenes' canvas as drawn. */
  public BufferedImage canvas() {
    return screenshot(find(testid("scene-canvas")));
  }

  /** The canvas once it shows a drawing (the scene loads and renders asynchronously). */
  public BufferedImage waitDrawn() {
    return browser.until("the scene draws", d -> {
      BufferedImage img = canvas();
      return Frames.drawn(img) ? img : null;
    });
  }

  /** The canvas once it differs from {@code before}. */
  public BufferedImage waitFrameChangedFrom(BufferedImage before) {
    return browser.until("the drawn frame changes", d -> {
      BufferedImage img = canvas();
      return Frames.differs(before, img) ? img : null;
    });
  }

  /** GET {@code path} (relative to the server's URL) as JSON; anything but 200 is an error. */
  public JsonNode api(String path) throws IOException, InterruptedException {
    HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Browser.WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200 || res.body().isEmpty()) {
      throw new IllegalStateException(path + " answered " + res.statusCode() + ": " + res.body());
    }
    return JSON.readTree(res.body());
  }

  /** POST {@code body} (JSON) to {@code path} (relative to the server's URL); anything but 200 is an error. */
  public JsonNode apiPost(String path, String body) throws IOException, InterruptedException {
    HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Browser.WAIT)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      throw new IllegalStateException("POST " + path + " answered " + res.statusCode() + ": " + res.body());
    }
    return JSON.readTree(res.body());
  }

  /**
   * Row {@code row} of an episode's observations as the server flattens them (Gymnasium's
   * flatten, dev.rld.space), keyed and ordered by the served feature labels.
   */
  public Map<String, Double> flatObservation(String id, int episode, int row) throws IOException, InterruptedException {
    JsonNode metadata = api("api/rollouts/" + id);
    Space space = SpaceJson.fromTree(metadata.get("observationSpace"));
    JsonNode json = api("api/rollouts/" + id + "/episodes/" + episode + "/steps?from=" + row + "&to=" + (row + 1));
    double[] flat = space.flatten(SpaceValues.fromJson(space, json.get("observations").get(0)));
    JsonNode labels = metadata.get("features").get("observations");
    if (labels.size() != flat.length) {
      throw new IllegalStateException(labels.size() + " feature labels for " + flat.length + " flat values");
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < flat.length; i++) {
      out.put(labels.get(i).get("label").asText(), flat[i]);
    }
    return out;
  }
}
