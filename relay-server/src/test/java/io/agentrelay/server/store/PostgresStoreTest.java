package io.agentrelay.server.store;

import io.agentrelay.server.testing.TestPostgres;
import org.junit.jupiter.api.Tag;

/** The store contract on a real PostgreSQL database. */
@Tag("postgresql")
class PostgresStoreTest extends StoreContract {
    private String url;

    @Override
    protected Store open(EventSink sink) {
        if (url == null) {
            url = TestPostgres.newDatabase();
        }
        return PostgresStore.open(PostgresStore.Settings.of(url, null, null, "test-node"), sink);
    }

    /** Another relay node's store on the same database. */
    @Override
    protected Store openOtherNode(EventSink otherSink) {
        return PostgresStore.open(PostgresStore.Settings.of(url, null, null, "other-node"), otherSink);
    }
}
