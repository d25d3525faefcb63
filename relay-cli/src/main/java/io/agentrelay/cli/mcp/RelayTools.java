package io.agentrelay.cli.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.Json;
import io.agentrelay.api.Message;
import io.agentrelay.api.MessageKind;
import io.agentrelay.api.Pair;
import io.agentrelay.api.PairStatus;
import io.agentrelay.api.Task;
import io.agentrelay.api.TaskStatus;
import io.agentrelay.api.Wire;
import io.agentrelay.cli.client.Diagnosis;
import io.agentrelay.client.AgentFilter;
import io.agentrelay.client.Heartbeat;
import io.agentrelay.client.Inbox;
import io.agentrelay.client.InboxQuery;
import io.agentrelay.client.PairFilter;
import io.agentrelay.client.PairInvitation;
import io.agentrelay.client.RelayClient;
import io.agentrelay.client.RelayException;
import io.agentrelay.client.SendMessage;
import io.agentrelay.client.Sent;
import io.agentrelay.client.SessionGuard;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The relay as MCP tools, acting as this session's agent. Each handler parses its arguments, makes
 * SDK calls and renders a compact JSON answer; a relay refusal or a bad argument comes back as a
 * tool error carrying the relay's message, never as a protocol failure.
 */
final class RelayTools {
    static final int MAX_WAIT_SECONDS = 3600;
    static final int DEFAULT_WAIT_SECONDS = 45;
    private static final int DEFAULT_BATCH = 20;
    private static final int MAX_BATCH = 100;

    /** The tools that act (send, claim, change a task): refused under AGENT_RELAY_APPROVAL=read-only. */
    static final Set<String> ACTING = Set.of("send_message", "reply", "claim", "release", "claim_task", "update_task",
            "pair");

    private final RelayClient relay;
    private final String self;
    private final Session session;
    private final Arrivals arrivals;
    private final McpCommand.Settings settings;

    RelayTools(RelayClient relay, Session session, McpCommand.Settings settings) {
        this.relay = relay;
        this.self = session.agentId();
        this.session = session;
        this.arrivals = session.arrivals();
        this.settings = settings;
    }

