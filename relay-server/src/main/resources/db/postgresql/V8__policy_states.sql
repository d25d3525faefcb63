-- The managed-agent state of each spawn policy: the same table, columns and constraints as db/sqlite
-- V11__policy_states.sql. (Version 7 belongs to another feature's migration.)

CREATE TABLE policy_states (
    policy_name           TEXT COLLATE "C" PRIMARY KEY,
    status                TEXT NOT NULL,
    agent_id              TEXT,
    orchestrator_id       TEXT,
    provider              TEXT,
    tmux_session          TEXT,
    spawn_request_id      TEXT,
    last_spawn_at         BIGINT,
    last_stop_at          BIGINT,
    restart_count         INTEGER NOT NULL DEFAULT 0,
    consecutive_failures  INTEGER NOT NULL DEFAULT 0,
    healthy_since         BIGINT,
    last_error            TEXT,
    updated_at            BIGINT NOT NULL,
    version               BIGINT NOT NULL
);
