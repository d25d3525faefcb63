package io.agentrelay.server.store;

import io.agentrelay.api.CommandStatus;

/** A page of commands, newest first; a null filter matches everything. */
public record CommandQuery(String target, CommandStatus status, int limit) {
}
