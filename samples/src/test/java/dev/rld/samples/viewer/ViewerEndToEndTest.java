package dev.rld.samples.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.api.RldServer;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.cli.SamplesCli;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * The viewer in a real headless Chromium (through chromedriver), against a real server serving
 * a CartPole recording with the sample ONNX policy: start page, scene drawing, stepping,
 * scrubbing, episode picker, deep links, and the attribution table against the API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ViewerEndToEndTest {
  private static final String INSTALL = "apt-get install chromium chromium-driver";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** SwiftShader on two cores is slow: generous. */
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Without selenium-devtools (not needed here) Selenium warns that it has no CDP for this Chromium. */
  private static final java.util.logging.Logger CDP = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

  private static Path tmp;
  private static RldServer server;
  private static ChromeDriver driver;
  private static WebDriverWait wait;
  private static String base;
  private static String id;
  private static JsonNode episodes;

  @BeforeAll
  static void start() throws Exception {
    CDP.setLevel(java.util.logging.Level.SEVERE);
    File chromedriver = new File(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));
    File chromium = new File(System.getProperty("rld.e2e.chromium", "/usr/bin/chromium"));
    if (!chromedriver.canExecute()) {
      fail("the viewer's end-to-end test needs chromedriver at " + chromedriver + "; install it: " + INSTALL);
    }
    if (!chromium.canExecute()) {
      fail("the viewer's end-to-end test needs chromium at " + chromium + "; install it: " + INSTALL);
    }

    tmp = Files.createTempDirectory("rld-e2e");
    Path file = tmp.resolve("cartpole.arrow");
    int code = new CommandLine(new SamplesCli()).execute("record", "--env", "CartPole-v1", "--agent", "random",
        "--episodes", "3", "--seed", "1", "--out", file.toString());
    assertEquals(0, code, "recording CartPole");
    Policy policy = OnnxPolicy.load(Path.of("../models/cartpole/cartpole_mlp.onnx"), Policy.Output.LOGITS);
    server = RldServer.builder().recording(file, policy).port(0).start();
    base = server.url();
    id = server.ids().get(0);
    episodes = api("api/rollouts/" + id + "/episodes");
    assertEquals(3, episodes.size());
    assertTrue(episodes.get(1).get("length").asInt() > 7, "episode 1 is long enough for the deep link to step 7");

    // Explicit driver and browser: Selenium Manager must not try to download anything.
    System.setProperty("webdriver.chrome.driver", chromedriver.getPath());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments("--headless=new", "--no-sandbox", "--use-gl=swiftshader", "--enable-unsafe-swiftshader",
        "--disable-gpu-sandbox", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,900",
        "--user-data-dir=" + Files.createDirectory(tmp.resolve("chromium-profile")));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver)
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
    wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      if (server != null) {
        server.close();
      }
      if (tmp != null) {
        try (var walk = Files.walk(tmp)) {
          walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  @Test
  @Order(1)
  void theStartPageListsTheRecordingAndItsEpisodes() {
    open("#/");
    WebElement rollouts = wait.until(ExpectedConditions.visibilityOfElementLocated(testid("rollouts-table")));
    assertTrue(rollouts.findElement(By.linkText(id)).isDisplayed(), "the recording is listed");
    List<WebElement> rows = wait.until(d -> {
      List<WebElement> r = d.findElements(By.cssSelector("[data-testid=episodes-table] tbody tr"));
      return r.size() == 3 ? r : null;
    });
    for (int e = 0; e < 3; e++) {
      WebElement link = rows.get(e).findElement(By.tagName("a"));
      assertEquals("episode " + e, link.getText());
      assertTrue(link.getAttribute("href").endsWith("#/r/" + id + "/e/" + e + "/s/0"), link.getAttribute("href"));
      assertEquals(episodes.get(e).get("length").asText(), rows.get(e).findElements(By.tagName("td")).get(1).getText());
    }
  }

  @Test
  @Order(2)
  void theSceneDrawsAndSteppingChangesLabelAndFrame() {
    open("#/r/" + id + "/e/0/s/0");
    waitStep(0);
    BufferedImage first = waitDrawn();
    int distinct = distinctColours(first);
    assertTrue(distinct > 8, "the scene has more than a few colours: " + distinct);
    assertTrue(nonBackground(first) > first.getWidth() * first.getHeight() / 200,
        "the scene draws more than a few pixels");

    // the step-forward button
    driver.findElement(By.cssSelector("button[data-act=forward]")).click();
    waitStep(1);
    BufferedImage second = waitFrameChangedFrom(first);
    assertTrue(driver.getCurrentUrl().endsWith("/e/0/s/1"), driver.getCurrentUrl());

    // the → key
    new Actions(driver).sendKeys(Keys.ARROW_RIGHT).perform();
    waitStep(2);
    waitFrameChangedFrom(second);
    assertTrue(driver.getCurrentUrl().endsWith("/e/0/s/2"), driver.getCurrentUrl());
  }

  @Test
  @Order(3)
  void scrubbingMovesToTheStepAndThePickerSwitchesEpisode() {
    open("#/r/" + id + "/e/0/s/0");
    waitStep(0);
    int to = Math.min(5, episodes.get(0).get("length").asInt());
    WebElement slider = driver.findElement(testid("timeline-slider"));
    ((JavascriptExecutor) driver).executeScript(
        "arguments[0].value = arguments[1];"
            + "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
            + "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", slider, String.valueOf(to));
    waitStep(to);
    wait.until(ExpectedConditions.urlMatches("/e/0/s/" + to + "$"));

    new Select(driver.findElement(testid("episode-select"))).selectByValue("2");
    wait.until(ExpectedConditions.urlMatches("/e/2/s/0$"));
    int rows2 = episodes.get(2).get("length").asInt() + 1;
    wait.until(ExpectedConditions.textToBe(testid("step-label"), "step 0 / " + (rows2 - 1)));
    assertEquals("2", new Select(driver.findElement(testid("episode-select"))).getFirstSelectedOption()
        .getAttribute("value"));
  }

  @Test
  @Order(4)
  void aDeepLinkOpensAtItsEpisodeAndStepAndTheAttributionTableMatchesTheApi() throws Exception {
    open("#/r/" + id + "/e/1/s/7");
    int rows = episodes.get(1).get("length").asInt() + 1;
    wait.until(ExpectedConditions.textToBe(testid("step-label"), "step 7 / " + (rows - 1)));
    assertEquals("1", new Select(driver.findElement(testid("episode-select"))).getFirstSelectedOption()
        .getAttribute("value"));

    // the panel's default query, for its window around step 7 (web/src/panels/attribution.js, tables.js)
    int from = Math.max(0, 7 - 32);
    int to = Math.min(rows, Math.max(7 + 1, from + 2 * 32 + 1));
    JsonNode answer = api("api/rollouts/" + id + "/episodes/1/attributions?method=ablation&target=picked"
        + "&baseline=zero&normalize=all&from=" + from + "&to=" + to);
    JsonNode entry = null;
    for (JsonNode s : answer.get("steps")) {
      if (s.get("step").asInt() == 7) {
        entry = s;
      }
    }
    assertNotNull(entry, "the API answers step 7");
    assertEquals(1, entry.get("targets").size(), "target 'picked': one target");
    JsonNode raw = entry.get("targets").get(0).get("raw");
    Map<String, Double> expected = new HashMap<>();
    for (int i = 0; i < answer.get("features").size(); i++) {
      expected.put(answer.get("features").get(i).asText(), raw.get(i).asDouble());
    }
    assertEquals(4, expected.size(), "CartPole has four observation features");

    // "computing…" gives way to the table
    wait.until(ExpectedConditions.attributeToBe(By.cssSelector(".attribution-panel"), "data-state", "ready"));
    List<WebElement> trs = wait.until(d -> {
      List<WebElement> r = d.findElements(By.cssSelector("[data-testid=attribution-table] tbody tr"));
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
      double got = Double.parseDouble(shown);
      assertEquals(want, got, displayedTolerance(shown), label + ": shown " + shown + ", API " + want);
      assertEquals(want, Double.parseDouble(cell.getAttribute("data-raw")), 0.0, label + " (unrounded)");
    }
    assertEquals(expected.keySet(), seen, "one row per feature");

    // a screenshot of the episode page, as a build artefact
    Path png = Path.of("target", "viewer-e2e.png");
    Files.createDirectories(png.getParent());
    Files.write(png, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    assertTrue(Files.size(png) > 0, png + " is written");
    assertNotNull(ImageIO.read(png.toFile()), png + " is a PNG");
  }

  // ---------------------------------------------------------------------------------------------

  /** A fresh page load of the viewer at a hash. */
  private static void open(String hash) {
    driver.get("about:blank");
    driver.get(base + hash);
  }

  private static By testid(String id) {
    return By.cssSelector("[data-testid=\"" + id + "\"]");
  }

  private static void waitStep(int step) {
    wait.until(ExpectedConditions.attributeToBe(testid("step-label"), "data-step", String.valueOf(step)));
  }

  private static BufferedImage canvas() {
    try {
      byte[] png = driver.findElement(testid("scene-canvas")).getScreenshotAs(OutputType.BYTES);
      return ImageIO.read(new ByteArrayInputStream(png));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The canvas once it shows a drawing (the scene loads and renders asynchronously). */
  private static BufferedImage waitDrawn() {
    return wait.until(d -> {
      BufferedImage img = canvas();
      return distinctColours(img) > 8 && nonBackground(img) > img.getWidth() * img.getHeight() / 200 ? img : null;
    });
  }

  private static BufferedImage waitFrameChangedFrom(BufferedImage before) {
    return new WebDriverWait(driver, WAIT, Duration.ofMillis(100)).withMessage("the drawn frame changes").until(d -> {
      BufferedImage img = canvas();
      return differs(before, img) ? img : null;
    });
  }

  private static int distinctColours(BufferedImage img) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        colours.add(img.getRGB(x, y));
      }
    }
    return colours.size();
  }

  /** Pixels other than the most common colour (the background). */
  private static int nonBackground(BufferedImage img) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        counts.merge(img.getRGB(x, y), 1, Integer::sum);
      }
    }
    int background = counts.values().stream().max(Integer::compare).orElse(0);
    return img.getWidth() * img.getHeight() - background;
  }

  private static boolean differs(BufferedImage a, BufferedImage b) {
    if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
      return true;
    }
    int[] pa = a.getRGB(0, 0, a.getWidth(), a.getHeight(), null, 0, a.getWidth());
    int[] pb = b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth());
    return !Arrays.equals(pa, pb);
  }

  /** Half a unit of the last digit shown by the viewer's fmt (toFixed(4) or toExponential(3)). */
  private static double displayedTolerance(String shown) {
    int e = shown.toLowerCase().indexOf('e');
    if (e >= 0) {
      return 0.5e-3 * Math.pow(10, Integer.parseInt(shown.substring(e + 1).replace("+", ""))) * 1.000001;
    }
    int dot = shown.indexOf('.');
    return dot < 0 ? 0 : 0.5 * Math.pow(10, -(shown.length() - dot - 1)) * 1.000001;
  }

  private static JsonNode api(String path) throws IOException, InterruptedException {
    HttpResponse<String> res = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode(), path + ": " + res.body());
    assertFalse(res.body().isEmpty());
    return JSON.readTree(res.body());
  }
}
