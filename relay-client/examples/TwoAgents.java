/*
 * Two agents talking through the relay with the Java SDK: alice takes review work, bob asks for it.
 *
 * Run it against a running relay (./agent-relay serve) from the repository root:
 *
 *     ./agent-relay --version     # builds relay-cli/target/agent-relay.jar once
 *     ./agent-relay java -cp relay-cli/target/agent-relay.jar relay-client/examples/TwoAgents.java
 *
 * AGENT_RELAY_URL and AGENT_RELAY_TOKEN point it elsewhere.
 */

import io.agentrelay.api.Message;
import io.agentrelay.api.RelayEvent;
import io.agentrelay.client.EventFilter;
import io.agentrelay.client.Heartbeat;
import io.agentrelay.client.InboxQuery;
import io.agentrelay.client.LiveStream;
import io.agentrelay.client.Registration;
import io.agentrelay.client.RelayClient;
import io.agentrelay.client.RelayException;
import io.agentrelay.client.SendMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

public class TwoAgents {
    public static void main(String[] args) throws Exception {
        try (RelayClient relay = RelayClient.fromEnvironment()) {
            System.out.println("relay " + relay.url() + " is " + relay.health().status());

            // alice: registered and kept online by a heartbeat loop (close() marks her offline).
            Heartbeat alice = relay.agents().keepAlive(
                    Registration.builder("example-alice", "Alice").capabilities("review").build(), Duration.ofSeconds(20));
            relay.agents().register(Registration.builder("example-bob", "Bob").build());

            // alice listens live; the stream reconnects and resumes by itself if the relay restarts.
            BlockingQueue<Message> forAlice = new ArrayBlockingQueue<>(16);
            try (LiveStream stream = relay.events().subscribe(
                    EventFilter.forAgent("example-alice").withTypes(EventFilter.MESSAGE_NEW),
                    (RelayEvent event) -> forAlice.add(relay.messages().get(event.data().get("id").asLong())))) {

                // bob asks anyone who can review; exactly one of them may take it.
                Message request = relay.messages().send(SendMessage.builder("example-bob", "cap:review", "Review PR #42")
                        .subject("PR #42").claimable(true).build()).message();
                System.out.println("bob sent #" + request.id() + " to " + request.to());

                Message received = forAlice.poll(10, TimeUnit.SECONDS);
                if (received == null) {
                    throw new IllegalStateException("alice did not receive the request");
                }
                System.out.println("alice received #" + received.id() + ": " + received.body());
                try {
                    relay.messages().claim(received.id(), "example-alice", alice.guard());
                    System.out.println("alice claimed #" + received.id());
                } catch (RelayException.Conflict taken) {
                    System.out.println("someone else has it: " + taken.claimedBy());
                    return;
                }
                relay.messages().reply(received.id(), "example-alice", "Looks good, approved.");
                relay.messages().markRead("example-alice", List.of(received.id()));
            }

            for (Message message : relay.messages().inbox("example-bob", InboxQuery.UNREAD).messages()) {
                System.out.println("bob's inbox: #" + message.id() + " from " + message.from() + ": " + message.body()
                        + " (thread #" + message.threadId() + ")");
            }
            alice.close();
            System.out.println("alice is " + relay.agents().get("example-alice").status().wire());
        }
    }
}
