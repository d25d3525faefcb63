-- The TypeScript server's event envelope: who caused an event ("server" unless an agent did) and
-- what it is about (a message, agent or task id). Rows written before this version have neither;
-- they render as the server's, with no subject.
ALTER TABLE events ADD COLUMN source TEXT;
ALTER TABLE events ADD COLUMN subject TEXT;
