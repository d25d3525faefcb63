-- Working pairs: two agents, one invited by the other. Times are epoch milliseconds; meta holds
-- UTF-8 JSON text. (Versions 10 to 12 belong to other features' migrations.)

-- AUTOINCREMENT: pair ids are never reused, like message and command ids.
CREATE TABLE pairs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    from_agent    TEXT NOT NULL,            -- who invited
    to_agent      TEXT NOT NULL,            -- who was invited
    member_low    TEXT NOT NULL,            -- the two ids in order, so (a, b) and (b, a) are one couple
    member_high   TEXT NOT NULL,
    topic         TEXT,
    body          TEXT,
    meta          TEXT NOT NULL DEFAULT '{}',
    status        TEXT NOT NULL,            -- pending | active | ended | rejected | expired
    reason        TEXT,
    closed_by     TEXT,
    message_id    INTEGER,                  -- the invitation message, the root of the pair's thread
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    accepted_at   INTEGER,
    closed_at     INTEGER
);
-- At most one open pair per two agents, whichever invited: racing invitations make one row.
CREATE UNIQUE INDEX pairs_open_couple ON pairs (member_low, member_high) WHERE status IN ('pending', 'active');
CREATE INDEX pairs_from ON pairs (from_agent, id);
CREATE INDEX pairs_to ON pairs (to_agent, id);
CREATE INDEX pairs_status ON pairs (status, id);
-- What the reaper looks for: pending pairs past their expiry.
CREATE INDEX pairs_pending_expiry ON pairs (expires_at) WHERE status = 'pending';
