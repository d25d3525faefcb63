package io.agentrelay.cli.client;

import io.agentrelay.api.Message;
import io.agentrelay.api.Pair;
import io.agentrelay.api.PairStatus;
import io.agentrelay.client.PairFilter;
import io.agentrelay.client.PairInvitation;
import io.agentrelay.client.RelayClient;
import io.agentrelay.client.SessionGuard;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agent-relay pairs invite|accept|reject|end|list|show|send}: working pairs of two agents. */
@Command(name = "pairs", mixinStandardHelpOptions = true,
        description = {"Work as a pair with another agent: invite it, accept or reject an invitation, write to",
                "the other member while the pair is active, end it. Moves are made as this agent (--agent)."},
        subcommands = {PairsCommand.Invite.class, PairsCommand.Accept.class, PairsCommand.Reject.class,
                PairsCommand.End.class, PairsCommand.ListPairs.class, PairsCommand.Show.class, PairsCommand.Send.class})
public final class PairsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw Args.usage(spec, "name what to do: invite, accept, reject, end, list, show or send "
                + "(see 'agent-relay pairs --help')");
    }

    /** Prints a pair: as JSON with --json, else one line saying where it is. */
    static void print(Output out, Pair pair) {
        if (out.json()) {
            out.json(pair);
        } else {
            out.line("pair #" + pair.id() + " " + pair.from() + " -> " + pair.to() + " is " + pair.status().wire()
                    + (pair.topic() == null ? "" : ": " + pair.topic()));
        }
    }

    @Command(name = "invite", mixinStandardHelpOptions = true,
            description = {"Invite AGENT to pair with this agent. AGENT gets a kind:\"pair\" message naming the pair.",
                    "Exit status 5 when the two already have an open (pending or active) pair."})
    public static final class Invite extends ClientCommand {
        @Parameters(index = "0", paramLabel = "AGENT")
        String to;

        @Option(names = "--topic", paramLabel = "TEXT", description = "What the pair is about (at most 200 characters).")
        String topic;

        @Option(names = "--body", paramLabel = "TEXT", description = "The invitation's text; '-' reads it from standard input.")
        String body;

        @Option(names = "--ttl", paramLabel = "SECONDS",
                description = "How long the invitation waits for an answer (1-86400, default 600).")
        Integer ttlSeconds;

        @Override
        protected int run(RelayClient client) {
            PairInvitation invitation = new PairInvitation(relay.agentId(), to, topic,
                    body == null ? null : Args.textOrStdin(spec, relay.shell(), body), ttlSeconds, null, SessionGuard.NONE);
            print(out, client.pairs().invite(invitation));
            return ExitCodes.OK;
        }
    }

    /** accept, reject and end: a move on pair ID, as this agent. */
    abstract static class Move extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        long id;

        abstract String action();

        String reason() {
            return null;
        }

        @Override
        protected int run(RelayClient client) {
            print(out, client.pairs().move(id, action(), relay.agentId(), reason(), SessionGuard.NONE));
            return ExitCodes.OK;
        }
    }

    @Command(name = "accept", mixinStandardHelpOptions = true,
            description = {"Accept the invitation of pair ID (you must be its invitee): the pair becomes active.",
                    "Exit status 5 when it is no longer pending, 6 when you are not its invitee."})
    public static final class Accept extends Move {
        @Override
        String action() {
            return "accept";
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = {"Reject the invitation of pair ID (you must be its invitee).",
                    "Exit status 5 when it is no longer pending, 6 when you are not its invitee."})
    public static final class Reject extends Move {
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (sent to the inviter).")
        String reason;

        @Override
        String action() {
            return "reject";
        }

        @Override
        String reason() {
            return reason;
        }
    }

    @Command(name = "end", mixinStandardHelpOptions = true,
            description = {"End pair ID (either member, while it is active), or withdraw your own pending invitation.",
                    "Exit status 5 when it is already over, 6 when you are not a member."})
    public static final class End extends Move {
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (sent to the other member).")
        String reason;

        @Override
        String action() {
            return "end";
        }

        @Override
        String reason() {
            return reason;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List pairs, newest first: by default this agent's (with --all, everyone's)."})
    public static final class ListPairs extends ClientCommand {
        @Option(names = "--all", description = "Every agent's pairs, not only this agent's.")
        boolean all;

        @Option(names = "--status", description = "Only pairs with this status (pending, active, ended, rejected, expired).")
        String status;

        @Option(names = "--limit", paramLabel = "N", description = "At most N pairs (1-500, default 100).")
        int limit;

        @Override
        protected int run(RelayClient client) {
            PairFilter filter = PairFilter.ALL.withAgent(all ? null : relay.agentId())
                    .withStatus(Args.choice(spec, "--status", status, PairStatus.class)).withLimit(limit);
            List<Pair> pairs = client.pairs().list(filter);
            if (out.json()) {
                out.json(Map.of("pairs", pairs));
            } else if (pairs.isEmpty()) {
                out.line("no pairs");
            } else {
                out.pairs(pairs, System.currentTimeMillis());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {"Print pair ID. Exit status 4 when there is none."})
    public static final class Show extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        long id;

        @Override
        protected int run(RelayClient client) {
            print(out, client.pairs().get(id));
            return ExitCodes.OK;
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = {"Write to the other member of active pair ID, in the pair's thread.",
                    "Exit status 5 when the pair is not active, 6 when you are not a member."})
    public static final class Send extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        long id;

        @Parameters(index = "1", paramLabel = "BODY", description = "The message; '-' reads it from standard input.")
        String body;

        @Option(names = "--reply-to", paramLabel = "MESSAGE", description = "Answer this message of the pair's thread.")
        Long replyTo;

        @Override
        protected int run(RelayClient client) {
            Message sent = client.pairs().send(id, relay.agentId(), Args.textOrStdin(spec, relay.shell(), body), replyTo,
                    SessionGuard.NONE);
            if (out.json()) {
                out.json(sent);
            } else {
                out.line("sent #" + sent.id() + " to " + sent.to());
            }
            return ExitCodes.OK;
        }
    }
}
