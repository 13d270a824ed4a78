package dev.rld.samples.viewer;

import static dev.rld.samples.viewer.ViewerPage.testid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.api.RldServer;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.samples.envs.GridWorld;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;

/**
 * The grid-world scene and panels in headless Chromium: a PeterAndTheWolf-v0 recording of the
 * trained (Q-learning) agent, served with its policy. The board is drawn cell by cell in its
 * tiles' colours with Peter on his cell, stepping moves him, and the observation panel and the
 * attribution table put each value beside its own feature label (a Dict with a MultiDiscrete
 * part, which Gymnasium's flatten one-hot encodes).
 */
class ViewerGridWorldTest {
  /** gridworld.js's TILE_COLORS (by tile code) and Peter's colour. */
  private static final int[] TILE_COLORS = {0xcfe8b0, 0x3d7fd1, 0x2f6b35, 0xd8342c, 0x59595f};
  private static final int PETER_COLOR = 0xf2b705;
  /** Drawn colours go through three.js's colour management and may differ by a unit or two. */
  private static final int TOLERANCE = 4;

  @TempDir
  static Path tmp;
  private static ServedViewer viewer;
  private static Browser browser;
  private static ViewerPage page;
  private static String id;
  private static int rows;
  /** A row after which Peter moves, and the next. */
  private static int before;
  private static JsonNode observations;

  @BeforeAll
  static void start() throws Exception {
    Path file = ServedViewer.record(tmp, "gridworld", GridWorld.ID, "trained", 3, 1);
    viewer = ServedViewer.start(tmp, RldServer.builder().recording(file, SamplePolicies.gridWorld()));
    id = viewer.id();
    browser = viewer.browser();
    page = viewer.page();
    rows = viewer.rows(0);
    observations = viewer.column(0, "observations");
    before = -1;
    for (int r = 0; r + 1 < rows && before < 0; r++) {
      if (!observations.get(r).get("position").equals(observations.get(r + 1).get("position"))) {
        before = r;
      }
    }
    assertTrue(before >= 0, "Peter moves at some step of episode 0");
  }

  @AfterAll
  static void stop() throws IOException {
    if (viewer != null) {
      viewer.close();
    }
  }

  @Test
  void theBoardIsDrawnInItsTilesColoursAndPeterMovesWithTheStep() {
    page.open("#/r/" + id + "/e/0/s/" + before);
    page.waitStep(before);
    BufferedImage first = waitBoardAt(before);
    page.find(By.cssSelector("button[data-act=forward]")).click();
    page.waitStep(before + 1);
    BufferedImage second = waitBoardAt(before + 1);
    assertTrue(Frames.differs(first, second), "Peter moved: the frame changed");
  }

