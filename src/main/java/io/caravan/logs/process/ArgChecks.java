package io.caravan.logs.process;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Defaults and checks the stages' argument records share, with one wording for all of them. A check that fails
 * throws IllegalArgumentException with the reason only; the stage file adds the file, the stage and the line.
 */
final class ArgChecks {

    private ArgChecks() {
    }

    static <T> T orDefault(T value, T dflt) {
        return value == null ? dflt : value;
    }

    /** For arguments where Alloy treats "" as not given (a separator, a counter's reason). */
    static String emptyAsDefault(String value, String dflt) {
        return value == null || value.isEmpty() ? dflt : value;
    }

    static void required(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' is required");
        }
    }

    /** A mapping kept in file order and read-only; absent stays null, for {@link #required(String, Map)}. */
    static Map<String, String> inOrder(Map<String, String> value) {
        return value == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(value));
    }

    /** A mapping that must be given; it may be empty. */
    static void required(String name, Map<String, String> value) {
        if (value == null) {
            throw new IllegalArgumentException("'" + name + "' is required (a mapping like " + name + ": {a: b})");
        }
    }

    static List<String> listOrEmpty(List<String> value) {
        return value == null ? List.of() : List.copyOf(value);
    }

    /** An optional source that is given must name something; leaving it out means the line. */
    static void notEmptyIfGiven(String name, String value) {
        if (value != null && value.isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' is empty; leave it out to read the line");
        }
    }
}
