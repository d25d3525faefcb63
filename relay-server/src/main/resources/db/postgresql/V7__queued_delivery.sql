-- Queued delivery (policy: and pool: targets). A message to such a target waits with
-- delivery_status 'queued' until the policy's agent (or a pool member) is there, and is then
-- delivered to one agent, named by resolved_to_agent. The queries that use the partial indexes
-- below spell 'queued' as a literal, not a parameter, so that the planner can prove they apply.

-- The queue: what waits, by target, oldest first (GET /api/messages/queued, resolution).
CREATE INDEX messages_queued ON messages (to_target, id) WHERE delivery_status = 'queued';
-- The reaper's expiry: what waits with a maxAgeSeconds, oldest first.
CREATE INDEX messages_expiry ON messages (id) WHERE delivery_status = 'queued' AND max_age_seconds IS NOT NULL;
-- Delivery by resolution: an agent's inbox reaches the messages resolved to it, and a pool picks
-- the member whose last pool message is the oldest.
CREATE INDEX messages_resolved ON messages (resolved_to_agent, to_target, id) WHERE resolved_to_agent IS NOT NULL;
