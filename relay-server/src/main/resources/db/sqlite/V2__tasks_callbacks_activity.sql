-- Tasks raised by integrations, their history, the callback outbox and client-reported activity.
-- Times are epoch milliseconds. JSON columns hold UTF-8 JSON text.

CREATE TABLE tasks (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    integration       TEXT NOT NULL,
    target            TEXT NOT NULL,
    channel           TEXT,
    dedupe_key        TEXT,
    title             TEXT NOT NULL,
    body              TEXT,
    severity          TEXT NOT NULL,
    external_url      TEXT,
    metadata          TEXT NOT NULL DEFAULT '{}',
    status            TEXT NOT NULL,
    claimed_by        TEXT,
    claimed_at        INTEGER,
    progress          TEXT,
    result            TEXT,
    message_id        INTEGER,
    occurrence_count  INTEGER NOT NULL DEFAULT 1,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    last_seen_at      INTEGER NOT NULL,
    closed_at         INTEGER
);
-- At most one active task per (integration, dedupe key): racing events make one task, even across
-- relay nodes sharing a database.
CREATE UNIQUE INDEX tasks_active_dedupe ON tasks (integration, dedupe_key)
    WHERE dedupe_key IS NOT NULL AND status IN ('open', 'claimed', 'in_progress', 'blocked');
CREATE INDEX tasks_status ON tasks (status, id);
CREATE INDEX tasks_target ON tasks (target, id);
CREATE INDEX tasks_holder ON tasks (claimed_by) WHERE claimed_by IS NOT NULL;

CREATE TABLE task_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id      INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    agent_id     TEXT,
    from_status  TEXT,
    to_status    TEXT,
    data         TEXT NOT NULL DEFAULT '{}',
    event_id     INTEGER NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX task_events_task ON task_events (task_id, id);

-- The callback outbox: one row per task change to report, written in the change's transaction.
CREATE TABLE callback_deliveries (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    integration       TEXT NOT NULL,
    task_id           INTEGER NOT NULL,
    event_id          INTEGER NOT NULL,
    task              TEXT NOT NULL,      -- the task as it was after the change (JSON)
    status            TEXT NOT NULL,      -- pending | delivered | failed
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at   INTEGER NOT NULL,
    last_status_code  INTEGER,
    last_error        TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    delivered_at      INTEGER
);
CREATE INDEX callback_deliveries_due ON callback_deliveries (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX callback_deliveries_integration ON callback_deliveries (integration, id);

CREATE TABLE callback_attempts (
    delivery_id  INTEGER NOT NULL,
    attempt      INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    status_code  INTEGER,
    error        TEXT,
    PRIMARY KEY (delivery_id, attempt)
);

-- Client-reported activity is an event in the log; this remembers which client ids were seen.
CREATE TABLE activity_reports (
    client_id   TEXT PRIMARY KEY,
    event_id    INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
