package io.agentrelay.server.http;

/** One resource's routes; each registers its own paths. */
interface Routes {
    void register(Api api);
}
