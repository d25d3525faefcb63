package io.agentrelay.server.orchestrators;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.Orchestrator;
import io.agentrelay.server.agents.AgentService;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.store.Tx;
import java.util.List;
import java.util.Map;

/**
 * An orchestrator's inbox agent, kept registered and online while the orchestrator registers and
 * heartbeats, so that the commands addressed to it reach its stream. A card that exists is only
 * brought online (its name, kind, tags and label are whoever registered it's); a missing one is
 * created as kind {@code orchestrator}, named after the host.
 */
final class InboxAgent {
    private InboxAgent() {
    }

    static void ensure(Tx tx, Orchestrator orchestrator, long now) {
        String id = orchestrator.agentId();
        AgentCard card = tx.agent(id).orElse(null);
        if (card == null) {
            AgentCard created = new AgentCard(id, orchestrator.hostname(), AgentKind.ORCHESTRATOR, null, List.of(),
                    List.of(), AgentStatus.ONLINE, false, orchestrator.hostname(), null, 1,
                    Map.of("orchestratorId", orchestrator.id()), now, now, now);
            // Insert-once: an agent registered with this id meanwhile (on another node) is kept.
            if (tx.saveAgentIf(created, null)) {
                tx.append(EventType.AGENT_REGISTERED, Event.Origin.server(id), Event.Scope.agent(id), created, now);
                return;
            }
            card = tx.agent(id).orElseThrow();
        }
        boolean changed = card.status() != AgentStatus.ONLINE;
        AgentCard seen = AgentService.withStatus(card, AgentStatus.ONLINE, changed ? now : card.updatedAt(), now);
        tx.touchAgent(id, seen.status(), seen.updatedAt(), seen.lastSeenAt());
        if (changed) {
            tx.append(EventType.AGENT_STATUS, Event.Origin.server(id), Event.Scope.agent(id), seen, now);
        }
    }
}
