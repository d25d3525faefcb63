-- The managed-agent state of each spawn policy (the policies themselves are config entries in the
-- namespace spawn-policy). One row per policy, written only by compare-and-set on version.
-- (Version 10 belongs to another feature's migration.)

CREATE TABLE policy_states (
    policy_name           TEXT PRIMARY KEY,
    status                TEXT NOT NULL,      -- stopped | starting | running | stopping | failed
    agent_id              TEXT,
    orchestrator_id       TEXT,
    provider              TEXT,
    tmux_session          TEXT,
    spawn_request_id      TEXT,
    last_spawn_at         INTEGER,
    last_stop_at          INTEGER,
    restart_count         INTEGER NOT NULL DEFAULT 0,
    consecutive_failures  INTEGER NOT NULL DEFAULT 0,
    healthy_since         INTEGER,
    last_error            TEXT,
    updated_at            INTEGER NOT NULL,
    version               INTEGER NOT NULL
);
