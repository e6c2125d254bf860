package io.caravan.loki;

import io.caravan.model.GoStrings;
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
            GoStrings.appendQuoted(sb, labels.value(i));
            sb.append('"');
        }
        return sb.append('}').toString();
    }
}
