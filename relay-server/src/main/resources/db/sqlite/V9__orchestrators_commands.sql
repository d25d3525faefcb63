-- Orchestrators (host processes that start provider sessions on behalf of the relay) and the
-- commands the relay addresses to them. Times are epoch milliseconds; JSON columns hold UTF-8 JSON
-- text. (Version 8 belongs to another feature's migration.)

CREATE TABLE orchestrators (
    id            TEXT PRIMARY KEY,
    hostname      TEXT NOT NULL,
    base_dir      TEXT NOT NULL,
    providers     TEXT NOT NULL DEFAULT '[]',
    env_keys      TEXT NOT NULL DEFAULT '[]',
    meta          TEXT NOT NULL DEFAULT '{}',
    api_url       TEXT,
    agent_id      TEXT NOT NULL,
    agents        TEXT NOT NULL DEFAULT '[]',   -- the managed sessions, as last reported
    status        TEXT NOT NULL,                -- online | offline
    last_seen_at  INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
-- One orchestrator per inbox agent, so the commands addressed to that agent have one executor.
CREATE UNIQUE INDEX orchestrators_agent ON orchestrators (agent_id);
CREATE INDEX orchestrators_last_seen ON orchestrators (last_seen_at);

-- AUTOINCREMENT: command ids are never reused, like message and task ids.
CREATE TABLE commands (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    type            TEXT NOT NULL,          -- agent.spawn | agent.restart | agent.shutdown
    source          TEXT NOT NULL,
    target          TEXT NOT NULL,          -- the executor's agent id
    correlation_id  TEXT,
    params          TEXT NOT NULL DEFAULT '{}',
    status          TEXT NOT NULL,
    progress        TEXT,
    result          TEXT,                   -- a JSON object, or NULL
    error           TEXT,
    claimed_by      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
);
CREATE INDEX commands_target ON commands (target, id);
CREATE INDEX commands_status ON commands (status, id);
-- What the reaper looks for: pending commands past their expiry.
CREATE INDEX commands_pending_expiry ON commands (expires_at) WHERE status = 'pending';
