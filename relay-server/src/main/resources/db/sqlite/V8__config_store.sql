-- The versioned config store (REFERENCE.md §2.3). config_entries holds one row per (namespace, key)
-- ever written: its current value and version, or, once deleted, a tombstone (deleted = 1, value
-- NULL) that keeps the version, so that writing the key again continues from it. Every write
-- updates that one row in one statement, so concurrent writers of a key queue on it and each gets
-- the next version. config_history keeps every versioned write, deletions included; its primary
-- key makes two rows with one version impossible. Times are epoch milliseconds; values are JSON text.
CREATE TABLE config_entries (
    namespace   TEXT NOT NULL,
    config_key  TEXT NOT NULL,
    value       TEXT,
    version     INTEGER NOT NULL,
    deleted     INTEGER NOT NULL DEFAULT 0,
    updated_by  TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (namespace, config_key)
) WITHOUT ROWID;

CREATE TABLE config_history (
    namespace   TEXT NOT NULL,
    config_key  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    value       TEXT,
    deleted     INTEGER NOT NULL DEFAULT 0,
    updated_by  TEXT,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (namespace, config_key, version)
) WITHOUT ROWID;
