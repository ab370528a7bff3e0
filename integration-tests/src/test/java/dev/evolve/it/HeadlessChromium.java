package dev.evolve.it;

import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's Chromium, headless, driven through its own chromedriver: both installed at one pinned
 * version by {@code scripts/chromium.sh} (so a fresh clone gets them on its first run, and the
 * browser and the driver always match).
 *
 * <p>Nothing outlives the test: chromedriver runs as a {@link ManagedProcess} (stopped on close,
 * by a shutdown hook, or by its watch when the test JVM dies), and Chromium talks to it over a
 * pipe ({@code --remote-debugging-pipe}), so the browser exits as soon as chromedriver is gone;
 * over the default debugging port it would keep running.
 */
final class HeadlessChromium implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HeadlessChromium.class);
  private static final Pattern STARTED = Pattern.compile("ChromeDriver was started successfully on port (\\d+)");

  private final ManagedProcess chromedriver;
  private final RemoteWebDriver driver;

  private HeadlessChromium(ManagedProcess chromedriver, RemoteWebDriver driver) {
    this.chromedriver = chromedriver;
    this.driver = driver;
  }

  static HeadlessChromium start(int width, int height) {
    Path chromedriverBinary = install();
    ChromeOptions options = new ChromeOptions();
    Path chromium = chromedriverBinary.resolveSibling("chromium");
    if (Files.isExecutable(chromium)) {
      options.setBinary(chromium.toFile());
    }
    options.addArguments(
        "--headless=new",
        "--remote-debugging-pipe",
        // as root (CI) Chromium refuses to start with its sandbox on
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=" + width + "," + height,
        // the page may only reach this machine (the Web UI would fetch a news feed from the internet)
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1");
    ManagedProcess chromedriver = ManagedProcess.start("chromedriver",
        List.of(chromedriverBinary.toString(), "--port=0"), Map.of());
    try {
      String port = chromedriver.awaitLogLine(STARTED, Duration.ofSeconds(30));
      RemoteWebDriver driver = new RemoteWebDriver(URI.create("http://127.0.0.1:" + port).toURL(), options);
      log.info("headless {} {} through {} (pid {})", driver.getCapabilities().getBrowserName(),
          driver.getCapabilities().getBrowserVersion(), chromedriverBinary, chromedriver.pid());
      return new HeadlessChromium(chromedriver, driver);
    } catch (MalformedURLException e) {
      chromedriver.close();
      throw new IllegalStateException(e);
    } catch (RuntimeException e) {
      chromedriver.close();
      throw e;
    }
  }

  RemoteWebDriver driver() {
    return driver;
  }

  /** {@code scripts/chromium.sh}: installs what is missing, prints the chromedriver's path last. */
  private static Path install() {
    Path script = TestPaths.root().resolve("scripts/chromium.sh");
    // an apt-get install of Chromium takes about a minute; when installed, the script takes milliseconds
    FinishedCommand installed = FinishedCommand.run(List.of("bash", script.toString()), Map.of(), false,
        Duration.ofMinutes(10));
    String out = installed.stdout().trim();
    if (installed.exitCode() != 0 || out.isEmpty()) {
      throw new IllegalStateException(script + " failed (exit " + installed.exitCode() + "):\n" + out + "\n"
          + installed.stderr());
    }
    return Path.of(out.lines().reduce((first, last) -> last).orElseThrow());
  }

  /** Quits the browser, then stops chromedriver. */
  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      chromedriver.close();
    }
  }
}
