package io.agentrelay.server.store;

import java.sql.SQLException;
import java.util.Set;

/** The store failed for a reason that is not the caller's input (I/O, a full disk, a bug). */
public final class StoreException extends RuntimeException {
    /**
     * SQLite result codes that say the store cannot take the work right now but may soon: busy,
     * locked, out of memory, I/O error, disk full, cannot open.
     */
    private static final Set<Integer> SQLITE_TRANSIENT = Set.of(5, 6, 7, 10, 13, 14);
    /**
     * PostgreSQL SQLSTATE classes of the same kind: connection exceptions (08), insufficient
     * resources such as a full disk (53), operator intervention such as a shutdown (57), transaction
     * rollback (40: serialization failure, deadlock); and 55P03, a lock not available in time.
     */
    private static final Set<String> POSTGRES_TRANSIENT_CLASSES = Set.of("08", "53", "57", "40");

    /** Why the store is unavailable when the caller knows it better than the cause does, or null. */
    private final String knownUnavailable;

    public StoreException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** A failure whose cause passes, with the reason to give ({@code unavailable}) when not null. */
    public StoreException(String message, Throwable cause, String unavailable) {
        super(message, cause);
        this.knownUnavailable = unavailable;
    }

    /**
     * Why the store cannot do the work now, when that is a condition that passes (a locked or full
     * database, a lost connection) rather than a bug: a short reason for the caller, or null.
     */
    public String unavailable() {
        if (knownUnavailable != null) {
            return knownUnavailable;
        }
        for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                String reason = reason(sql);
                if (reason != null) {
                    return reason;
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    /**
     * Whether the write broke a unique constraint: another writer (on this node or another) made the
     * same record first, which the service's own check could not see. SQLite's extended codes
     * {@code SQLITE_CONSTRAINT_UNIQUE} and {@code SQLITE_CONSTRAINT_PRIMARYKEY}; PostgreSQL's
     * SQLSTATE 23505.
     */
    public boolean uniqueViolation() {
        for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof org.sqlite.SQLiteException sqlite) {
                org.sqlite.SQLiteErrorCode code = sqlite.getResultCode();
                if (code == org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                        || code == org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
                    return true;
                }
            } else if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static String reason(SQLException sql) {
        if (sql instanceof org.sqlite.SQLiteException sqlite) {
            int code = sqlite.getResultCode().code & 0xff;
            return SQLITE_TRANSIENT.contains(code) ? sqlite.getResultCode().name() : null;
        }
        String state = sql.getSQLState();
        if (state != null && state.length() == 5
                && (POSTGRES_TRANSIENT_CLASSES.contains(state.substring(0, 2)) || state.equals("55P03"))) {
            return "SQLSTATE " + state;
        }
        return null;
    }
}