    List<SyncToolSpecification> specifications() {
        return List.of(
                tool("send_message", "Send a message to another agent or a group of agents on the Agent Relay. "
                        + "'to' is an agent id, 'tag:NAME', 'cap:NAME' (every agent with that capability), 'label:NAME' "
                        + "or 'broadcast'. Set claimable=true for work that exactly one recipient should take (they "
                        + "call claim). Returns the stored message with its id.",
                        schema(Map.of(
                                "to", prop("string", "Recipient: an agent id, tag:NAME, cap:NAME, label:NAME or broadcast."),
                                "body", prop("string", "The message text."),
                                "subject", prop("string", "Optional subject line."),
                                "claimable", prop("boolean", "True for work that exactly one recipient should claim."),
                                "kind", enumProp("Message kind (default chat).", MessageKind.class),
                                "reply_to", prop("integer", "Message id this answers (puts it in that thread)."),
                                "channel", prop("string", "Optional channel name."),
                                "idempotency_key", prop("string", "Sending twice with the same key sends once."),
                                "meta", prop("object", "Free-form metadata."),
                                "payload", prop("object", "Free-form structured payload.")),
                                "to", "body"),
                        this::sendMessage),
                tool("check_inbox", "Return this agent's unread messages (oldest first) and mark them read. "
                        + "Messages reach you by your agent id, your tags, capabilities and label, and broadcasts. "
                        + "'more' is true when further unread messages wait: call again.",
                        schema(Map.of("limit", prop("integer", "At most this many (1-100, default 20)."))),
                        this::checkInbox),
                tool("reply", "Reply to a message: sent to its sender, in the same thread. Returns the reply.",
                        schema(Map.of(
                                "message_id", prop("integer", "The message to answer."),
                                "body", prop("string", "The reply text."),
                                "subject", prop("string", "Optional subject line."),
                                "claimable", prop("boolean", "True when the reply is itself work to claim.")),
                                "message_id", "body"),
                        this::reply),
                tool("get_thread", "Return the whole conversation a message belongs to, oldest first.",
                        schema(Map.of("message_id", prop("integer", "Any message of the thread.")), "message_id"),
                        this::getThread),
                tool("claim", "Claim a claimable message so that you, and nobody else, work on it. Fails with the "
                        + "holder's id when another agent claimed it first. Claims expire (default 5 minutes): claim "
                        + "again to renew while you work.",
                        schema(Map.of("message_id", prop("integer", "The claimable message.")), "message_id"),
                        this::claim),
                tool("release", "Give back a claim you hold so another agent can take the work.",
                        schema(Map.of("message_id", prop("integer", "The message you claimed.")), "message_id"),
                        this::release),
                tool("list_agents", "List the agents on the relay with their status, tags and capabilities, to find "
                        + "someone to send work to.",
                        schema(Map.of(
                                "status", enumProp("Only agents with this status.", AgentStatus.class),
                                "tag", prop("string", "Only agents with this tag."),
                                "capability", prop("string", "Only agents with this capability."))),
                        this::listAgents),
                tool("wait_for_message", "Block until a message for this agent arrives, or the timeout passes; use it "
                        + "when idle, waiting for work or for an answer. Returns unread messages at once if there are "
                        + "any; returned messages are marked read. timedOut=true means nothing came.",
                        schema(Map.of("timeout_seconds", prop("integer",
                                "How long to wait (1-" + MAX_WAIT_SECONDS + ", default " + DEFAULT_WAIT_SECONDS + ")."))),
                        this::waitForMessage),
                tool("claim_task", "Claim a task raised by an integration (an alert, a failed build) so that you, and "
                        + "nobody else, work on it. Task announcements arrive as messages of kind 'task' whose payload "
                        + "holds the taskId. Fails with the holder's id when another agent claimed it first. A task "
                        + "claim does not expire; finish it with update_task.",
                        schema(Map.of("task_id", prop("integer", "The task (payload.taskId of its announcement).")), "task_id"),
                        this::claimTask),
                tool("update_task", "Report on a task you claimed: move it to a new status, with what you are doing "
                        + "(progress) and the outcome (result); the integration that raised it is told. Allowed moves: "
                        + "claimed -> in_progress, blocked, done, failed or canceled; in_progress <-> blocked; repeat "
                        + "in_progress or blocked to report progress; done, failed and canceled are final. An open task "
                        + "must be claimed first (claim_task). Returns the task.",
                        schema(Map.of(
                                "task_id", prop("integer", "The task."),
                                "status", Map.of("type", "string", "description", "The new status.",
                                        // Not open: an agent never moves a task back to open (the reaper does).
                                        "enum", Arrays.stream(TaskStatus.values()).filter(status -> status != TaskStatus.OPEN)
                                                .map(TaskStatus::wire).toList()),
                                "progress", prop("string", "What is happening now (at most 2000 characters); kept when left out."),
                                "result", prop("string", "The outcome, e.g. what was fixed and how (at most 65536 "
                                        + "characters); kept when left out.")),
                                "task_id", "status"),
                        this::updateTask),
                tool("pair", "Work as a pair with another agent. action=invite asks 'agent' to pair with you (they get a "
                        + "message of kind 'pair' whose payload.pair.id names the pair); the invitee answers with "
                        + "action=accept or reject and 'pair_id'; while the pair is active, action=send writes 'body' "
                        + "to the other member in the pair's thread; either member ends it with action=end (the "
                        + "inviter may also withdraw a pending invitation so). Returns the pair, or the sent message.",
                        schema(Map.of(
                                "action", Map.of("type", "string", "description", "What to do.",
                                        "enum", List.of("invite", "accept", "reject", "end", "send")),
                                "agent", prop("string", "invite: the agent id to invite."),
                                "pair_id", prop("integer", "accept, reject, end, send: the pair."),
                                "topic", prop("string", "invite: what the pair is about."),
                                "body", prop("string", "invite: the invitation's text; send: the message (required)."),
                                "reason", prop("string", "reject, end: why (sent to the other member)."),
                                "ttl_seconds", prop("integer", "invite: how long the invitation waits (1-86400, default 600).")),
                                "action"),
                        this::pair),
                tool("list_pairs", "List your pairs with other agents, newest first: pending invitations (from you or to "
                        + "you), active pairs, and closed ones, each with its id, members, status and topic.",
                        schema(Map.of("status", enumProp("Only pairs with this status.", PairStatus.class))),
                        this::listPairs));
    }

