-- Channel bindings (REFERENCE.md §2.6): where a channel's events go. conversation_id '' is a
-- channel-wide binding (a real conversation id is never empty); target_id '' is the broadcast
-- target. The unique key is the upsert key: a channel has one binding per (conversation, target),
-- so two racing binds of the same pair make one row (INSERT … ON CONFLICT DO UPDATE).
-- (Versions 10 and 11 belong to other features' migrations.)
CREATE TABLE channel_bindings (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id       TEXT NOT NULL,
    conversation_id  TEXT NOT NULL DEFAULT '',
    target_type      TEXT NOT NULL,
    target_id        TEXT NOT NULL DEFAULT '',
    mode             TEXT NOT NULL,              -- exclusive | broadcast
    priority         INTEGER,                    -- null: none given
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (channel_id, conversation_id, target_type, target_id)
);