  @Test
  void thePolicyArrowsPointWhereThePolicysArgMaxSaysWithAHeadOnThatSide() throws Exception {
    page.open("#/r/" + id + "/e/0/s/" + before);
    page.waitStep(before);
    waitBoardAt(before);
    page.find(By.cssSelector("[data-testid=policy-arrows-toggle]")).click();
    WebElement scene = page.find(By.cssSelector(".wb-scene-view"));
    String drawn = browser.until("the policy's arrows are drawn", d -> {
      String a = scene.getAttribute("data-policy-arrows");
      return a == null || a.isEmpty() ? null : a;
    });
    JsonNode observation = observations.get(before);
    JsonNode board = observation.get("board");
    int[] peter = {observation.get("position").get(0).asInt(), observation.get("position").get(1).asInt()};
    // three meadow cells away from Peter, spread over the board
    List<int[]> cells = new ArrayList<>();
    for (int i = 0; i < GridWorld.SIZE * GridWorld.SIZE && cells.size() < 3; i += 7) {
      int r = i / GridWorld.SIZE;
      int c = i % GridWorld.SIZE;
      if (board.get(r).get(c).asInt() == GridWorld.EMPTY && !(r == peter[0] && c == peter[1])) {
        cells.add(new int[] {r, c});
      }
    }
    assertEquals(3, cells.size(), "three meadow cells to check");
    BufferedImage img = page.canvas();
    for (int[] cell : cells) {
      // the policy's own answer with Peter moved there, the rest of the board as observed
      JsonNode answer = page.apiPost("api/rollouts/" + id + "/evaluate", "{\"observation\": {\"board\": " + board
          + ", \"position\": [" + cell[0] + ", " + cell[1] + "]}}");
      int best = answer.get("action").asInt();
      String where = cell[0] + "," + cell[1];
      assertTrue((" " + drawn + " ").contains(" " + where + ":" + best + " "),
          "cell " + where + "'s arrow is the arg-max " + best + ": " + drawn);
      // the head (wide) lies on the move's side of the centre, the thin tail on the other
      double angle = new double[] {Math.PI / 2, -Math.PI / 2, Math.PI, 0}[best];
      double unit = cell(img.getWidth(), img.getHeight());
      double length = 0.25 + 0.6 * answer.get("probabilities").get(best).asDouble();
      double cx = img.getWidth() / 2.0 + (cell[1] + 0.5 - GridWorld.SIZE / 2.0) * unit;
      double cy = img.getHeight() / 2.0 + (cell[0] + 0.5 - GridWorld.SIZE / 2.0) * unit;
      double along = 0.3 * length * unit;
      double across = 0.07 * unit;
      int headX = (int) Math.round(cx + Math.cos(angle) * along - Math.sin(angle) * across);
      int headY = (int) Math.round(cy - Math.sin(angle) * along - Math.cos(angle) * across);
      int tailX = (int) Math.round(cx - Math.cos(angle) * along - Math.sin(angle) * across);
      int tailY = (int) Math.round(cy + Math.sin(angle) * along - Math.cos(angle) * across);
      assertTrue(!Frames.near(img, headX, headY, TILE_COLORS[GridWorld.EMPTY], 40),
          "cell " + where + ": the arrow's head at (" + headX + ", " + headY + ") is " + Frames.hex(img, headX, headY));
      assertTrue(Frames.near(img, tailX, tailY, TILE_COLORS[GridWorld.EMPTY], TOLERANCE),
          "cell " + where + ": beside the thin tail at (" + tailX + ", " + tailY + ") the meadow shows: "
          + Frames.hex(img, tailX, tailY));
    }
    page.find(By.cssSelector("[data-testid=policy-arrows-toggle]")).click();
    browser.until("switched off, no arrow is drawn", d -> "".equals(scene.getAttribute("data-policy-arrows")));
  }

  /** The canvas once it shows row {@code row}'s board and Peter; fails with the last difference seen. */
  private static BufferedImage waitBoardAt(int row) {
    String[] why = {"nothing drawn"};
    try {
      return browser.until("the board as recorded at row " + row, d -> {
        BufferedImage img = page.canvas();
        why[0] = Frames.drawn(img) ? boardMismatch(img, observations.get(row)) : "nothing drawn";
        return why[0] == null ? img : null;
      });
    } catch (TimeoutException e) {
      return fail("row " + row + " is not drawn as recorded: " + why[0]);
    }
  }

