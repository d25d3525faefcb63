package io.agentrelay.server.store;

/** The store failed for a reason that is not the caller's input (I/O, a full disk, a bug). */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
