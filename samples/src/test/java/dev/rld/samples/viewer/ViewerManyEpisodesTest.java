package dev.rld.samples.viewer;

import static dev.rld.samples.viewer.ViewerPage.testid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.api.RldServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The start page and the episode picker on 20 000 random CartPole episodes: the virtual table
 * shows rows and the total at once, sorts and filters on the server, scrolls to the last
 * episodes; the overview chart draws; the search box opens an episode.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ViewerManyEpisodesTest {
  private static final int EPISODES = 20_000;
  private static final By ROWS = By.cssSelector("[data-testid=episode-table] tbody tr");
  @TempDir
  static Path tmp;
  private static ServedViewer viewer;
  private static Browser browser;
  private static ViewerPage page;
  private static String id;

  @BeforeAll
  static void start() throws Exception {
    Path file = ServedViewer.record(tmp, "many", "CartPole-v1", "random", EPISODES, 1);
    viewer = ServedViewer.start(tmp, RldServer.builder().recording(file));
    id = viewer.id();
    browser = viewer.browser();
    page = viewer.page();
  }

  @AfterAll
  static void stop() throws IOException {
    if (viewer != null) {
      viewer.close();
    }
  }

  private static List<WebElement> rows() {
    return browser.until("the table shows rows", d -> {
      List<WebElement> r = d.findElements(ROWS);
      return r.isEmpty() ? null : r;
    });
  }

  /** The episodes of the drawn rows, read at once (the table redraws its rows as it scrolls). */
  @SuppressWarnings("unchecked")
  private static List<Integer> shown() {
    return ((List<Number>) browser.script("return Array.from(document.querySelectorAll(arguments[0]),"
        + " (r) => Number(r.dataset.index));", "[data-testid=episode-table] tbody tr")).stream()
        .map(Number::intValue).toList();
  }

  private static int index(WebElement row) {
    return Integer.parseInt(row.getAttribute("data-index"));
  }

  private static void waitTotal(int total) {
    browser.until("the total reads " + total, ExpectedConditions.attributeToBe(testid("episode-total"), "data-total",
        String.valueOf(total)));
  }

  @Test
  @Order(1)
  void theTableShowsTheFirstRowsTheTotalAndTheOverview() throws IOException {
    page.open("#/");
    waitTotal(EPISODES);
    List<WebElement> rows = rows();
    assertEquals(0, index(rows.get(0)));
    assertTrue(rows.size() < 100, "only the rows in view are drawn: " + rows.size());
    assertEquals("episode 0", rows.get(0).findElement(By.tagName("a")).getText());
    String outcome = rows.get(0).findElements(By.tagName("td")).get(4).getText();
    assertTrue(List.of("terminated", "truncated").contains(outcome), outcome);
    browser.until("the overview is drawn", ExpectedConditions.attributeToBe(testid("overview-chart"), "data-drawn",
        "true"));
    assertEquals("1000", page.find(testid("overview-chart")).getAttribute("data-buckets"));
    assertTrue(page.find(By.cssSelector("[data-testid=overview-chart] canvas")).isDisplayed());
    // the start page as a build artefact, to look at
    Path png = Path.of("target", "viewer-many-episodes.png");
    Files.createDirectories(png.getParent());
    Files.write(png, ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.BYTES));
  }

  @Test
  @Order(2)
  void scrollingFarShowsTheLastEpisodes() {
    WebElement scroller = page.find(testid("episode-scroll"));
    browser.script("arguments[0].scrollTop = arguments[0].scrollHeight;", scroller);
    browser.until("the last episode is drawn", d -> shown().contains(EPISODES - 1));
  }

  @Test
  @Order(3)
  void sortingByReturnPutsTheBestFirstAndFiltersCountOnTheServer() throws Exception {
    JsonNode best = page.api("api/rollouts/" + id + "/episodes?sort=return&order=desc&limit=1");
    int bestIndex = best.get("episodes").get(0).get("index").asInt();
    page.find(By.cssSelector("[data-rollout=\"" + id + "\"] th[data-key=return]")).click();
    browser.until("the best episode comes first", d -> !shown().isEmpty() && shown().get(0) == bestIndex);
    assertEquals(best.get("episodes").get(0).get("return").asDouble(),
        Double.parseDouble(rows().get(0).findElements(By.tagName("td")).get(2).getText()));

    JsonNode filtered = page.api("api/rollouts/" + id + "/episodes?minReturn=30&maxReturn=40&limit=1");
    int total = filtered.get("total").asInt();
    assertTrue(total > 0 && total < EPISODES, "the range keeps some: " + total);
    page.find(testid("episode-filter-min")).sendKeys("30", Keys.TAB);
    page.find(testid("episode-filter-max")).sendKeys("40", Keys.TAB);
    waitTotal(total);
    for (WebElement row : rows()) {
      double r = Double.parseDouble(row.findElements(By.tagName("td")).get(2).getText());
      assertTrue(r >= 30 && r <= 40, "row " + index(row) + " returns " + r);
    }
    JsonNode bestInRange = page.api("api/rollouts/" + id
        + "/episodes?minReturn=30&maxReturn=40&sort=return&order=desc&limit=1").get("episodes").get(0);
    assertEquals(bestInRange.get("index").asInt(), index(rows().get(0)), "still sorted by return, best first");

    int first = index(rows().get(0));
    rows().get(0).findElements(By.tagName("td")).get(2).click();
    browser.until("a click on a row opens its episode", ExpectedConditions.urlMatches("/e/" + first + "/s/0$"));
  }

  @Test
  @Order(4)
  void theSearchBoxOpensAnEpisode() throws Exception {
    page.open("#/r/" + id + "/e/0/s/0");
    page.waitStep(0);
    page.pickEpisode(12_345);
    browser.until("the picker opens episode 12345", ExpectedConditions.urlMatches("/e/12345/s/0$"));
    int length = page.api("api/rollouts/" + id + "/episodes/12345").get("length").asInt();
    browser.until("the timeline spans episode 12345",
        ExpectedConditions.textToBe(testid("step-label"), "step 0 / " + length));
    assertEquals(12_345, page.pickedEpisode());
  }
}
