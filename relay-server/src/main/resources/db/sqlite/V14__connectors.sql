-- Connectors registered through the API, and the stored config and last action of any connector
-- (installed ones included: their manifests are files in AGENT_RELAY_CONNECTORS_DIR, never rows).
-- A row holds descriptions and data only: no program, argument or environment value.
-- (Versions 10 to 13 belong to other features' migrations.)

CREATE TABLE connectors (
    id                          TEXT PRIMARY KEY,
    name                        TEXT NOT NULL,
    description                 TEXT,
    version                     TEXT,
    channel_type                TEXT,
    registered                  INTEGER NOT NULL DEFAULT 0,  -- 1 once posted to /api/connectors
    config                      TEXT,                        -- JSON object, or NULL for none
    state                       TEXT,                        -- JSON object, or NULL for none
    last_action                 TEXT,
    last_action_ok              INTEGER,
    last_action_exit_code       INTEGER,
    last_action_at              INTEGER,
    last_action_duration_ms     INTEGER,
    created_at                  INTEGER NOT NULL,
    updated_at                  INTEGER NOT NULL
);
