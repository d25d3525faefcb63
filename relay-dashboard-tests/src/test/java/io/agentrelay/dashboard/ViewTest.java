package io.agentrelay.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the browser tests of one view share: a real Chromium (the JVM's one, {@link Browser#shared()};
 * the class is skipped without it, except under CI), a real relay with a token, the page signed in
 * and live on a view, the page left and the relay closed after the class, and a browser console that
 * ends every test empty.
 */
abstract class ViewTest {
    @TempDir
    static Path dir;
    static Browser browser;
    static TestRelay relay;
    static Http api;

    /** From a subclass's {@code @BeforeAll}: the browser, and a relay with the token and {@code env}. */
    static void startRelay(Map<String, String> env) {
        browser = Browser.shared();
        Map<String, String> all = new HashMap<>(env);
        all.put("AGENT_RELAY_TOKEN", Relays.TOKEN);
        relay = TestRelay.start(dir, all);
        api = Relays.api(relay);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
        if (relay != null) {
            relay.close();
            relay = null;
        }
    }

    @AfterEach
    void consoleStaysClean() {
        assertThat(browser.consoleProblems()).as("browser console warnings and errors").isEmpty();
    }

    /** Signs in with the token in the fragment, then opens {@code route} and waits until the page is live. */
    void open(String route) {
        browser.open(relay.url() + "/#token=" + Relays.TOKEN);
        browser.findWithText("#connection", "live");
        browser.open(relay.url() + "/#/" + route);
        browser.findWithText("#connection", "live");
    }
}
