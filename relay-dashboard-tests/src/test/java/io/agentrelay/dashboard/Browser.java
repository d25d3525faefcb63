package io.agentrelay.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven by
 * Selenium, with a fresh profile. One per test JVM, shared by the test classes in turn
 * ({@link #shared()}): starting Chromium and quitting it cost about 3 s, nine times a run. Classes
 * do not see each other's state: each starts on a blank page with an empty console, and each talks
 * to a relay of its own on a port of its own, so storage (kept per origin) is never shared.
 *
 * <p>Where Chromium is missing the tests are skipped with a message, except in CI ({@code CI=true}),
 * where a missing browser is a failure: {@code .ci/run} installs it.
 */
final class Browser implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    // Selenium warns that it has no DevTools bindings for this Chromium version; the tests use
    // WebDriver only, so the warning is noise. Held here: java.util.logging keeps loggers weakly.
    @SuppressWarnings("unused")
    private static final java.util.logging.Logger DEVTOOLS_LOG = quiet("org.openqa.selenium.devtools");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }

    private static Browser shared;

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * The JVM's Chromium, started on first use (or the calling test class skipped, failed in CI, when
     * it is not installed), on a blank page with nothing in its console; it quits when the JVM exits.
     */
    static synchronized Browser shared() {
        if (shared != null) {
            try {
                shared.close();
                return shared;
            } catch (org.openqa.selenium.WebDriverException broken) {
                // An earlier class left it unusable (an alert open, Chromium gone): one failure
                // must not fail every class after it, so start a new one.
                shared.quitQuietly();
                shared = null;
            }
        }
        Browser started = startOrSkip();
        Runtime.getRuntime().addShutdownHook(new Thread(started::quitQuietly, "chromium-quit"));
        shared = started;
        return started;
    }

    private static Browser startOrSkip() {
        Path chromium = find("CHROMIUM_BIN", "chromium", "chromium-browser", "google-chrome");
        Path chromedriver = find("CHROMEDRIVER_BIN", "chromedriver");
        if (chromium == null || chromedriver == null) {
            String missing = "Chromium and its driver are needed for the dashboard's browser tests (found chromium: "
                    + chromium + ", chromedriver: " + chromedriver + "); on Debian: apt-get install chromium chromium-driver";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(missing + " (CI=true: not skipping)");
            }
            Assumptions.abort(missing);
        }
        try {
            Path profile = Files.createTempDirectory("dashboard-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1366,900", "--user-data-dir=" + profile);
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path find(String variable, String... names) {
        String explicit = System.getenv(variable);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator, -1)) {
            if (dir.isEmpty()) {
                continue;
            }
            for (String name : names) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    /** Waits until {@code condition} gives a non-null, non-false value, and returns it. */
    <T> T await(Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, WAIT)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("waited " + WAIT.toSeconds() + " s in vain; the page at " + driver.getCurrentUrl()
                    + " shows:\n" + driver.findElement(By.tagName("body")).getText()
                    + "\nconsole: " + driver.manage().logs().get(LogType.BROWSER).getAll(), e);
        }
    }

    WebElement find(String css) {
        return await(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    /** Waits for an element matching {@code css} whose text contains {@code text}. */
    WebElement findWithText(String css, String text) {
        return await(d -> d.findElements(By.cssSelector(css)).stream()
                .filter(e -> e.getText().contains(text)).findFirst().orElse(null));
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** The browser console's warnings and errors since the last call (page errors, failed loads, CSP). */
    List<String> consoleProblems() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::toString).toList();
    }

    /**
     * Saves a PNG of the whole page, beyond the window, as {@code name}.png: Chromium's own capture
     * through ChromeDriver's CDP endpoint (no DevTools bindings needed).
     */
    Path screenshot(Path folder, String name) {
        try {
            Files.createDirectories(folder);
            long width = ((Number) script("return document.documentElement.clientWidth")).longValue();
            long height = ((Number) script("return document.documentElement.scrollHeight")).longValue();
            Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                    "captureBeyondViewport", true,
                    "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
            Path file = folder.resolve(name + ".png");
            Files.write(file, java.util.Base64.getDecoder().decode((String) shot.get("data")));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Leaves the page for a blank one, which ends its streams and timers (so it does not go on
     * calling a relay the class is about to stop), and drops what the console said. Chromium stays
     * up for the next class.
     */
    @Override
    public void close() {
        driver.get("about:blank");
        consoleProblems();
    }

    private void quitQuietly() {
        try {
            driver.quit();
        } catch (org.openqa.selenium.WebDriverException gone) {
            // already gone: only its profile folder is left to remove
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind
        }
    }
}
