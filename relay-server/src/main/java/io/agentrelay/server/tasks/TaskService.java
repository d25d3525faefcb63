package io.agentrelay.server.tasks;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.agentrelay.api.AgentCard;
import io.agentrelay.api.ChannelBinding;
import io.agentrelay.api.Message;
import io.agentrelay.api.MessageKind;
import io.agentrelay.api.Task;
import io.agentrelay.api.TaskEvent;
import io.agentrelay.api.TaskStatus;
import io.agentrelay.api.Target;
import io.agentrelay.server.agents.AgentService;
import io.agentrelay.server.channels.ChannelService;
import io.agentrelay.server.agents.SessionGuard;
import io.agentrelay.server.agents.SignsOfLife;
import io.agentrelay.server.config.Integration;
import io.agentrelay.server.config.IntegrationScope;
import io.agentrelay.server.config.Integrations;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.messages.MessageService;
import io.agentrelay.server.messages.SendMessage;
import io.agentrelay.server.model.Audience;
import io.agentrelay.server.store.Delivery;
import io.agentrelay.server.store.NewTask;
import io.agentrelay.server.store.Reads;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.store.TaskQuery;
import io.agentrelay.server.store.Tx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Tasks raised by integrations: ingesting events (new task, repeated occurrence, resolution),
 * claims, and status changes along {@link Transitions}. Every change appends its event, its history
 * entry and — when the integration has a {@code callbackUrl} — its callback delivery in the same
 * transaction, so nothing committed goes unreported.
 */
public final class TaskService {
    /** Prefix of the sender of task messages: {@code integration:<name>}. */
    public static final String SENDER_PREFIX = "integration:";

    private final Store store;
    private final MessageService messages;
    private final Clock clock;
    private final Integrations integrations;
    private final RateLimits rateLimits;
    private final SignsOfLife signsOfLife;

    public TaskService(Store store, MessageService messages, Clock clock, Integrations integrations,
                       SignsOfLife signsOfLife) {
        this.store = store;
        this.signsOfLife = signsOfLife;
        this.messages = messages;
        this.clock = clock;
        this.integrations = integrations;
        this.rateLimits = new RateLimits(integrations.ratePerMinute(), clock);
    }

    public Integrations integrations() {
        return integrations;
    }

    /**
     * Counts one request of {@code integration} against its rate limit
     * ({@code AGENT_RELAY_INTEGRATION_RATE_LIMIT_PER_MINUTE}); throws {@link RelayError.RateLimited}
     * when it is used up.
     */
    public void admit(Integration integration) {
        rateLimits.acquire(integration.name());
    }

    /** The outcome of an event: the task it concerns (null for a resolution of nothing active) and whether it is new. */
    public record Ingested(Task task, boolean created) {
    }

    /** A task with its history. */
    public record TaskView(@JsonUnwrapped Task task, List<TaskEvent> events) {
    }

    /** What the reaper released: holders offline, and holders no longer registered at all. */
    public record Released(List<Long> offlineHolders, List<Long> orphaned) {
    }

    public CompletableFuture<Ingested> ingest(Integration integration, IntegrationEvent event) {
        if (!integration.allows(IntegrationScope.TASKS_CREATE)) {
            throw new RelayError.Forbidden("integration " + integration.name() + " lacks the scope "
                    + IntegrationScope.TASKS_CREATE.wire());
        }
        if (event.target() != null) {
            requireTarget(integration, event.target());
        }
        if (event.channel() != null && !integration.channels().contains(event.channel())) {
            throw new RelayError.Forbidden("integration " + integration.name() + " may not use channel "
                    + event.channel());
        }
        return store.write(tx -> {
            Target target = event.target();
            if (target == null) {
                target = channelTarget(tx, event.channel());
                requireTarget(integration, target);
            }
            long now = clock.millis();
            Task active = event.dedupeKey() == null ? null
                    : tx.activeTask(integration.name(), event.dedupeKey()).orElse(null);
            TaskStatus closing = event.status().closesAs();
            if (closing != null) {
                if (active == null) {
                    return new Ingested(null, false);
                }
                Task closed = active.moved(closing, active.claimedBy(), active.claimedAt(), active.progress(),
                        active.result(), now);
                record(tx, active, closed, TaskEvent.Kind.RESOLVED, null,
                        Map.of("integration", integration.name(), "status", event.status().wire()), true, now);
                return new Ingested(closed, false);
            }
            if (active != null) {
                return new Ingested(occurrence(tx, active, event, now), false);
            }
            NewTask draft = new NewTask(integration.name(), target.wire(), event.channel(),
                    event.dedupeKey(), event.title(), event.body(), event.severity(), event.externalUrl(),
                    event.metadata(), now);
            Task task = event.dedupeKey() == null ? tx.insertTask(draft) : tx.insertTaskOnce(draft).orElse(null);
            if (task == null) {
                // Insert-once on the dedupe key: a racing event (on another node) made the task first.
                Task winner = tx.activeTask(integration.name(), event.dedupeKey()).orElseThrow();
                return new Ingested(occurrence(tx, winner, event, now), false);
            }
            Message announcement = messages.sendWithin(tx, announcement(integration, task)).message();
            task = task.withMessage(announcement.id());
            tx.saveTaskIf(task, TaskStatus.OPEN);
            record(tx, null, task, TaskEvent.Kind.CREATED, null, Map.of("messageId", announcement.id()), true, now);
            return new Ingested(task, true);
        });
    }

