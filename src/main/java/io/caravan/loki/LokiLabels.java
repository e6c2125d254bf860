package io.caravan.loki;

import io.caravan.model.Labels;

/**
 * A label set in the form Loki's push API parses: {@code {a="b", c="d"}}, values quoted as Go's
 * strconv.Quote does (Loki reads them back with the LogQL parser, which unquotes Go strings).
 */
final class LokiLabels {

    private LokiLabels() {
    }

    static String format(Labels labels) {
        StringBuilder sb = new StringBuilder(16 + labels.size() * 24).append('{');
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(labels.name(i)).append("=\"");
            quote(sb, labels.value(i));
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    private static void quote(StringBuilder sb, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
    }
}
