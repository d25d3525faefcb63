-- Connectors: the same table, columns and constraints as db/sqlite V14__connectors.sql.

CREATE TABLE connectors (
    id                          TEXT COLLATE "C" PRIMARY KEY,
    name                        TEXT NOT NULL,
    description                 TEXT,
    version                     TEXT,
    channel_type                TEXT,
    registered                  INTEGER NOT NULL DEFAULT 0,
    config                      TEXT,
    state                       TEXT,
    last_action                 TEXT,
    last_action_ok              INTEGER,
    last_action_exit_code       INTEGER,
    last_action_at              BIGINT,
    last_action_duration_ms     BIGINT,
    created_at                  BIGINT NOT NULL,
    updated_at                  BIGINT NOT NULL
);
