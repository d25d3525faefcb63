package io.agentrelay.api;

/** A closed vocabulary whose values have a fixed wire spelling. */
public interface Wire {
    String wire();

    /** The constant of {@code type} spelled {@code wire}, or null. */
    static <E extends Enum<E> & Wire> E find(Class<E> type, String wire) {
        for (E value : type.getEnumConstants()) {
            if (value.wire().equals(wire)) {
                return value;
            }
        }
        return null;
    }

    /** The allowed spellings of {@code type}, for error messages: {@code a|b|c}. */
    static <E extends Enum<E> & Wire> String choices(Class<E> type) {
        StringBuilder out = new StringBuilder();
        for (E value : type.getEnumConstants()) {
            if (!out.isEmpty()) {
                out.append('|');
            }
            out.append(value.wire());
        }
        return out.toString();
    }
}