    private static void requireTarget(Integration integration, Target target) {
        if (!integration.targets().contains(target.wire())) {
            throw new RelayError.Forbidden("integration " + integration.name() + " may not address target "
                    + target.wire());
        }
    }

    /**
     * The target of an event that names none (REFERENCE §1.5): its channel's first binding's, which
     * must be a registered agent or a {@code policy:} target (whatever the send path then does with it).
     */
    private static Target channelTarget(Reads reads, String channel) {
        ChannelBinding binding = ChannelService.firstBinding(reads, channel).orElseThrow(() ->
                new RelayError.InvalidInput("target", "is required (channel " + channel + " has no binding)"));
        ChannelBinding.BindingTarget bound = binding.target();
        boolean agent = bound.type() == ChannelBinding.TargetType.AGENT && reads.agent(bound.id()).isPresent();
        if (!agent && bound.type() != ChannelBinding.TargetType.POLICY) {
            throw RelayError.InvalidInput.worded("target", "channel " + channel + " binding resolves to "
                    + bound.address() + "; integration channel targets must resolve to one backend agent");
        }
        return Target.parse(bound.address());
    }

    /** Counts a repeat of an active task, in SQL so that concurrent repeats are all counted. */
    private Task occurrence(Tx tx, Task active, IntegrationEvent event, long now) {
        tx.countOccurrence(active.id(), now);
        Task again = existing(tx, active.id());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("occurrenceCount", again.occurrenceCount());
        data.put("severity", event.severity());
        data.put("metadata", event.metadata());
        // A repeat is not a status change: recorded and streamed, but no callback; already saved.
        report(tx, integrations, again, TaskEvent.Kind.OCCURRENCE, null, data, false, now, active.status());
        return again;
    }

    /** Callbacks of a configured integration, newest first, each with its attempts. */
    public CompletableFuture<List<Delivery>> deliveries(String integration, long before, int limit) {
        if (integrations.named(integration).isEmpty()) {
            return CompletableFuture.failedFuture(new RelayError.NotFound("integration " + integration + " not found"));
        }
        return store.read(reads -> reads.deliveries(integration, before, limit).stream()
                .map(delivery -> delivery.withLog(reads.deliveryAttempts(delivery.id())))
                .toList());
    }

    public CompletableFuture<List<Task>> list(TaskQuery query) {
        return store.read(reads -> reads.tasks(query));
    }

    public CompletableFuture<TaskView> get(long id) {
        return store.read(reads -> new TaskView(existing(reads, id), reads.taskEvents(id)));
    }

    /**
     * Claims an open task for one agent. Exactly one of several racing claimers wins, on any node:
     * the move is a conditional update on the status it was read with ({@link Tx#saveTaskIf}). The
     * holder claiming again gets the task back unchanged.
     */
    public CompletableFuture<Task> claim(long id, String agentId) {
        return store.write(tx -> {
            Task claimed = claim(tx, existing(tx, id), agentId, clock.millis());
            signsOfLife.within(tx, agentId, clock.millis());
            return claimed;
        });
    }

