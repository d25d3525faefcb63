package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.events.StreamEnd;
import io.agentrelay.server.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The one error table ({@link Errors}): each typed error's status, body and headers as docs/api.md
 * documents them, each failure's WebSocket close as docs/streams.md does, and a scan of the sources
 * that nothing else chooses an error status or a close code.
 */
class ErrorTableTest {
    private static final Path SOURCES = Path.of("src/main/java/io/agentrelay/server");

    /** Every typed error, with the answer docs/api.md gives it. */
    private static final Map<RelayError, Errors.Answer> DOCUMENTED = documented();

    private static Map<RelayError, Errors.Answer> documented() {
        Map<RelayError, Errors.Answer> table = new LinkedHashMap<>();
        table.put(new RelayError.InvalidInput("limit", "must be between 1 and 500"),
                new Errors.Answer(400, Map.of("error", "limit must be between 1 and 500", "field", "limit"), Map.of()));
        table.put(new RelayError.Unauthorized("invalid token"),
                new Errors.Answer(401, Map.of("error", "invalid token"), Map.of("WWW-Authenticate", "Bearer")));
        table.put(new RelayError.Forbidden("agent bob is not a recipient of message 4"),
                new Errors.Answer(403, Map.of("error", "agent bob is not a recipient of message 4"), Map.of()));
        table.put(new RelayError.NotFound("message 5 not found"),
                new Errors.Answer(404, Map.of("error", "message 5 not found"), Map.of()));
        table.put(new RelayError.MethodNotAllowed("method PUT is not allowed on /api/agents/bob"),
                new Errors.Answer(405, Map.of("error", "method PUT is not allowed on /api/agents/bob"), Map.of()));
        table.put(new RelayError.RequestTimeout("request body stalled"),
                new Errors.Answer(408, Map.of("error", "request body stalled"), Map.of()));
        table.put(new RelayError.Conflict("message 5 is already claimed by alice", Map.of("claimedBy", "alice")),
                new Errors.Answer(409, Map.of("error", "message 5 is already claimed by alice", "claimedBy", "alice"),
                        Map.of()));
        table.put(new RelayError.PayloadTooLarge("body exceeds MAX_BODY_BYTES (1048576 bytes)"),
                new Errors.Answer(413, Map.of("error", "body exceeds MAX_BODY_BYTES (1048576 bytes)"), Map.of()));
        table.put(new RelayError.UnsupportedMediaType("Content-Type multipart/form-data is not accepted"),
                new Errors.Answer(415, Map.of("error", "Content-Type multipart/form-data is not accepted"), Map.of()));
        table.put(new RelayError.RateLimited("rate limit exceeded", 7),
                new Errors.Answer(429, Map.of("error", "rate limit exceeded", "retryAfter", 7L), Map.of("Retry-After", "7")));
        table.put(new RelayError.Unavailable("too many request bodies are being received", 1),
                new Errors.Answer(503, Map.of("error", "too many request bodies are being received", "retryAfter", 1L),
                        Map.of("Retry-After", "1")));
        return table;
    }

    @Test
    void everyTypedErrorIsInTheTable() {
        assertThat(DOCUMENTED.keySet().stream().map(Object::getClass).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(RelayError.class.getPermittedSubclasses());
    }

    @Test
    void eachTypedErrorRendersItsDocumentedStatusTextAndHeaders() {
        DOCUMENTED.forEach((error, expected) -> {
            Errors.Answer answer = Errors.answer(error, "GET /test");
            assertThat(answer).as(error.getClass().getSimpleName()).isEqualTo(expected);
            // The text comes first in the body, as the clients print it.
            assertThat(answer.body().keySet().iterator().next()).isEqualTo("error");
        });
    }

    @Test
    void aFailureWrappedByAFutureIsAnsweredAsItself() {
        Errors.Answer answer = Errors.answer(new CompletionException(new RelayError.NotFound("agent bob not found")),
                "GET /api/agents/bob");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body()).containsEntry("error", "agent bob not found");
    }

