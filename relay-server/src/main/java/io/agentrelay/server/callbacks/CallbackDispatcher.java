package io.agentrelay.server.callbacks;

import io.agentrelay.server.config.CallbackUrls;
import io.agentrelay.server.config.Integration;
import io.agentrelay.server.config.Integrations;
import io.agentrelay.server.events.EventBus;
import io.agentrelay.server.events.EventType;
import io.agentrelay.server.events.Published;
import io.agentrelay.server.store.Delivery;
import io.agentrelay.server.store.DeliveryAttempt;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.system.Stats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends task callbacks from the outbox ({@code callback_deliveries}): at least once, in the order
 * they fell due, each attempt recorded.
 *
 * <p>All work happens in <em>passes</em> on one dedicated thread, so passes never overlap and no
 * delivery is sent twice at once; it is neither an event loop nor the store's writer. A pass leases
 * the deliveries due by the injected {@link Clock} (so that of several nodes one sends each attempt), posts them (concurrently, each with a
 * {@link #TIMEOUT}), waits for all answers, records every attempt in one write, and repeats until
 * nothing is due. A task's callbacks go one at a time, in order (see {@code Reads#dueDeliveries}).
 * A pass runs when a task event is committed (the dispatcher listens on the {@link EventBus}),
 * every {@link #POLL} of real time (for retries falling due), at start (resuming what a previous
 * run left pending) and when {@link #runDue()} asks — tests move their clock and call it instead of
 * waiting.
 *
 * <p>A delivery interrupted by shutdown (or a crash) has no attempt recorded and stays pending, so
 * it is sent again once its {@link #LEASE} runs out, by this node after a restart or by another:
 * receivers de-duplicate by {@value #DELIVERY_HEADER}.
 */
public final class CallbackDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackDispatcher.class);

    public static final String SIGNATURE_HEADER = "X-Agent-Relay-Signature";
    public static final String DELIVERY_HEADER = "X-Agent-Relay-Delivery";
    public static final String TIMESTAMP_HEADER = "X-Agent-Relay-Timestamp";
    public static final String EVENT_HEADER = "X-Agent-Relay-Event";
    public static final String ATTEMPT_HEADER = "X-Agent-Relay-Attempt";
    public static final String EVENT = "task.status";

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Duration POLL = Duration.ofSeconds(1);
    static final int BATCH = 32;
    /**
     * How long a node holds the callbacks it took for one pass: longer than a pass can take (the
     * attempts' {@link #TIMEOUT}), so another node never sends them meanwhile, and short enough that
     * callbacks a dead node held go out again soon.
     */
    static final Duration LEASE = Duration.ofSeconds(60);

    private final Store store;
    private final Clock clock;
    private final Integrations integrations;
    private final Backoff backoff = new Backoff(bound -> ThreadLocalRandom.current().nextLong(bound));
    private final ScheduledExecutorService passes;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    private final EventBus.Lane lane;
    private final EventBus.Listener listener = this::onEvents;
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private volatile boolean closed;

    private CallbackDispatcher(Store store, EventBus bus, Clock clock, Integrations integrations) {
        this.store = store;
        this.clock = clock;
        this.integrations = integrations;
        this.passes = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("relay-callbacks")
                .daemon(true).uncaughtExceptionHandler((t, e) -> LOG.error("callback dispatcher failed", e)).factory());
        this.httpThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("relay-callback-http-", 0).factory());
        this.http = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                // A redirect could lead anywhere, including private addresses: not followed.
                .followRedirects(HttpClient.Redirect.NEVER)
                // Plain HTTP/1.1: on http:// the JDK client otherwise asks to upgrade to h2c
                // (Upgrade: h2c), and receivers that also serve WebSockets (Node's ws next to an
                // HTTP handler) took every such request for a failed upgrade and dropped it.
                .version(HttpClient.Version.HTTP_1_1)
                .executor(httpThreads)
                .build();
        Executor laneExecutor = task -> {
            try {
                passes.execute(task);
            } catch (RejectedExecutionException closing) {
                // shutting down: the wake-up is not needed, pending deliveries resume after a restart
            }
        };
        this.lane = bus.lane(this, laneExecutor);
    }

    /** Starts dispatching, beginning with whatever a previous run left pending. */
    public static CallbackDispatcher start(Store store, EventBus bus, Clock clock, Integrations integrations) {
        CallbackDispatcher dispatcher = new CallbackDispatcher(store, bus, clock, integrations);
        dispatcher.lane.add(dispatcher.listener);
        dispatcher.passes.scheduleWithFixedDelay(dispatcher::wake, POLL.toMillis(), POLL.toMillis(),
                TimeUnit.MILLISECONDS);
        dispatcher.wake();
        return dispatcher;
    }

    /**
     * Runs a pass after any pass already queued and completes with the number of attempts it made:
     * when it completes, every delivery that was due by the clock has been attempted and recorded.
     */
    public CompletableFuture<Integer> runDue() {
        try {
            return CompletableFuture.supplyAsync(this::pass, passes);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the callback dispatcher is closed"));
        }
    }

    private void onEvents(List<Published> events) {
        for (Published event : events) {
            if (event.event().type() == EventType.TASK_CREATED || event.event().type() == EventType.TASK_UPDATED) {
                wake();
                return;
            }
        }
    }

    /** Queues a pass unless one is already queued; cheap, never blocks. */
    private void wake() {
        if (closed || !passQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            passes.execute(() -> {
                passQueued.set(false);
                pass();
            });
        } catch (RejectedExecutionException closing) {
            passQueued.set(false);
        }
    }

    private int pass() {
        int attempted = 0;
        try {
            while (!closed) {
                long now = clock.millis();
                // Leased, not just read: with several relay nodes on one database, each attempt is
                // made by the one node whose lease took it.
                List<Delivery> due = store.write(tx -> tx.leaseDueDeliveries(now, BATCH, now + LEASE.toMillis())).get();
                if (due.isEmpty()) {
                    break;
                }
                List<CompletableFuture<Outcome>> sends = new ArrayList<>(due.size());
                for (Delivery delivery : due) {
                    sends.add(attempt(delivery));
                }
                List<Outcome> outcomes = new ArrayList<>(sends.size());
                for (CompletableFuture<Outcome> send : sends) {
                    outcomes.add(send.get());
                }
                store.write(tx -> {
                    for (Outcome outcome : outcomes) {
                        tx.recordAttempt(outcome.attempt(), outcome.state(), outcome.nextAttemptAt());
                    }
                    return null;
                }).get();
                // Go on until nothing is due: a delivered callback may free the next one of its task.
                attempted += due.size();
            }
        } catch (InterruptedException e) {
            // closing: attempts in flight stay unrecorded and their deliveries pending, to be sent again
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            if (!closed) {
                LOG.warn("callback pass failed; pending deliveries are retried on the next pass", e);
            }
        }
        return attempted;
    }

    /** The result of one attempt and what follows from it. */
    private record Outcome(DeliveryAttempt attempt, Delivery.State state, long nextAttemptAt) {
    }

    private CompletableFuture<Outcome> attempt(Delivery delivery) {
        int number = delivery.attempts() + 1;
        long startedAt = clock.millis();
        Integration integration = integrations.named(delivery.integration()).orElse(null);
        if (integration == null || integration.callbackUrl() == null) {
            // Configuration changed since the task change: nobody to tell any more.
            return CompletableFuture.completedFuture(new Outcome(new DeliveryAttempt(delivery.id(), number, startedAt,
                    null, "integration " + delivery.integration() + " has no callbackUrl configured any more"),
                    Delivery.State.FAILED, startedAt));
        }
        URI url = integration.callbackUrl();
        String refusal = CallbackUrls.refusal(url.getHost(), integrations.allowPrivateCallbacks());
        if (refusal != null) {
            return CompletableFuture.completedFuture(failed(delivery, number, startedAt, null, refusal));
        }
        // deliveryId and timestamp are inside the signed body, so a receiver can trust them to
        // de-duplicate and to reject replays of old requests.
        byte[] body = ("{\"event\":\"" + EVENT + "\",\"deliveryId\":" + delivery.id() + ",\"attempt\":" + number
                + ",\"timestamp\":" + startedAt + ",\"task\":" + delivery.task() + "}").getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "agent-relay/" + Stats.VERSION)
                .header(EVENT_HEADER, EVENT)
                .header(DELIVERY_HEADER, Long.toString(delivery.id()))
                .header(ATTEMPT_HEADER, Integer.toString(number))
                .header(TIMESTAMP_HEADER, Long.toString(startedAt))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (integration.secret() != null) {
            request.header(SIGNATURE_HEADER, Signatures.sign(integration.secret(), body));
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    if (error != null) {
                        return failed(delivery, number, startedAt, null, describe(error));
                    }
                    int status = response.statusCode();
                    if (status >= 200 && status < 300) {
                        return new Outcome(new DeliveryAttempt(delivery.id(), number, startedAt, status, null),
                                Delivery.State.DELIVERED, clock.millis());
                    }
                    return failed(delivery, number, startedAt, status, "receiver answered HTTP " + status);
                });
    }

    private Outcome failed(Delivery delivery, int number, long startedAt, Integer status, String error) {
        DeliveryAttempt attempt = new DeliveryAttempt(delivery.id(), number, startedAt, status, error);
        if (number >= integrations.callbackMaxAttempts()) {
            return new Outcome(attempt, Delivery.State.FAILED, clock.millis());
        }
        return new Outcome(attempt, Delivery.State.PENDING, clock.millis() + backoff.delayAfter(number));
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + TIMEOUT.toSeconds() + " s";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** Stops dispatching. A pass in flight is abandoned; its deliveries stay pending for the next run. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        lane.remove(listener);
        passes.shutdownNow();
        try {
            passes.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.shutdownNow();
        httpThreads.shutdownNow();
    }
}
