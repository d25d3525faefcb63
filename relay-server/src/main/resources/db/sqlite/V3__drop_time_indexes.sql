-- Retention prunes messages and events oldest id first, stopping at the first row that is not old
-- (ids grow with time), so it needs no index on created_at / ts. Every insert paid for these two:
-- about 2.5 µs of the writer's ~28 µs per durable send, and two more pages in each commit.
DROP INDEX messages_created;
DROP INDEX events_ts;