  @Test
  void theObservationPanelShowsEachFeatureLabelBesideItsValue() throws Exception {
    page.open("#/r/" + id + "/e/0/s/" + before);
    page.waitStep(before);
    Map<String, Double> expected = page.flatObservation(id, 0, before);
    assertEquals(GridWorld.SIZE * GridWorld.SIZE + 2 * GridWorld.SIZE, expected.size(),
        "the board's cells, then the position's row and column one-hot");
    List<String[]> shown = browser.until("the observation panel shows step " + before, d -> {
      List<String[]> lines = new ArrayList<>();
      for (WebElement tr : d.findElements(By.cssSelector("[data-testid=observation-table] tbody tr"))) {
        List<WebElement> td = tr.findElements(By.tagName("td"));
        // textContent: the board's group starts collapsed (observation.js), its rows are there unseen
        lines.add(new String[] {td.get(0).getAttribute("textContent"), td.get(1).getAttribute("textContent")});
      }
      // the panel fills every value cell at once when the row arrives (an empty cell: not yet)
      return lines.size() == expected.size() && lines.stream().noneMatch(l -> l[1].isEmpty()) ? lines : null;
    });
    int i = 0;
    for (Map.Entry<String, Double> e : expected.entrySet()) {
      assertEquals(e.getKey(), shown.get(i)[0], "row " + i + "'s label");
      assertEquals(String.valueOf(Math.round(e.getValue())), shown.get(i)[1], e.getKey() + "'s value");
      i++;
    }
    JsonNode position = observations.get(before).get("position");
    assertEquals("1", value(shown, "position[0]=" + position.get(0).asInt()), "Peter's row, one-hot");
    assertEquals("1", value(shown, "position[1]=" + position.get(1).asInt()), "Peter's column, one-hot");

    // a screenshot of the page, as a build artefact
    Path png = Path.of("target", "viewer-gridworld.png");
    Files.createDirectories(png.getParent());
    Files.write(png, browser.driver().getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void theAttributionTableMatchesTheApiBesideTheObservedValues() throws Exception {
    page.open("#/r/" + id + "/e/0/s/" + before);
    page.waitStep(before);
    AttributionTable.assertMatchesApi(page, id, 0, before, rows, page.flatObservation(id, 0, before));
    assertTrue(page.find(testid("attribution-table")).isDisplayed());
    // the features under their keys, each key's total first, and the cells named by what is on them
    List<String> groups = new ArrayList<>();
    for (WebElement tr : browser.driver().findElements(By.cssSelector("[data-testid=attribution-table] tr.group-total"))) {
      groups.add(tr.getAttribute("data-group"));
    }
    assertEquals(List.of("board", "position"), groups);
    JsonNode position = observations.get(before).get("position");
    int code = observations.get(before).get("board").get(0).get(1).asInt();
    assertEquals("cell (0, 1): " + (code == 0 ? "meadow" : TILE_NAMES[code]), page.find(
        By.cssSelector("[data-testid=attribution-table] tr[data-feature='board[0,1]'] td.about")).getText());
    assertEquals("Peter in row " + position.get(0).asInt(), page.find(By.cssSelector(
        "[data-testid=attribution-table] tr[data-feature='position[0]=" + position.get(0).asInt() + "'] td.about")).getText());
  }

  /** GridWorld's tile names by code (gridworld.js TILES; code 0 is shown as meadow). */
  private static final String[] TILE_NAMES = {"meadow", "water", "tree", "apple", "wolf"};

  @Test
  void eachCellIsShadedByItsAttributionWithAToggleAndTheTilesHaveALegend() throws Exception {
    page.open("#/r/" + id + "/e/0/s/" + before);
    page.waitStep(before);
    JsonNode answer = page.api("api/rollouts/" + id + "/episodes/0/attributions?method=ablation&target=picked"
        + "&baseline=zero&normalize=all&from=" + before + "&to=" + (before + 1));
    JsonNode raw = answer.get("steps").get(0).get("targets").get(0).get("raw");
    JsonNode observation = observations.get(before);
    int peter = observation.get("position").get(0).asInt() * GridWorld.SIZE + observation.get("position").get(1).asInt();
    double[] cells = new double[GridWorld.SIZE * GridWorld.SIZE];
    for (int i = 0; i < raw.size(); i++) {
      String label = answer.get("features").get(i).asText();
      int cell = label.startsWith("board[") ? Integer.parseInt(label.substring(6, label.indexOf(','))) * GridWorld.SIZE
          + Integer.parseInt(label.substring(label.indexOf(',') + 1, label.indexOf(']'))) : peter;
      cells[cell] += raw.get(i).asDouble();
    }
    int strongest = 0;
    for (int c = 0; c < cells.length; c++) {
      strongest = Math.abs(cells[c]) > Math.abs(cells[strongest]) ? c : strongest;
    }
    assertTrue(Math.abs(cells[strongest]) > 0, "some cell is attributed");
    int r = strongest / GridWorld.SIZE;
    int c = strongest % GridWorld.SIZE;
    int tile = TILE_COLORS[observation.get("board").get(r).get(c).asInt()];
    browser.until("cell " + r + "," + c + "'s border is shaded", d -> !Frames.near(page.canvas(), ringX(page.canvas(), c), cellY(page.canvas(), r), tile, 30));
    assertTrue(page.find(testid("heat-legend")).isDisplayed(), "the colour scale shows");

    page.find(testid("heat-toggle")).click();
    browser.until("toggled off, the border is the tile's colour", d -> Frames.near(page.canvas(), ringX(page.canvas(), c), cellY(page.canvas(), r), tile, TOLERANCE));

    String legend = page.find(testid("tile-legend")).getText();
    for (String name : new String[] {"meadow", "water", "tree", "apple", "wolf", "Peter"}) {
      assertTrue(legend.contains(name), "the tile legend names " + name + ": " + legend);
    }
  }

  /** A point in the heat border of column c's cells: 0.39 cells right of the centre (gridworld.js's ring spans 0.31–0.5, the tile 0.47). */
  private static int ringX(BufferedImage img, int c) {
    double cell = cell(img.getWidth(), img.getHeight());
    return (int) Math.round(img.getWidth() / 2.0 + (c + 0.5 + 0.39 - GridWorld.SIZE / 2.0) * cell);
  }

  private static int cellY(BufferedImage img, int r) {
    double cell = cell(img.getWidth(), img.getHeight());
    return (int) Math.round(img.getHeight() / 2.0 + (r + 0.5 - GridWorld.SIZE / 2.0) * cell);
  }

  /**
   * A cell's side in pixels: gridworld.js's boardSide (8.4 cells across the shorter side, narrowed
   * to keep 220 px for the legends on each side while that leaves three quarters of the height).
   */
  static double cell(int w, int h) {
    int clear = w - 2 * 220;
    double side = clear >= 0.75 * h ? Math.min(h, clear) : Math.min(w, h);
    return side / (GridWorld.SIZE + 0.4);
  }

  private static String value(List<String[]> lines, String label) {
    return lines.stream().filter(l -> l[0].equals(label)).findFirst().map(l -> l[1]).orElse("no row " + label);
  }

  /**
   * Null when every cell's centre shows its tile's colour and Peter's cell his, else what
   * differs. The board spans 8.4 units (8 cells and a margin) of {@link #cell}, centred
   * (gridworld.js), row 0 at the top.
   */
  private static String boardMismatch(BufferedImage img, JsonNode observation) {
    int w = img.getWidth();
    int h = img.getHeight();
    double cell = cell(w, h);
    int peterRow = observation.get("position").get(0).asInt();
    int peterCol = observation.get("position").get(1).asInt();
    for (int r = 0; r < GridWorld.SIZE; r++) {
      for (int c = 0; c < GridWorld.SIZE; c++) {
        int x = (int) Math.round(w / 2.0 + (c + 0.5 - GridWorld.SIZE / 2.0) * cell);
        int y = (int) Math.round(h / 2.0 + (r + 0.5 - GridWorld.SIZE / 2.0) * cell);
        boolean peter = r == peterRow && c == peterCol;
        int want = peter ? PETER_COLOR : TILE_COLORS[observation.get("board").get(r).get(c).asInt()];
        if (!Frames.near(img, x, y, want, TOLERANCE)) {
          return "cell " + r + "," + c + (peter ? " (Peter)" : "") + " at (" + x + ", " + y + ") is "
              + Frames.hex(img, x, y) + ", expected " + String.format("#%06x", want);
        }
      }
    }
    return null;
  }
}
