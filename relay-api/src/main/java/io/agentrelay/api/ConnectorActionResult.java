package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What running one action of a connector gave: {@code ok} when its program exited 0. {@code output}
 * is its standard output and error, merged, the last 64 KiB. {@code exitCode} is null when the
 * program did not exit by itself (timed out) or was never run; {@code error} says why it failed when
 * that is not the exit code alone (not installed, no such action, timeout).
 */
public record ConnectorActionResult(boolean ok, String action, String connectorId, Integer exitCode, String output,
                                    long durationMs, @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
}
