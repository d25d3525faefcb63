-- An index of agents by tag and by capability, for GET /api/agents?tag=&cap= (the columns hold JSON
-- arrays, which no index reaches). Kept by a trigger, so every write path (register, patch,
-- heartbeat, reaper, delete) keeps it true, and a save that leaves tags and capabilities as they
-- were (every heartbeat) does not touch it.
CREATE TABLE agent_tags (
    kind      TEXT NOT NULL,   -- 'tag' or 'cap'
    value     TEXT NOT NULL,
    agent_id  TEXT NOT NULL,
    PRIMARY KEY (kind, value, agent_id)
);

CREATE INDEX agent_tags_agent ON agent_tags (agent_id);

CREATE FUNCTION agent_tags_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM agent_tags WHERE agent_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO agent_tags (kind, value, agent_id)
            SELECT 'tag', t, NEW.id FROM jsonb_array_elements_text(NEW.tags::jsonb) t
            ON CONFLICT DO NOTHING;
        INSERT INTO agent_tags (kind, value, agent_id)
            SELECT 'cap', c, NEW.id FROM jsonb_array_elements_text(NEW.capabilities::jsonb) c
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER agent_tags_on_insert_or_delete AFTER INSERT OR DELETE ON agents
    FOR EACH ROW EXECUTE FUNCTION agent_tags_sync();

CREATE TRIGGER agent_tags_on_update AFTER UPDATE ON agents
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.tags IS DISTINCT FROM NEW.tags
                       OR OLD.capabilities IS DISTINCT FROM NEW.capabilities)
    EXECUTE FUNCTION agent_tags_sync();

INSERT INTO agent_tags (kind, value, agent_id)
    SELECT 'tag', t, a.id FROM agents a, jsonb_array_elements_text(a.tags::jsonb) t
    ON CONFLICT DO NOTHING;
INSERT INTO agent_tags (kind, value, agent_id)
    SELECT 'cap', c, a.id FROM agents a, jsonb_array_elements_text(a.capabilities::jsonb) c
    ON CONFLICT DO NOTHING;