    @Test
    void anUnexpectedExceptionIsA500ThatLeaksNothing() {
        Errors.Answer answer = Errors.answer(new IllegalStateException("secret internals at /home/relay"), "GET /x");

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.body()).isEqualTo(Map.of("error", "internal error"));
    }

    @Test
    void aStoreThatCannotTakeWritesNowIsA503WithRetryAfter() {
        // PostgreSQL's "connection failure" class (08): a condition that passes.
        StoreException locked = new StoreException("write failed", new SQLException("connection lost", "08006"));

        Errors.Answer answer = Errors.answer(locked, "POST /api/messages");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.headers()).containsEntry("Retry-After", "1");
        assertThat(answer.body()).containsEntry("retryAfter", 1L)
                .hasEntrySatisfying("error", text -> assertThat((String) text).contains("retry shortly"));
    }

    @Test
    void aUniqueConstraintThatRefusedARacingWriteIsA409NotA500() {
        StoreException postgres = new StoreException("insert failed", new SQLException("duplicate key", "23505"));
        StoreException sqlite = new StoreException("insert failed",
                new org.sqlite.SQLiteException("UNIQUE constraint failed", org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE));
        StoreException other = new StoreException("insert failed",
                new org.sqlite.SQLiteException("NOT NULL constraint failed", org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT_NOTNULL));

        for (StoreException race : java.util.List.of(postgres, sqlite)) {
            Errors.Answer answer = Errors.answer(new CompletionException(race), "POST /api/orchestrators");
            assertThat(answer.status()).isEqualTo(409);
            assertThat((String) answer.body().get("error")).startsWith("conflict: ").contains("retry");
        }
        assertThat(Errors.answer(other, "POST /api/x").status()).as("other constraints are bugs").isEqualTo(500);
    }

    @Test
    void webSocketFailuresCloseWithTheDocumentedCodes() {
        assertThat(Errors.close(new RelayError.InvalidInput(null, "invalid JSON"), "ws"))
                .isEqualTo(new Errors.Close(StreamEnd.BAD_FRAME, "invalid JSON"));
        assertThat(Errors.close(new RelayError.PayloadTooLarge("message over 65536 bytes"), "ws"))
                .isEqualTo(new Errors.Close(StreamEnd.TOO_LARGE, "message over 65536 bytes"));
        assertThat(Errors.close(new RelayError.RequestTimeout("no hello within 30 s"), "ws"))
                .isEqualTo(new Errors.Close(StreamEnd.HELLO_TIMEOUT, "no hello within 30 s"));
        assertThat(Errors.close(new CompletionException(new IllegalStateException("store broke")), "ws"))
                .isEqualTo(new Errors.Close(StreamEnd.INTERNAL, "internal error"));
    }

    @Test
    void closeCodesAndEndReasonsAreTheDocumentedOnes() {
        Map<StreamEnd, String> codes = Arrays.stream(StreamEnd.values())
                .collect(Collectors.toMap(end -> end, end -> end.closeCode() + " " + end.reason()));

        assertThat(codes).containsExactlyInAnyOrderEntriesOf(Map.of(
                StreamEnd.SHUTDOWN, "1001 shutdown",
                StreamEnd.SLOW_CONSUMER, "1008 backpressure",
                StreamEnd.REPLAY_FAILED, "1011 replay failed",
                StreamEnd.BAD_FRAME, "1003 bad frame",
                StreamEnd.TOO_LARGE, "1009 message too large",
                StreamEnd.HELLO_TIMEOUT, "1008 no hello",
                StreamEnd.INTERNAL, "1011 internal error"));
    }

    @Test
    void aReplyIsAlwaysASuccess() {
        assertThatThrownBy(() -> new Reply(404, Map.of("error", "x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reply(500, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Reply(201, null).status()).isEqualTo(201);
    }

    /**
     * Outside the table, a status is set only for a success ({@link Reply}, a stream's 200, a 304);
     * no filter fails with a bare status; no close code is written as a number; the error headers
     * are the table's.
     */
    @Test
    void noClassOutsideTheTableChoosesAnErrorStatusOrACloseCode() throws IOException {
        Pattern status = Pattern.compile("setStatusCode\\(([^)]*\\)?)\\)");
        Pattern bareFail = Pattern.compile("\\.fail\\(\\s*\\d");
        Pattern closeCode = Pattern.compile("\\b(1001|1003|1008|1009|1011)\\b");
        Pattern errorHeader = Pattern.compile("\"(WWW-Authenticate|Retry-After)\"");
        List<String> offences = new ArrayList<>();
        int statusesSeen = 0;
        for (Path file : sources()) {
            String name = SOURCES.relativize(file).toString();
            List<String> lines = code(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String where = name + ":" + (i + 1) + ": " + line.strip();
                if (!name.equals("http/Errors.java")) {
                    Matcher matcher = status.matcher(line);
                    while (matcher.find()) {
                        statusesSeen++;
                        if (!isSuccess(matcher.group(1).strip())) {
                            offences.add(where);
                        }
                    }
                    if (errorHeader.matcher(line).find()) {
                        offences.add(where);
                    }
                }
                if (bareFail.matcher(line).find()) {
                    offences.add(where);
                }
                if (!name.equals("events/StreamEnd.java") && closeCode.matcher(line).find()) {
                    offences.add(where);
                }
            }
        }
        assertThat(statusesSeen).as("the scan sees the success statuses it allows").isGreaterThanOrEqualTo(3);
        assertThat(offences).isEmpty();
    }

    private static boolean isSuccess(String argument) {
        if (argument.equals("reply.status()")) {
            return true; // a Reply is a 2xx by construction
        }
        return argument.matches("\\d{3}") && Integer.parseInt(argument) < 400;
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** A file's lines with comments blanked out (so a close code named in a comment is fine). */
    private static List<String> code(Path file) {
        try {
            List<String> lines = new ArrayList<>();
            boolean inComment = false;
            for (String line : Files.readAllLines(file)) {
                String stripped = line.strip();
                if (inComment) {
                    inComment = !stripped.contains("*/");
                    lines.add("");
                } else if (stripped.startsWith("/*")) {
                    inComment = !stripped.contains("*/");
                    lines.add("");
                } else if (stripped.startsWith("//")) {
                    lines.add("");
                } else {
                    int comment = line.indexOf("//");
                    lines.add(comment >= 0 && !line.substring(0, comment).contains("\"") ? line.substring(0, comment) : line);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
