-- The versioned config store (REFERENCE.md §2.3); the same tables as db/sqlite V8. config_entries
-- holds one row per (namespace, key) ever written: its current value and version, or, once deleted,
-- a tombstone (deleted = 1, value NULL) that keeps the version, so that writing the key again
-- continues from it. Every write updates that one row in one statement (an upsert or a conditional
-- UPDATE), so concurrent writers of a key, on any node, queue on its row lock and each gets the next
-- version. config_history keeps every versioned write, deletions included; its primary key makes two
-- rows with one version impossible. Times are epoch milliseconds; values are JSON text. Names sort
-- by code point (COLLATE "C"), as SQLite sorts them, so lists come in one order on both stores.
CREATE TABLE config_entries (
    namespace   TEXT COLLATE "C" NOT NULL,
    config_key  TEXT COLLATE "C" NOT NULL,
    value       TEXT,
    version     BIGINT NOT NULL,
    deleted     INTEGER NOT NULL DEFAULT 0,
    updated_by  TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (namespace, config_key)
);

CREATE TABLE config_history (
    namespace   TEXT COLLATE "C" NOT NULL,
    config_key  TEXT COLLATE "C" NOT NULL,
    version     BIGINT NOT NULL,
    value       TEXT,
    deleted     INTEGER NOT NULL DEFAULT 0,
    updated_by  TEXT,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (namespace, config_key, version)
);