    public CompletableFuture<Task> updateStatus(long id, UpdateTaskStatus command) {
        return store.write(tx -> {
            long now = clock.millis();
            Task task = existing(tx, id);
            if (command.status() == TaskStatus.CLAIMED && task.status() == TaskStatus.OPEN) {
                Task claimed = claim(tx, task, command.agentId(), now);
                signsOfLife.within(tx, command.agentId(), now);
                return claimed;
            }
            if (!Transitions.allowed(task.status(), command.status())) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("status", task.status().wire());
                details.put("allowed", Transitions.from(task.status()).stream().map(TaskStatus::wire).toList());
                throw new RelayError.Conflict("task " + id + " cannot go from " + task.status().wire() + " to "
                        + command.status().wire(), details);
            }
            if (task.claimedBy() != null && !task.claimedBy().equals(command.agentId())) {
                throw new RelayError.Conflict("task " + id + " is claimed by " + task.claimedBy(),
                        Map.of("claimedBy", task.claimedBy(), "status", task.status().wire()));
            }
            Task after = task.moved(command.status(), task.claimedBy(), task.claimedAt(),
                    command.progress() != null ? command.progress() : task.progress(),
                    command.result() != null ? command.result() : task.result(), now);
            record(tx, task, after, TaskEvent.Kind.STATUS, command.agentId(), Map.of(), true, now);
            signsOfLife.within(tx, command.agentId(), now);
            return after;
        });
    }

    private Task claim(Tx tx, Task task, String agentId, long now) {
        AgentCard agent = tx.agent(agentId).orElseThrow(() -> AgentService.notFound(agentId));
        if (!Audience.of(agent).reachedBy(task.target())) {
            throw new RelayError.Forbidden("task " + task.id() + " is for " + task.target()
                    + ", which does not reach agent " + agentId);
        }
        if (agentId.equals(task.claimedBy()) && task.status().active()) {
            return task;
        }
        if (task.status() != TaskStatus.OPEN) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", task.status().wire());
            if (task.claimedBy() != null) {
                details.put("claimedBy", task.claimedBy());
            }
            throw new RelayError.Conflict(task.claimedBy() != null
                    ? "task " + task.id() + " is already claimed by " + task.claimedBy()
                    : "task " + task.id() + " is " + task.status().wire() + " and cannot be claimed", details);
        }
        Task claimed = task.moved(TaskStatus.CLAIMED, agentId, now, task.progress(), task.result(), now);
        record(tx, task, claimed, TaskEvent.Kind.CLAIMED, agentId, Map.of(), true, now);
        return claimed;
    }

    /**
     * Puts every active task whose holder is offline or gone back to {@code open}, for the reaper,
     * inside its transaction. Not in {@link Transitions}: this move is the relay's, not an agent's.
     */
    public static Released releaseClaimsOfUnavailableAgents(Tx tx, Integrations integrations, long now) {
        List<Long> offline = new ArrayList<>();
        List<Long> orphaned = new ArrayList<>();
        for (Task task : tx.tasksHeldByUnavailableAgents()) {
            boolean gone = tx.agent(task.claimedBy()).isEmpty();
            Task reopened = task.moved(TaskStatus.OPEN, null, null, task.progress(), task.result(), now);
            record(tx, integrations, task, reopened, TaskEvent.Kind.RELEASED, task.claimedBy(),
                    Map.of("reason", gone ? "holder_gone" : "holder_offline"), true, now);
            (gone ? orphaned : offline).add(task.id());
        }
        return new Released(offline, orphaned);
    }

    private void record(Tx tx, Task before, Task after, TaskEvent.Kind kind, String agentId,
                        Map<String, Object> extra, boolean callback, long now) {
        record(tx, integrations, before, after, kind, agentId, extra, callback, now);
    }

    /**
     * Saves a change and everything that reports it: the log event (scoped to the task's target, so
     * streams route it like a message to that target), the task's history entry and the callback.
     */
    private static void record(Tx tx, Integrations integrations, Task before, Task after, TaskEvent.Kind kind,
                               String agentId, Map<String, Object> extra, boolean callback, long now) {
        if (before != null && !tx.saveTaskIf(after, before.status())) {
            // Moved by someone else since it was read (another node's claim or update): a conflict.
            Task current = existing(tx, after.id());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", current.status().wire());
            if (current.claimedBy() != null) {
                details.put("claimedBy", current.claimedBy());
            }
            throw new RelayError.Conflict("task " + after.id() + " changed meanwhile: it is now "
                    + current.status().wire() + (current.claimedBy() == null ? "" : ", claimed by " + current.claimedBy()),
                    details);
        }
        report(tx, integrations, after, kind, agentId, extra, callback, now, before == null ? null : before.status());
    }

    /** The log event, the task's history entry and the callback of a change already saved. */
    private static void report(Tx tx, Integrations integrations, Task after, TaskEvent.Kind kind, String agentId,
                               Map<String, Object> extra, boolean callback, long now, TaskStatus from) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("change", kind);
        data.put("agentId", agentId);
        data.put("from", from);
        data.put("to", after.status());
        data.putAll(extra);
        data.put("task", after);
        Event event = tx.append(kind == TaskEvent.Kind.CREATED ? EventType.TASK_CREATED : EventType.TASK_UPDATED,
                Event.Origin.of(agentId, after.id()), new Event.Scope(after.target(), agentId != null ? agentId : after.claimedBy(), after.channel()),
                data, now);
        tx.insertTaskEvent(new TaskEvent(0, after.id(), kind, agentId, from, after.status(), extra, event.id(), now));
        if (callback) {
            integrations.named(after.integration())
                    .filter(integration -> integration.callbackUrl() != null)
                    .ifPresent(integration -> tx.insertDelivery(integration.name(), after, event.id(), now));
        }
    }

    private static SendMessage announcement(Integration integration, Task task) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("taskId", task.id());
        payload.put("integration", integration.name());
        payload.put("dedupeKey", task.dedupeKey());
        payload.put("severity", task.severity());
        payload.put("externalUrl", task.externalUrl());
        payload.put("metadata", task.metadata());
        Map<String, Object> meta = Map.of("taskId", task.id(), "severity", task.severity().wire());
        return new SendMessage(SENDER_PREFIX + integration.name(), Target.parse(task.target()), MessageKind.TASK,
                task.title(), task.body() != null ? task.body() : task.title(), null, true, null, meta, payload,
                task.channel(), null, SessionGuard.NONE);
    }

    private static Task existing(Reads reads, long id) {
        return reads.task(id).orElseThrow(() -> new RelayError.NotFound("task " + id + " not found"));
    }
}
