package io.agentrelay.server.store;

/**
 * One try at sending a callback: the HTTP status the receiver answered, or the error that kept it
 * from answering (refused connection, timeout, a private address).
 */
public record DeliveryAttempt(long deliveryId, int attempt, long at, Integer statusCode, String error) {
}
