package io.agentrelay.cli;

import io.agentrelay.server.RelayServer;
import io.agentrelay.server.config.RelayConfig;
import io.agentrelay.server.config.Setting;
import io.agentrelay.server.threads.RelayThreads;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code agent-relay serve}: runs the relay until interrupted. Its flags are the {@link Setting}s,
 * each overriding the environment variable of the same meaning; see docs/configuration.md.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, modelTransformer = ServeCommand.SettingFlags.class,
        description = "Run the relay (default http://127.0.0.1:4850, data in ~/.agent-relay/relay.db).")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** One option per {@link Setting}, named, described and bounded there. */
    static final class SettingFlags implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            for (Setting setting : Setting.values()) {
                command.addOption(OptionSpec.builder(setting.flag())
                        .paramLabel(label(setting))
                        .type(String.class)
                        .description(setting.helpLine())
                        .build());
            }
            return command;
        }

        private static String label(Setting setting) {
            return switch (setting.type().kind()) {
                case MILLIS -> "<ms>";
                case BYTES -> "<bytes>";
                case NUMBER -> "<n>";
                case BOOLEAN -> "<true|false>";
                case TEXT -> new StringBuilder("<").append(setting.flag(), setting.flag().lastIndexOf('-') + 1,
                        setting.flag().length()).append('>').toString();
            };
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        RelayConfig config;
        try {
            config = RelayConfig.from(System.getenv(), overrides());
        } catch (RelayConfig.Invalid e) {
            System.err.println("agent-relay: " + e.getMessage());
            return 2;
        }
        RelayServer server;
        try {
            server = RelayServer.start(config, Clock.systemUTC());
        } catch (RuntimeException e) {
            System.err.println("agent-relay: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(RelayThreads.shutdownHook("relay-shutdown", () -> {
            server.close();
            stopped.countDown();
        }));
        String store = config.databaseUrl() != null ? "postgresql: " + config.databaseUrl().redacted()
                : "db: " + config.database().toAbsolutePath();
        System.out.println("agent-relay listening on " + server.url() + " (" + store
                + (config.token() == null ? ", no token: loopback only" : ", token required") + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** The flags given, keyed by their variable, as {@link RelayConfig#from} takes them. */
    Map<String, String> overrides() {
        Map<String, String> byEnv = new LinkedHashMap<>();
        for (Setting setting : Setting.values()) {
            String value = spec.findOption(setting.flag()).getValue();
            if (value != null) {
                byEnv.put(setting.env(), value);
            }
        }
        return byEnv;
    }
}
