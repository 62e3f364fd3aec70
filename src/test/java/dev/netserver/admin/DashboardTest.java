package dev.netserver.admin;

import dev.netserver.MainVerticle;
import dev.netserver.config.ConfigLoader;
import dev.netserver.config.ConfigSource;
import org.junit.jupiter.api.io.TempDir;
import dev.netserver.TestClient;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The admin dashboard in a real headless Chromium (Debian's chromium and chromium-driver; .ci/run installs them),
 * at a phone's size: it loads with no console error and every asset from the server, and its numbers follow real
 * traffic. Leaves a screenshot in docs/.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@DisplayName("The admin dashboard, in headless Chromium")
class DashboardTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOT = Path.of("docs/admin-dashboard.png");

  private Vertx vertx;
  private ChromeDriver browser;

  @BeforeEach
  void setUp() {
    vertx = AdminMetrics.enable(Vertx.builder(), new io.vertx.core.VertxOptions()).build();
  }

  @AfterEach
  void tearDown() {
    if (browser != null) {
      browser.quit();
    }
    await(vertx.close());
  }

  private ChromeDriver chromium() {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
      "chromium and chromium-driver are not installed; .ci/run installs them");
    ChromeOptions options = new ChromeOptions()
      .setBinary(CHROMIUM.toFile())
      // root (as CI runs) needs --no-sandbox; a phone-sized window: the dashboard must read there
      .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=412,915");
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    // the driver Debian installed, named: Selenium Manager would try to download one
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
      .usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  private static int port(MainVerticle main, String listener) {
    String address = main.boundAddresses().get(listener).get(0);
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  @Test
  @DisplayName("loads with no console error, every asset from the server; its numbers change after traffic; a screenshot goes to docs/")
  void liveDashboard() throws Exception {
    browser = chromium();
    MainVerticle main = new MainVerticle();
    await(vertx.deployVerticle(main, new DeploymentOptions().setConfig(
      AdminVerticleTest.config(new JsonObject().put("host", "127.0.0.1").put("port", 0)))));
    String base = "http://127.0.0.1:" + main.admin().actualPort() + "/";
    browser.get(base);
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    By greeterAccepted = By.cssSelector("[data-listener='greeter'] [data-field='accepted']");
    wait.until(ExpectedConditions.textToBe(greeterAccepted, "0"));
    assertThat(browser.findElement(By.id("node")).getText()).isEqualTo("admin-node");
    assertThat(browser.findElements(By.cssSelector("[data-listener]"))).hasSize(3);

    for (int i = 0; i < 3; i++) {
      try (TestClient c = TestClient.connect(port(main, "greeter"))) {
        c.readUntil(": ");
        assertThat(c.send("abc\n").readToEnd()).isEqualTo("You entered 3 characters.\n");
      }
    }
    try (TestClient c = TestClient.connect(port(main, "echo"))) {
      assertThat(c.send("0123456789").read(10)).isEqualTo("0123456789");
    }
    wait.until(ExpectedConditions.textToBe(greeterAccepted, "3"));
    wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-listener='echo'] [data-field='bytesOut']"), "10"));
    // refusals and drops by reason, named from the counters the replies carry
    assertThat(browser.findElements(By.cssSelector("[data-listener='greeter'] li[data-reason^='refused']"))).hasSize(6);
    assertThat(browser.findElements(By.cssSelector("[data-listener='udp-echo'] li[data-reason^='dropped']"))).isNotEmpty();
    assertThat(browser.findElement(By.cssSelector("[data-listener='greeter'] svg[data-spark='main'] polyline"))
      .getDomAttribute("points")).isNotBlank();

    @SuppressWarnings("unchecked")
    List<String> resources = (List<String>) ((JavascriptExecutor) browser)
      .executeScript("return performance.getEntriesByType('resource').map(e => e.name)");
    assertThat(resources).isNotEmpty().allMatch(url -> url.startsWith(base), "served by netserver, no CDN");
    List<LogEntry> console = browser.manage().logs().get(LogType.BROWSER).getAll();
    assertThat(console).filteredOn(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).isEmpty();

    Files.createDirectories(SCREENSHOT.getParent());
    Files.write(SCREENSHOT, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    assertThat(new File(SCREENSHOT.toString())).isNotEmpty();
  }

  @Test
  @DisplayName("a listener added by a reload appears, with its numbers, without reloading the page")
  void listenerAddedByReload(@TempDir Path dir) throws Exception {
    browser = chromium();
    Path file = dir.resolve("config.json");
    JsonObject config = AdminVerticleTest.config(new JsonObject().put("host", "127.0.0.1").put("port", 0));
    Files.writeString(file, config.encodePrettily());
    ConfigSource source = ConfigSource.file(file);
    MainVerticle main = new MainVerticle(ConfigLoader.read(source), source, 0);
    await(vertx.deployVerticle(main));
    browser.get("http://127.0.0.1:" + main.admin().actualPort() + "/");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-listener]"), 3));

    config.getJsonArray("tcp").add(new JsonObject().put("name", "echo2").put("protocol", "echo").put("host", "127.0.0.1").put("port", 0));
    Files.writeString(file, config.encodePrettily());
    assertThat(await(main.reload("test")).summary()).isEqualTo("echo2 started");
    try (TestClient c = TestClient.connect(port(main, "echo2"))) {
      assertThat(c.send("hello").read(5)).isEqualTo("hello");
    }
    wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-listener='echo2'] [data-field='bytesOut']"), "5"));
    assertThat(browser.findElements(By.cssSelector("[data-listener]"))).hasSize(4);
    List<LogEntry> console = browser.manage().logs().get(LogType.BROWSER).getAll();
    assertThat(console).filteredOn(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).isEmpty();
  }
}
