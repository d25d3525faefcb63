package io.agentrelay.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite's {@code PRAGMA quick_check} (every page and b-tree of the file, without comparing indexes
 * to their tables), stoppable: it reads the whole file, which takes seconds on a large store, so
 * the relay runs it for a bounded time before it starts and, when that is not enough, to the end
 * in the background.
 */
final class IntegrityCheck {
    /** How many problems a check reports at most. */
    private static final int MAX_PROBLEMS = 10;
    /** SQLite virtual-machine steps between two looks at the clock. */
    private static final int STEPS = 10_000;

    /** What a check found: nothing wrong, damage (the first few problems), or no answer in time. */
    record Result(Verdict verdict, List<String> problems) {
        static final Result SOUND = new Result(Verdict.SOUND, List.of());
        static final Result UNFINISHED = new Result(Verdict.UNFINISHED, List.of());
    }

    enum Verdict { SOUND, DAMAGED, UNFINISHED }

    private IntegrityCheck() {
    }

    /**
     * Checks the store through {@code connection} until it is done or {@code stop} says to stop
     * (looked at every few thousand steps of SQLite's machine).
     */
    static Result run(Connection connection, BooleanSupplier stop) throws SQLException {
        ProgressHandler.setHandler(connection, STEPS, new ProgressHandler() {
            @Override
            protected int progress() {
                return stop.getAsBoolean() ? 1 : 0;
            }
        });
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA quick_check(" + MAX_PROBLEMS + ")")) {
            List<String> problems = new ArrayList<>();
            while (rows.next()) {
                String row = rows.getString(1);
                if (!"ok".equals(row)) {
                    problems.add(row);
                }
            }
            return problems.isEmpty() ? Result.SOUND : new Result(Verdict.DAMAGED, List.copyOf(problems));
        } catch (SQLiteException e) {
            if (e.getResultCode() == SQLiteErrorCode.SQLITE_INTERRUPT) {
                return Result.UNFINISHED;
            }
            if (damaged(e)) {
                return new Result(Verdict.DAMAGED, List.of(e.getMessage()));
            }
            throw e;
        } finally {
            ProgressHandler.clearHandler(connection);
        }
    }

    /** A deadline as a stop condition. */
    static BooleanSupplier within(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        return () -> System.nanoTime() - deadline >= 0;
    }

    /** SQLite's own verdict that the file is not a sound database. */
    static boolean damaged(SQLiteException e) {
        int code = e.getResultCode().code & 0xff;
        return code == SQLiteErrorCode.SQLITE_CORRUPT.code || code == SQLiteErrorCode.SQLITE_NOTADB.code;
    }

    /** What to tell an operator whose store is damaged: what was found, and how to recover. */
    static String advice(Path file, List<String> problems) {
        String found = String.join("; ", problems);
        return "the SQLite store at " + file + " is damaged (" + found + "). To recover: stop every relay on it and "
                + "keep a copy of the file (with its -wal file); then restore your latest backup, or salve what is "
                + "readable with `sqlite3 " + file + " .dump | sed 's/^ROLLBACK; -- due to errors$/COMMIT;/' | sqlite3 "
                + file + ".recovered` and start the relay with AGENT_RELAY_DB=" + file + ".recovered. "
                + "See docs/deployment.md, \"A damaged SQLite store\".";
    }
}
