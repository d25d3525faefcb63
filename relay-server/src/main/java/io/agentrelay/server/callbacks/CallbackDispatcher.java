package io.agentrelay.server.callbacks;

import io.agentrelay.server.config.CallbackUrls;
import io.agentrelay.server.config.Integration;
import io.agentrelay.server.config.Integrations;
import io.agentrelay.server.events.EventBus;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.events.Published;
import io.agentrelay.server.store.Delivery;
import io.agentrelay.server.store.DeliveryAttempt;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.system.Stats;
import io.agentrelay.server.threads.RelayThreads;
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
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
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
 * <p>One scheduler thread (neither an event loop nor the store's writer) runs <em>passes</em>: a
 * pass leases the deliveries due by the injected {@link Clock} (so that of several nodes on one
 * database one sends each attempt; a leased delivery is not due for anyone, this node included, so
 * it is never started twice) and starts each. Every attempt then runs on its own: it is bounded by the callback timeout as a
 * whole (connecting, sending, the answer's headers and its body), records its outcome in its own
 * write (which frees the lease), and wakes the scheduler. So a receiver that stalls holds only its
 * own deliveries: other integrations' callbacks, and retries falling due, go out meanwhile (one pass
 * used to wait for every answer, so one stalled receiver held every integration for as long as it
 * stalled). At most {@link #MAX_IN_FLIGHT} attempts are under way at once; a pass leases no more
 * than the free slots, so nothing is held that is not being sent.
 *
 * <p>A task's callbacks go one at a time, in order (see {@code Reads#dueDeliveries}: a delivery is
 * due only when no earlier one of its task is pending, and one in flight is still pending). A pass
 * runs when a task event is committed (the dispatcher listens on the {@link EventBus}), when an
 * attempt is recorded, every {@link #POLL} of real time (for retries falling due), at start
 * (resuming what a previous run left pending) and when {@link #runDue()} asks — tests move their
 * clock and call it instead of waiting.
 *
 * <p>The lease lasts {@link #LEASE}, or the callback timeout plus {@link #LEASE_MARGIN} when that is
 * longer: longer than an attempt can take, and short enough that callbacks a dead node held go out
 * again soon.
 *
 * <p>The backoff before attempt n+1 (1 s, 2 s, 4 s … with jitter, see {@link Backoff}) counts from
 * the end of attempt n, so a receiver that hangs sees attempts a timeout plus the backoff apart.
 *
 * <p>A delivery interrupted by shutdown has no attempt recorded and stays pending, so it is sent
 * again after the restart: receivers de-duplicate by {@value #DELIVERY_HEADER}.
 */
public final class CallbackDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackDispatcher.class);

    public static final String SIGNATURE_HEADER = "X-Agent-Relay-Signature";
    public static final String DELIVERY_HEADER = "X-Agent-Relay-Delivery";
    public static final String TIMESTAMP_HEADER = "X-Agent-Relay-Timestamp";
    public static final String EVENT_HEADER = "X-Agent-Relay-Event";
    public static final String ATTEMPT_HEADER = "X-Agent-Relay-Attempt";
    public static final String EVENT = "task.status";

    static final Duration POLL = Duration.ofSeconds(1);
    static final int BATCH = 32;
    static final int MAX_IN_FLIGHT = 256;
    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

    private final Store store;
    private final Clock clock;
    private final Integrations integrations;
    private final Duration timeout;
    private final Duration lease;
    private final Backoff backoff = new Backoff(bound -> ThreadLocalRandom.current().nextLong(bound));
    private final ScheduledExecutorService scheduler;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    private final EventBus.Lane lane;
    private final EventBus.Listener listener = this::onEvents;
    private final AtomicBoolean passQueued = new AtomicBoolean();
    /** Attempts under way, by delivery id: each completes once its outcome is recorded (or abandoned). */
    private final Map<Long, InFlight> inFlight = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** One attempt under way: the exchange (to cancel), and when it is recorded. */
    private record InFlight(CompletableFuture<?> exchange, CompletableFuture<Void> recorded) {
    }

    private CallbackDispatcher(Store store, EventBus bus, Clock clock, Integrations integrations) {
        this.store = store;
        this.clock = clock;
        this.integrations = integrations;
        this.timeout = integrations.callbackTimeout();
        this.lease = timeout.plus(LEASE_MARGIN).compareTo(LEASE) > 0 ? timeout.plus(LEASE_MARGIN) : LEASE;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(RelayThreads.daemon("relay-callbacks"));
        this.httpThreads = Executors.newThreadPerTaskExecutor(RelayThreads.virtual("relay-callback-http-"));
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
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
                scheduler.execute(task);
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
        dispatcher.scheduler.scheduleWithFixedDelay(dispatcher::wake, POLL.toMillis(), POLL.toMillis(),
                TimeUnit.MILLISECONDS);
        dispatcher.wake();
        return dispatcher;
    }

    /**
     * Starts what is due, waits until every attempt under way is recorded, and repeats until nothing
     * is due; completes with the number of attempts started. When it completes, every delivery that
     * was due by the clock has been attempted and recorded.
     */
    public CompletableFuture<Integer> runDue() {
        CompletableFuture<PassAndPending> passed;
        try {
            passed = CompletableFuture.supplyAsync(() -> {
                // Attempts start only on this thread, so what is in flight can only shrink while the
                // pass runs: idle before it and nothing due in it means nothing is left to wait for.
                // (Reading what is in flight after the pass, elsewhere, let an attempt recorded in
                // between hide the delivery that fell due behind it.)
                boolean idleBefore = inFlight.isEmpty();
                int started = pass();
                List<CompletableFuture<Void>> pending = inFlight.values().stream().map(InFlight::recorded).toList();
                return new PassAndPending(started, idleBefore, pending);
            }, scheduler);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the callback dispatcher is closed"));
        }
        return passed.thenCompose(pass -> {
            if (pass.started() == 0 && pass.idleBefore()) {
                return CompletableFuture.completedFuture(0);
            }
            return CompletableFuture.allOf(pass.pending().toArray(CompletableFuture[]::new))
                    .thenCompose(v -> runDue())
                    .thenApply(more -> pass.started() + more);
        });
    }

    /** What one pass of {@link #runDue()} started, whether nothing was in flight before it, and what was after. */
    private record PassAndPending(int started, boolean idleBefore, List<CompletableFuture<Void>> pending) {
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
            scheduler.execute(() -> {
                passQueued.set(false);
                pass();
            });
        } catch (RejectedExecutionException closing) {
            passQueued.set(false);
        }
    }

    /** Leases and starts what is due, up to the free slots; returns how many. Runs on the scheduler thread. */
    private int pass() {
        if (closed) {
            return 0;
        }
        try {
            long now = clock.millis();
            int free = Math.min(BATCH, MAX_IN_FLIGHT - inFlight.size());
            if (free <= 0) {
                return 0;   // each attempt's recording wakes the scheduler again
            }
            // Leased, not just read: with several relay nodes on one database, each attempt is
            // made by the one node whose lease took it.
            List<Delivery> due = store.write(tx -> tx.leaseDueDeliveries(now, free, now + lease.toMillis())).get();
            due.forEach(this::start);
            return due.size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!closed) {
                LOG.warn("callback pass failed; pending deliveries are retried on the next pass", e);
            }
        }
        return 0;
    }

    /** Starts one attempt of a delivery this node has leased. */
    private void start(Delivery delivery) {
        CompletableFuture<Void> recorded = new CompletableFuture<>();
        CompletableFuture<Outcome> exchange = new CompletableFuture<>();
        inFlight.put(delivery.id(), new InFlight(exchange, recorded));
        attempt(delivery, exchange);
        exchange.handle((outcome, error) -> {
            if (error != null || closed) {
                // Abandoned (shutting down): no attempt recorded, the delivery stays pending.
                return CompletableFuture.<Void>completedFuture(null);
            }
            return store.write(tx -> {
                tx.recordAttempt(outcome.attempt(), outcome.state(), outcome.nextAttemptAt());
                return null;
            }).thenApply(v -> (Void) null);
        }).thenCompose(write -> write).whenComplete((v, error) -> {
            if (error != null && !closed) {
                LOG.warn("recording callback attempt of delivery {} failed; it is tried again", delivery.id(), error);
            }
            // Only now may a pass see the delivery again (recorded: delivered, failed, or pending later).
            inFlight.remove(delivery.id());
            recorded.complete(null);
            wake();
        });
    }

    /** The result of one attempt and what follows from it. */
    private record Outcome(DeliveryAttempt attempt, Delivery.State state, long nextAttemptAt) {
    }

    /** Runs one attempt and completes {@code outcome} with its result, whatever happens, within the timeout. */
    private void attempt(Delivery delivery, CompletableFuture<Outcome> outcome) {
        int number = delivery.attempts() + 1;
        long startedAt = clock.millis();
        Integration integration = integrations.named(delivery.integration()).orElse(null);
        if (integration == null || integration.callbackUrl() == null) {
            // Configuration changed since the task change: nobody to tell any more.
            outcome.complete(new Outcome(new DeliveryAttempt(delivery.id(), number, startedAt, null,
                    "integration " + delivery.integration() + " has no callbackUrl configured any more"),
                    Delivery.State.FAILED, startedAt));
            return;
        }
        URI url = integration.callbackUrl();
        String refusal = CallbackUrls.refusal(url.getHost(), integrations.allowPrivateCallbacks());
        if (refusal != null) {
            outcome.complete(failed(delivery, number, startedAt, null, refusal));
            return;
        }
        // deliveryId and timestamp are inside the signed body, so a receiver can trust them to
        // de-duplicate and to reject replays of old requests.
        byte[] body = ("{\"event\":\"" + EVENT + "\",\"deliveryId\":" + delivery.id() + ",\"attempt\":" + number
                + ",\"timestamp\":" + startedAt + ",\"task\":" + delivery.task() + "}").getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
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
        // The request's own timeout ends at the answer's headers; the answer's body is read too (to
        // reuse the connection), so the deadline for the whole exchange is kept here and cancels it.
        CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(request.build(),
                HttpResponse.BodyHandlers.discarding());
        AtomicBoolean timedOut = new AtomicBoolean();
        java.util.concurrent.ScheduledFuture<?> deadline = scheduler.schedule(() -> {
            if (!exchange.isDone()) {
                timedOut.set(true);
                exchange.cancel(true);
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        exchange.whenComplete((response, error) -> {
            deadline.cancel(false);
            if (closed) {
                outcome.completeExceptionally(new CancellationException("closing"));
            } else if (error != null) {
                outcome.complete(failed(delivery, number, startedAt, null,
                        timedOut.get() ? noAnswer() : describe(error)));
            } else {
                int status = response.statusCode();
                outcome.complete(status >= 200 && status < 300
                        ? new Outcome(new DeliveryAttempt(delivery.id(), number, startedAt, status, null),
                                Delivery.State.DELIVERED, clock.millis())
                        : failed(delivery, number, startedAt, status, "receiver answered HTTP " + status));
            }
        });
    }

    private Outcome failed(Delivery delivery, int number, long startedAt, Integer status, String error) {
        DeliveryAttempt attempt = new DeliveryAttempt(delivery.id(), number, startedAt, status, error);
        if (number >= integrations.callbackMaxAttempts()) {
            return new Outcome(attempt, Delivery.State.FAILED, clock.millis());
        }
        return new Outcome(attempt, Delivery.State.PENDING, clock.millis() + backoff.delayAfter(number));
    }

    private String noAnswer() {
        return "no complete answer within " + timeout.toMillis() + " ms (AGENT_RELAY_CALLBACK_TIMEOUT_MS)";
    }

    private String describe(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof HttpTimeoutException) {
            return noAnswer();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /**
     * Stops dispatching. Attempts under way are abandoned; their deliveries stay pending for the
     * next run.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        lane.remove(listener);
        inFlight.values().forEach(f -> f.exchange().cancel(true));
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.shutdownNow();
        httpThreads.shutdownNow();
    }
}