    private Object pair(ToolArgs args) {
        String action = args.requiredString("action");
        SessionGuard guard = guard();
        return switch (action) {
            case "invite" -> {
                Long ttl = args.integer("ttl_seconds");
                yield brief(relay.pairs().invite(new PairInvitation(self, args.requiredString("agent"), args.string("topic"),
                        args.string("body"), ttl == null ? null : (int) range(ttl, "ttl_seconds", 1, 86_400, 600), null,
                        guard)));
            }
            case "accept", "reject", "end" -> brief(relay.pairs().move(args.requiredInteger("pair_id"), action, self,
                    args.string("reason"), guard));
            case "send" -> brief(relay.pairs().send(args.requiredInteger("pair_id"), self, args.requiredString("body"), null,
                    guard));
            default -> throw new ToolArgs.Invalid("'action' must be one of invite, accept, reject, end, send");
        };
    }

    private Object listPairs(ToolArgs args) {
        PairStatus status = args.string("status") == null ? null : Wire.find(PairStatus.class, args.string("status"));
        if (args.string("status") != null && status == null) {
            throw new ToolArgs.Invalid("'status' must be one of " + Wire.choices(PairStatus.class));
        }
        List<Pair> pairs = relay.pairs().list(PairFilter.ALL.withAgent(self).withStatus(status));
        return Map.of("you", self, "pairs", pairs.stream().map(RelayTools::brief).toList());
    }

