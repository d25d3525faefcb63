-- Agents, messages, per-agent read marks and the append-only event log.
-- Times are epoch milliseconds. JSON columns hold UTF-8 JSON text.

CREATE TABLE agents (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    label         TEXT,
    tags          TEXT NOT NULL DEFAULT '[]',
    capabilities  TEXT NOT NULL DEFAULT '[]',
    status        TEXT NOT NULL,
    ready         INTEGER NOT NULL DEFAULT 0,
    machine       TEXT,
    instance_id   TEXT,
    epoch         INTEGER NOT NULL DEFAULT 0,
    meta          TEXT NOT NULL DEFAULT '{}',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL
);
CREATE INDEX agents_last_seen ON agents (last_seen_at);

-- AUTOINCREMENT: ids are never reused, even after retention pruning empties the table,
-- so a client's cursor stays meaningful.
CREATE TABLE messages (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    from_agent        TEXT NOT NULL,
    to_target         TEXT NOT NULL,
    kind              TEXT NOT NULL,
    subject           TEXT,
    body              TEXT NOT NULL,
    reply_to          INTEGER,
    thread_id         INTEGER,          -- the first message of the reply chain; NULL for a root
    claimable         INTEGER NOT NULL DEFAULT 0,
    claimed_by        TEXT,
    claimed_at        INTEGER,
    claim_expires_at  INTEGER,
    idempotency_key   TEXT,
    meta              TEXT NOT NULL DEFAULT '{}',
    payload           TEXT NOT NULL DEFAULT '{}',
    channel           TEXT,
    max_age_seconds   INTEGER,
    delivery_status   TEXT NOT NULL,
    resolved_to_agent TEXT,
    created_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX messages_idempotency ON messages (from_agent, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX messages_to ON messages (to_target, id);
CREATE INDEX messages_thread ON messages (thread_id, id) WHERE thread_id IS NOT NULL;
CREATE INDEX messages_claims ON messages (claim_expires_at) WHERE claimed_by IS NOT NULL;
CREATE INDEX messages_created ON messages (created_at);

CREATE TABLE message_reads (
    message_id INTEGER NOT NULL,
    agent_id   TEXT NOT NULL,
    read_at    INTEGER NOT NULL,
    PRIMARY KEY (message_id, agent_id)
) WITHOUT ROWID;
CREATE INDEX message_reads_agent ON message_reads (agent_id, message_id);

CREATE TABLE events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    type      TEXT NOT NULL,
    ts        INTEGER NOT NULL,
    target    TEXT,
    agent_id  TEXT,
    channel   TEXT,
    data      TEXT NOT NULL
);
CREATE INDEX events_target ON events (target, id) WHERE target IS NOT NULL;
CREATE INDEX events_agent ON events (agent_id, id) WHERE agent_id IS NOT NULL;
CREATE INDEX events_ts ON events (ts);
