package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agent-relay channels ...}, run in this JVM ({@link Cli#run}) against a real relay. */
class ChannelCommandsTest {
    @TempDir
    Path dir;
    TestRelay relay;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir);
        relay.register("telegram:ops", Map.of("kind", "channel", "tags", List.of("channel:telegram"), "instanceId", "bridge-7",
                "ready", true));
        relay.register("alice", Map.of("tags", List.of("oncall")));
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private Map<String, String> env() {
        return Cli.as(relay.url(), "operator");
    }

    @Test
    void anOperatorListsBindsPostsAndUnbinds() throws Exception {
        assertThat(Cli.ok(env(), "channels", "list").out())
                .matches("telegram:ops\\s+telegram\\s+online\\s+ready\\s+agent telegram:ops, account ops\\n");
        assertThat(Cli.ok(env(), "channels", "bind", "telegram:ops", "tag:oncall", "--priority", "3").out())
                .isEqualTo("bound #1 telegram:ops -> tag:oncall (exclusive, priority 3)\n");
        assertThat(Cli.ok(env(), "channels", "bind", "telegram:ops", "broadcast", "--conversation", "c-1",
                "--mode", "broadcast", "--instance", "bridge-7").out())
                .isEqualTo("bound #2 telegram:ops [c-1] -> broadcast (broadcast)\n");
        assertThat(Cli.ok(env(), "channels", "bindings").out().lines().toList()).containsExactly(
                "#1 telegram:ops -> tag:oncall (exclusive, priority 3)", "#2 telegram:ops [c-1] -> broadcast (broadcast)");

        assertThat(Cli.ok(env(), "channels", "event", "telegram:ops", "--conversation", "c-9", "--text", "disk full",
                "--key", "k1").out()).isEqualTo("sent message 1 to tag:oncall\n");
        assertThat(Cli.ok(env(), "channels", "event", "telegram:ops", "--conversation", "c-9", "--text", "disk full",
                "--key", "k1").out()).isEqualTo("already sent message 1 to tag:oncall\n");
        JsonNode inbox = relay.http().get("/api/messages?for=alice").json();
        assertThat(inbox.get("messages").get(0).get("body").asText()).isEqualTo("disk full");
        assertThat(inbox.get("messages").get(0).get("kind").asText()).isEqualTo("channel.event");

        Path file = Files.writeString(dir.resolve("typing.json"), "{\"schema\":\"agent-relay.channel.v1\","
                + "\"channel\":{\"provider\":\"telegram\",\"accountId\":\"ops\",\"agentId\":\"telegram:ops\"},"
                + "\"direction\":\"inbound\",\"conversation\":{\"id\":\"c-1\",\"type\":\"group\"},"
                + "\"actor\":{\"id\":\"u1\",\"kind\":\"user\"},\"event\":{\"type\":\"typing.started\"},"
                + "\"activity\":{\"state\":\"typing\"}}");
        assertThat(Cli.ok(env(), "channels", "activity", "telegram:ops", "--file", file.toString()).out())
                .isEqualTo("activity posted to telegram:ops (c-1)\n");
        assertThat(relay.events("channel.activity")).hasSize(1);

        assertThat(Cli.ok(env(), "channels", "unbind", "2").out()).isEqualTo("removed binding 2\n");
        JsonNode left = Json.mapper().readTree(Cli.ok(env(), "channels", "bindings", "telegram:ops", "--json").out());
        assertThat(left).hasSize(1);
        assertThat(left.get(0).get("target").get("type").asText()).isEqualTo("tag");
    }

    @Test
    void refusalsExitWithTheRelaysStatus() {
        Cli.Result unknown = Cli.run(env(), null, "channels", "unbind", "99");
        assertThat(unknown.exit()).as("%s", unknown).isEqualTo(4);
        assertThat(unknown.err()).contains("channel binding not found");
        Cli.Result stale = Cli.run(env(), null, "channels", "bind", "telegram:ops", "alice", "--instance", "old");
        assertThat(stale.exit()).as("%s", stale).isEqualTo(5);
        Cli.Result unbound = Cli.run(env(), null, "channels", "event", "telegram:ops", "--conversation", "c", "--text", "x");
        assertThat(unbound.exit()).as("%s", unbound).isEqualTo(5);
        assertThat(unbound.err()).contains("channel has no binding");
        Cli.Result nowhere = Cli.run(env(), null, "channels", "event", "nowhere", "--conversation", "c", "--text", "x");
        assertThat(nowhere.exit()).as("%s", nowhere).isEqualTo(4);
        Cli.Result bad = Cli.run(env(), null, "channels", "bind", "telegram:ops", "orchestrator:b1");
        assertThat(bad.err()).contains("orchestrator channel targets are not supported yet");
    }
}
