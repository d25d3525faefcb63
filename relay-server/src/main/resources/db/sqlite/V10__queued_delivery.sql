-- Queued delivery (policy: and pool: targets). A message to such a target waits with
-- delivery_status 'queued' until the policy's agent (or a pool member) is there, and is then
-- delivered to one agent, named by resolved_to_agent.

-- The queue: what waits, by target, oldest first (GET /api/messages/queued, resolution, expiry).
CREATE INDEX messages_queued ON messages (to_target, id) WHERE delivery_status = 'queued';
-- Delivery by resolution: an agent's inbox reaches the messages resolved to it, and a pool picks
-- the member whose last pool message is the oldest.
CREATE INDEX messages_resolved ON messages (resolved_to_agent, to_target, id) WHERE resolved_to_agent IS NOT NULL;
