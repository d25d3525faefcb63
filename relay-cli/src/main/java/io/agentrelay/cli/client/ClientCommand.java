package io.agentrelay.cli.client;

import io.agentrelay.client.RelayClient;
import io.agentrelay.client.RelayException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a relay over HTTP through the SDK. Subclasses implement
 * {@link #run(RelayClient)}; a {@link io.agentrelay.client.RelayException} they let escape becomes a
 * message on stderr and an exit code ({@link ExitCodes}).
 */
public abstract class ClientCommand implements Callable<Integer> {
    @Mixin
    protected ClientOptions relay;

    @Spec
    protected CommandSpec spec;

    protected Output out;

    @Override
    public final Integer call() throws Exception {
        out = new Output(relay.shell().out(), relay.json());
        try (RelayClient client = relay.connect()) {
            return run(client);
        } catch (RelayException.Unauthorized | RelayException.Unavailable error) {
            // Say which relay was tried and which variable to set, not which header was missing.
            err().println("agent-relay: " + Diagnosis.explain(error, relay.url(), relay.tokenGiven()));
            return ExitCodes.of(error);
        }
    }

    protected abstract int run(RelayClient client) throws Exception;

    protected PrintStream err() {
        return relay.shell().err();
    }
}
