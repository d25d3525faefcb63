-- An index of agents by tag and by capability, for GET /api/agents?tag=&cap= (the columns hold JSON
-- arrays, which no index reaches). Kept by triggers, so every write path (register, patch,
-- heartbeat, reaper, delete) keeps it true, and a save that leaves tags and capabilities as they
-- were (every heartbeat) does not touch it.
CREATE TABLE agent_tags (
    kind      TEXT NOT NULL,   -- 'tag' or 'cap'
    value     TEXT NOT NULL,
    agent_id  TEXT NOT NULL,
    PRIMARY KEY (kind, value, agent_id)
) WITHOUT ROWID;

CREATE INDEX agent_tags_agent ON agent_tags (agent_id);

CREATE TRIGGER agent_tags_on_insert AFTER INSERT ON agents
BEGIN
    INSERT OR IGNORE INTO agent_tags (kind, value, agent_id)
        SELECT 'tag', value, new.id FROM json_each(new.tags);
    INSERT OR IGNORE INTO agent_tags (kind, value, agent_id)
        SELECT 'cap', value, new.id FROM json_each(new.capabilities);
END;

CREATE TRIGGER agent_tags_on_update AFTER UPDATE OF id, tags, capabilities ON agents
WHEN old.id IS NOT new.id OR old.tags IS NOT new.tags OR old.capabilities IS NOT new.capabilities
BEGIN
    DELETE FROM agent_tags WHERE agent_id = old.id;
    INSERT OR IGNORE INTO agent_tags (kind, value, agent_id)
        SELECT 'tag', value, new.id FROM json_each(new.tags);
    INSERT OR IGNORE INTO agent_tags (kind, value, agent_id)
        SELECT 'cap', value, new.id FROM json_each(new.capabilities);
END;

CREATE TRIGGER agent_tags_on_delete AFTER DELETE ON agents
BEGIN
    DELETE FROM agent_tags WHERE agent_id = old.id;
END;

INSERT OR IGNORE INTO agent_tags (kind, value, agent_id)
    SELECT 'tag', j.value, a.id FROM agents a, json_each(a.tags) j;
INSERT OR IGNORE INTO agent_tags (kind, value, agent_id)
    SELECT 'cap', j.value, a.id FROM agents a, json_each(a.capabilities) j;
