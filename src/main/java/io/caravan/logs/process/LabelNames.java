package io.caravan.logs.process;

/** Loki's (Prometheus') label name rule: [a-zA-Z_][a-zA-Z0-9_]*. */
final class LabelNames {

    private LabelNames() {
    }

    static boolean isValid(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static void require(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("invalid label name '" + name + "'; label names match [a-zA-Z_][a-zA-Z0-9_]*");
        }
    }
}
