package io.caravan.model;

/**
 * The one reading of a {@code name=value,name=value} URI option (external labels, target labels, URL
 * params): blanks skipped, names and values trimmed, empty values left out, a pair without '=' an error
 * that names the option and shows the expected form.
 */
public final class NameValuePairs {

    private static final String LABEL_NAME = "[a-zA-Z_][a-zA-Z0-9_]*";

    private NameValuePairs() {
    }

    /** Pairs whose names must be label names (legacy Prometheus charset, which every receiver accepts). */
    public static Labels labels(String where, String text) {
        return parse(where, text, true);
    }

    /** Pairs with any names (URL parameters). */
    public static Labels any(String where, String text) {
        return parse(where, text, false);
    }

    /** The name with every character Loki forbids as '_', as Prometheus sanitises Kubernetes label names. */
    private static String suggest(String name) {
        String s = name.replaceAll("[^a-zA-Z0-9_]", "_");
        return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "_" + s : s;
    }

    private static Labels parse(String where, String text, boolean labelNames) {
        if (text == null || text.isBlank()) {
            return Labels.EMPTY;
        }
        Labels.Builder b = Labels.builder();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(where + ": '" + pair + "' is not name=value; write pairs like cluster=prod,dc=east");
            }
            String name = pair.substring(0, eq).trim();
            if (labelNames && !name.matches(LABEL_NAME)) {
                throw new IllegalArgumentException(where + ": '" + name + "' is not a valid label name; label names are letters,"
                        + " digits and '_', not starting with a digit (Loki and Prometheus refuse others): write e.g. '"
                        + suggest(name) + "'");
            }
            b.set(name, pair.substring(eq + 1).trim());
        }
        return b.build();
    }
}
