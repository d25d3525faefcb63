-- The highest event id retention has deleted, so the end of the log survives pruning it empty on a
-- store whose id counter is not transactional (PostgreSQL's sequences; kept in both schemas so that
-- pruning is one statement for both).
CREATE TABLE event_log (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_through  INTEGER NOT NULL
);
INSERT INTO event_log (id, pruned_through) VALUES (1, 0);
