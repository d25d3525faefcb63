-- Work that one node of a cluster does at a time. A callback is leased to the node that sends it
-- (lease_until: epoch ms, 0 = free); a named lease (the reaper's timer) is held by one node until it
-- runs out or that node renews it.
ALTER TABLE callback_deliveries ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;

CREATE TABLE leases (
    name    TEXT PRIMARY KEY,
    holder  TEXT NOT NULL,
    until   INTEGER NOT NULL
);
