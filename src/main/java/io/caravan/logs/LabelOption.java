package io.caravan.logs;

import io.caravan.model.Labels;

/** A {@code labels=job=kube-audit,source=audit} URI option as Labels; a pair without '=' is a configuration error. */
public final class LabelOption {

    private LabelOption() {
    }

    public static Labels parse(String endpoint, String text) {
        Labels.Builder b = Labels.builder();
        if (text == null) {
            return Labels.EMPTY;
        }
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(endpoint + " labels: '" + pair + "' is not name=value");
            }
            String name = pair.substring(0, eq).trim();
            if (!name.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                throw new IllegalArgumentException(endpoint + " labels: '" + name + "' is not a valid label name");
            }
            b.set(name, pair.substring(eq + 1).trim());
        }
        return b.build();
    }
}