    /** A pair without its empty fields, times as ISO instants. */
    static Map<String, Object> brief(Pair pair) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", pair.id());
        out.put("from", pair.from());
        out.put("to", pair.to());
        out.put("status", pair.status());
        putIfSet(out, "topic", pair.topic());
        putIfSet(out, "reason", pair.reason());
        putIfSet(out, "closedBy", pair.closedBy());
        if (pair.messageId() != null) {
            out.put("threadId", pair.messageId());
        }
        if (pair.status() == PairStatus.PENDING) {
            out.put("expiresAt", Instant.ofEpochMilli(pair.expiresAt()).toString());
        }
        return out;
    }

    private Object claimTask(ToolArgs args) {
        guard(); // registers first when the relay was down at start: the relay only lets known agents claim
        return brief(relay.tasks().claim(args.requiredInteger("task_id"), self));
    }

    private Object updateTask(ToolArgs args) {
        String raw = args.requiredString("status");
        TaskStatus status = Wire.find(TaskStatus.class, raw);
        if (status == null) {
            throw new ToolArgs.Invalid("'status' must be one of " + Wire.choices(TaskStatus.class));
        }
        guard();
        try {
            return brief(relay.tasks().updateStatus(args.requiredInteger("task_id"), self, status,
                    args.string("progress"), args.string("result")));
        } catch (RelayException.Conflict refused) {
            JsonNode allowed = refused.body() == null ? null : refused.body().get("allowed");
            if (allowed == null || !allowed.isArray()) {
                throw refused;
            }
            List<String> next = new ArrayList<>();
            allowed.forEach(s -> next.add(s.asText()));
            throw new Refused("relay refused (409): " + refused.getMessage() + "; allowed from here: "
                    + (next.isEmpty() ? "none, the task is finished" : String.join(", ", next)));
        }
    }

    private Object sendMessage(ToolArgs args) {
        SendMessage.Builder message = SendMessage.builder(self, args.requiredString("to"), args.requiredString("body"))
                .subject(args.string("subject"))
                .claimable(args.bool("claimable"))
                .kind(kind(args.string("kind")))
                .channel(args.string("channel"))
                .idempotencyKey(args.string("idempotency_key"))
                .meta(args.object("meta"))
                .payload(args.object("payload"))
                .guard(guard());
        Long replyTo = args.integer("reply_to");
        if (replyTo != null) {
            message.replyTo(replyTo);
        }
        return sent(relay.messages().send(message.build()));
    }

    private Object checkInbox(ToolArgs args) {
        int limit = (int) range(args.integer("limit"), "limit", 1, MAX_BATCH, DEFAULT_BATCH);
        return takeUnread(limit, false);
    }

    private Object reply(ToolArgs args) {
        long id = args.requiredInteger("message_id");
        Message original = relay.messages().get(id);
        SendMessage.Builder reply = SendMessage.builder(self, original.from(), args.requiredString("body")).replyTo(id)
                .subject(args.string("subject")).claimable(args.bool("claimable")).channel(original.channel())
                .guard(guard());
        return sent(relay.messages().send(reply.build()));
    }

    private Object getThread(ToolArgs args) {
        return Map.of("messages", relay.messages().thread(args.requiredInteger("message_id")).stream().map(RelayTools::brief).toList());
    }

    private Object claim(ToolArgs args) {
        return brief(relay.messages().claim(args.requiredInteger("message_id"), self, guard()));
    }

    private Object release(ToolArgs args) {
        return brief(relay.messages().release(args.requiredInteger("message_id"), self, guard()));
    }

    private Object listAgents(ToolArgs args) {
        AgentStatus status = args.string("status") == null ? null : Wire.find(AgentStatus.class, args.string("status"));
        if (args.string("status") != null && status == null) {
            throw new ToolArgs.Invalid("'status' must be one of " + Wire.choices(AgentStatus.class));
        }
        List<AgentCard> agents = relay.agents().list(AgentFilter.ALL.withStatus(status).withTag(args.string("tag"))
                .withCapability(args.string("capability")));
        return Map.of("you", self, "agents", agents.stream().map(RelayTools::brief).toList());
    }

    private Object waitForMessage(ToolArgs args) throws InterruptedException {
        long seconds = range(args.integer("timeout_seconds"), "timeout_seconds", 1, MAX_WAIT_SECONDS, DEFAULT_WAIT_SECONDS);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            // Take the count first: a message landing after the inbox read still moves it.
            long seen = arrivals.count();
            Map<String, Object> unread = takeUnread(DEFAULT_BATCH, true);
            if (unread != null) {
                return unread;
            }
            if (!arrivals.awaitBeyond(seen, deadline)) {
                return Map.of("messages", List.of(), "timedOut", true);
            }
        }
    }

    /** Unread messages, marked read; with {@code nullWhenEmpty}, null when there are none. */
    private Map<String, Object> takeUnread(int limit, boolean nullWhenEmpty) {
        Inbox inbox = relay.messages().inbox(self, InboxQuery.UNREAD.withLimit(limit + 1));
        List<Message> messages = inbox.messages().size() > limit ? inbox.messages().subList(0, limit) : inbox.messages();
        if (messages.isEmpty() && nullWhenEmpty) {
            return null;
        }
        if (!messages.isEmpty()) {
            relay.messages().markRead(self, messages.stream().map(Message::id).toList());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("messages", messages.stream().map(RelayTools::brief).toList());
        out.put("more", inbox.messages().size() > limit);
        if (nullWhenEmpty) {
            out.put("timedOut", false);
        }
        return out;
    }

    private SessionGuard guard() {
        Heartbeat heartbeat = session.heartbeat();
        if (!heartbeat.registered()) {
            heartbeat.beat(); // the relay was down at the first call; register before writing as this agent
        }
        return heartbeat.guard();
    }

    private static Map<String, Object> sent(Sent sent) {
        Map<String, Object> out = brief(sent.message());
        if (!sent.created()) {
            out.put("note", "already sent earlier with this idempotency_key; this is the original message");
        }
        return out;
    }

    /** A message without its empty and internal fields, to keep the model's context small. */
    static Map<String, Object> brief(Message message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", message.id());
        out.put("from", message.from());
        out.put("to", message.to());
        if (message.kind() != MessageKind.CHAT) {
            out.put("kind", message.kind());
        }
        putIfSet(out, "subject", message.subject());
        out.put("body", message.body());
        if (message.replyTo() != null) {
            out.put("replyTo", message.replyTo());
        }
        if (message.threadId() != message.id()) {
            out.put("threadId", message.threadId());
        }
        if (message.claimable()) {
            out.put("claimable", true);
            putIfSet(out, "claimedBy", message.claimedBy());
            if (message.claimExpiresAt() != null) {
                out.put("claimExpiresAt", Instant.ofEpochMilli(message.claimExpiresAt()).toString());
            }
        }
        putIfSet(out, "channel", message.channel());
        if (!message.meta().isEmpty()) {
            out.put("meta", message.meta());
        }
        if (!message.payload().isEmpty()) {
            out.put("payload", message.payload());
        }
        out.put("createdAt", Instant.ofEpochMilli(message.createdAt()).toString());
        return out;
    }

    /** A task without its empty fields. */
    static Map<String, Object> brief(Task task) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", task.id());
        out.put("status", task.status());
        out.put("title", task.title());
        putIfSet(out, "body", task.body());
        out.put("severity", task.severity());
        out.put("integration", task.integration());
        out.put("target", task.target());
        putIfSet(out, "channel", task.channel());
        putIfSet(out, "claimedBy", task.claimedBy());
        putIfSet(out, "progress", task.progress());
        putIfSet(out, "result", task.result());
        putIfSet(out, "externalUrl", task.externalUrl());
        if (!task.metadata().isEmpty()) {
            out.put("metadata", task.metadata());
        }
        if (task.occurrenceCount() > 1) {
            out.put("occurrences", task.occurrenceCount());
        }
        out.put("updatedAt", Instant.ofEpochMilli(task.updatedAt()).toString());
        return out;
    }

    private static Map<String, Object> brief(AgentCard agent) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", agent.id());
        out.put("name", agent.name());
        out.put("status", agent.status());
        if (!agent.tags().isEmpty()) {
            out.put("tags", agent.tags());
        }
        if (!agent.capabilities().isEmpty()) {
            out.put("capabilities", agent.capabilities());
        }
        putIfSet(out, "label", agent.label());
        out.put("lastSeenAt", Instant.ofEpochMilli(agent.lastSeenAt()).toString());
        return out;
    }

    private static void putIfSet(Map<String, Object> out, String key, String value) {
        if (value != null && !value.isEmpty()) {
            out.put(key, value);
        }
    }

    private static MessageKind kind(String raw) {
        if (raw == null) {
            return null;
        }
        MessageKind kind = Wire.find(MessageKind.class, raw);
        if (kind == null) {
            throw new ToolArgs.Invalid("'kind' must be one of " + Wire.choices(MessageKind.class));
        }
        return kind;
    }

    private static long range(Long value, String name, long min, long max, long fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw new ToolArgs.Invalid("'" + name + "' must be between " + min + " and " + max);
        }
        return value;
    }

    /** A relay refusal whose message a handler has already made complete for the model. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** A handler body: arguments in, a JSON-able answer out. */
    @FunctionalInterface
    interface Handler {
        Object handle(ToolArgs args) throws Exception;
    }

    private SyncToolSpecification tool(String name, String description, Map<String, Object> schema, Handler handler) {
        Tool tool = Tool.builder(name, schema).description(description).build();
        return SyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> call(name, handler, new ToolArgs(request.arguments())))
                .build();
    }

    private CallToolResult call(String name, Handler handler, ToolArgs args) {
        if (!settings.problems().isEmpty()) {
            return error("agent-relay mcp is misconfigured: " + String.join("; ", settings.problems())
                    + ". Fix it in the MCP server's environment and restart the session.");
        }
        if (ACTING.contains(name) && !settings.approval().mayAct()) {
            return error(name + " is not allowed: AGENT_RELAY_APPROVAL is read-only in this session, so the relay "
                    + "tools may read, list and wait, but not send, claim or change tasks.");
        }
        try {
            session.heartbeat(); // the first call registers this session as an agent
            return callRelay(handler, args);
        } catch (RelayException e) {
            return refusal(e);
        } catch (RuntimeException e) {
            return error("unexpected failure: " + e);
        }
    }

    private CallToolResult callRelay(Handler handler, ToolArgs args) {
        try {
            return CallToolResult.builder().addTextContent(json(handler.handle(args))).isError(false).build();
        } catch (ToolArgs.Invalid e) {
            return error("invalid arguments: " + e.getMessage());
        } catch (Refused e) {
            return error(e.getMessage());
        } catch (RelayException e) {
            return refusal(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("interrupted: the MCP server is shutting down");
        } catch (Exception e) {
            return error("unexpected failure: " + e);
        }
    }

    private CallToolResult refusal(RelayException e) {
        return switch (e) {
            case RelayException.Unavailable unavailable -> error("the relay is not reachable: "
                    + Diagnosis.explain(unavailable, settings.url(), settings.token() != null));
            case RelayException.Unauthorized unauthorized ->
                    error(Diagnosis.explain(unauthorized, settings.url(), settings.token() != null));
            case RelayException.Conflict conflict -> error(conflict.staleSession()
                    ? "another process has registered agent " + self + " since; this session no longer speaks for it ("
                            + e.getMessage() + ")"
                    : "relay refused (409): " + e.getMessage());
            default -> error("relay refused (" + e.status() + "): " + e.getMessage());
        };
    }

    private static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tool answer cannot be rendered", e);
        }
    }

    private static Map<String, Object> schema(Map<String, Object> properties, String... required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", new LinkedHashMap<>(new TreeMap<>(properties)));
        if (required.length > 0) {
            schema.put("required", List.of(required));
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    private static Map<String, Object> prop(String type, String description) {
        return Map.of("type", type, "description", description);
    }

    private static <E extends Enum<E> & Wire> Map<String, Object> enumProp(String description, Class<E> type) {
        return Map.of("type", "string", "description", description,
                "enum", Arrays.stream(type.getEnumConstants()).map(Wire::wire).toList());
    }
}
