package io.agentrelay.server.errors;

import java.util.function.Supplier;

/**
 * A request parsed at the edge whose refusal, if it has one, is reported later: where the
 * TypeScript server looks up what the request is about (404) before it looks at the body, the
 * service checks that first and then calls {@link #get()}. The parsing itself still happens once,
 * at the edge, into the command record.
 */
public record Parsed<T>(T value, RelayError.InvalidInput problem) {

    /** Runs {@code parse} now, keeping its 400 for later. */
    public static <T> Parsed<T> of(Supplier<T> parse) {
        try {
            return new Parsed<>(parse.get(), null);
        } catch (RelayError.InvalidInput invalid) {
            return new Parsed<>(null, invalid);
        }
    }

    /** The parsed request; throws its 400 if parsing failed. */
    public T get() {
        if (problem != null) {
            throw problem;
        }
        return value;
    }
}
