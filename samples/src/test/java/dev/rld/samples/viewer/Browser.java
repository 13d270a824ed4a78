package dev.rld.samples.viewer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver, with WebGL on SwiftShader (no
 * GPU here): what the viewer's end-to-end tests and the playback benchmark open the viewer in.
 * A missing browser or driver is an error naming the packages to install, never a skip.
 */
public final class Browser implements AutoCloseable {
  /** How long a wait may take: SwiftShader on two shared cores is slow, so generous. */
  public static final Duration WAIT = Duration.ofSeconds(60);
  static final String INSTALL = "apt-get install chromium chromium-driver";
  // Without selenium-devtools (not needed here) Selenium warns that it has no CDP for this Chromium;
  // kept in a field so the logger (and its level) is not garbage-collected.
  private static final Logger CDP = Logger.getLogger("org.openqa.selenium.devtools");

  private final ChromeDriver driver;
  private final WebDriverWait wait;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
    this.wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
  }

  /**
   * Starts Chromium (paths from the system properties {@code webdriver.chrome.driver} and
   * {@code rld.e2e.chromium}, else Debian's) with a fresh profile under {@code workDir}.
   */
  public static Browser start(Path workDir) throws IOException {
    CDP.setLevel(Level.SEVERE);
    File chromedriver = new File(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));
    File chromium = new File(System.getProperty("rld.e2e.chromium", "/usr/bin/chromium"));
    if (!chromedriver.canExecute()) {
      throw new IllegalStateException("the viewer's end-to-end tests need chromedriver at " + chromedriver
          + "; install it: " + INSTALL);
    }
    if (!chromium.canExecute()) {
      throw new IllegalStateException("the viewer's end-to-end tests need chromium at " + chromium
          + "; install it: " + INSTALL);
    }
    // Explicit driver and browser: Selenium Manager must not try to download anything.
    System.setProperty("webdriver.chrome.driver", chromedriver.getPath());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments("--headless=new", "--no-sandbox", "--use-gl=swiftshader", "--enable-unsafe-swiftshader",
        "--disable-gpu-sandbox", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,900",
        "--user-data-dir=" + Files.createTempDirectory(workDir, "chromium-profile"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver)
        .usingAnyFreePort()
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
    return new Browser(driver);
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Waits (up to {@link #WAIT}) until {@code condition} gives neither null nor false; fails naming {@code what}. */
  public <T> T until(String what, Function<WebDriver, T> condition) {
    return wait.withMessage(what).until(condition);
  }

  /** Runs {@code script} in the page; {@code arguments[i]} are {@code args}. */
  public Object script(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
