package io.caravan.scrape.parse;

import static io.caravan.scrape.parse.ByteScanning.isBlank;
import static io.caravan.scrape.parse.ByteScanning.skipBlanks;

/**
 * Prometheus text exposition format 0.0.4, read the way Prometheus 3's promparse reads it: spaces and tabs
 * may separate any two tokens (even label pairs without a comma), blank lines and {@code #} comments are
 * skipped, {@code # HELP} and {@code # TYPE} need a blank after the keyword, a sample's timestamp is
 * integer milliseconds, and a missing final newline is fine. Names may be quoted UTF-8:
 * {@code {"my.metric","label.name"="v"}}.
 */
public final class PrometheusTextParser extends AbstractExpositionParser {

    @Override
    protected boolean helpUnescapesQuote() {
        return false;
    }

    @Override
    public Entry next() throws ExpositionParseException {
        final byte[] b = buf;
        while (true) {
            if (pos >= end) {
                return eof();
            }
            entryLineStart = pos;
            entryLine = line;
            int p = skipBlanks(b, pos, end);
            if (p >= end) {
                return eof();
            }
            byte c = b[p];
            if (c == '\n') {
                finishLine(p);
                continue;
            }
            if (c == '#') {
                return comment(p + 1);
            }
            return series(p);
        }
    }

    private Entry comment(int p) throws ExpositionParseException {
        final byte[] b = buf;
        int lineEnd = ByteScanning.lineEnd(b, p, end);
        if (p < lineEnd && isBlank(b[p])) {
            int k = skipBlanks(b, p, lineEnd);
            if (k + 4 < lineEnd && isBlank(b[k + 4])) {
                if (ByteScanning.startsWith(b, k, lineEnd, "HELP")) {
                    return metadata(Entry.HELP, skipBlanks(b, k + 4, lineEnd), lineEnd);
                }
                if (ByteScanning.startsWith(b, k, lineEnd, "TYPE")) {
                    return metadata(Entry.TYPE, skipBlanks(b, k + 4, lineEnd), lineEnd);
                }
            }
        }
        finishLine(lineEnd);
        entry = Entry.COMMENT;
        return Entry.COMMENT;
    }

    private Entry metadata(Entry kind, int p, int lineEnd) throws ExpositionParseException {
        int nameEnd = scanFamilyName(p, lineEnd, kind.name());
        // Prometheus' lexer takes everything after the name as text and drops its first byte (the blank)
        textStart = Math.min(nameEnd + 1, lineEnd);
        textEnd = lineEnd;
        if (kind == Entry.TYPE) {
            metaType = parseType(textStart, textEnd);
            lastType = metaType;
        } else if (!ByteScanning.isValidUtf8(buf, textStart, textEnd)) {
            throw error("help text is not valid UTF-8", textStart);
        }
        finishLine(lineEnd);
        entry = kind;
        return kind;
    }

    private MetricType parseType(int from, int to) throws ExpositionParseException {
        byte[] b = buf;
        if (ByteScanning.equalsAscii(b, from, to, "counter")) {
            return MetricType.COUNTER;
        }
        if (ByteScanning.equalsAscii(b, from, to, "gauge")) {
            return MetricType.GAUGE;
        }
        if (ByteScanning.equalsAscii(b, from, to, "histogram")) {
            return MetricType.HISTOGRAM;
        }
        if (ByteScanning.equalsAscii(b, from, to, "summary")) {
            return MetricType.SUMMARY;
        }
        if (ByteScanning.equalsAscii(b, from, to, "untyped")) {
            return MetricType.UNKNOWN;
        }
        throw error("invalid metric type \"" + ByteScanning.token(b, from, to) + "\"", from);
    }

    private Entry series(int p) throws ExpositionParseException {
        final byte[] b = buf;
        spans.clear();
        seriesStart = p;
        if (b[p] == '{') {
            p = labels(p + 1);
        } else {
            int nameEnd = ByteScanning.scanMetricName(b, p, end);
            if (nameEnd == p) {
                throw error("invalid metric name: unexpected character '" + (char) (b[p] & 0xFF) + "' at start of line", p);
            }
            spans.setName(p, nameEnd, false);
            p = nameEnd;
            int q = skipBlanks(b, p, end);
            if (q < end && b[q] == '{') {
                p = labels(q + 1);
            }
        }
        seriesEnd = p;
        if (!spans.hasName()) {
            throw error("metric name not set: no name before '{' and no quoted name inside", seriesStart);
        }
        if (spans.labelCount() > 0) {
            checkDuplicates();
        }

        p = skipBlanks(b, p, end);
        int valueStart = p;
        while (p < end) {
            byte c = b[p];
            if (c == ' ' || c == '\t' || c == '\n' || c == '{') {
                break;
            }
            p++;
        }
        if (p == valueStart) {
            throw error("expected value after metric", p);
        }
        value = parseValue(valueStart, p, "value");

        p = skipBlanks(b, p, end);
        hasTimestamp = false;
        if (p < end && b[p] != '\n') {
            int tsStart = p;
            while (p < end && ByteScanning.isDigit(b[p])) {
                p++;
            }
            if (p == tsStart) {
                throw error("expected timestamp or end of line after value", p);
            }
            long ts = ByteScanning.parseDigits(b, tsStart, p);
            if (ts < 0) {
                throw error("timestamp out of range", tsStart);
            }
            timestampMs = ts;
            hasTimestamp = true;
            p = skipBlanks(b, p, end);
            if (p < end && b[p] != '\n') {
                throw error("expected end of line after timestamp", p);
            }
        }
        finishLine(p);
        entry = Entry.SERIES;
        return Entry.SERIES;
    }

    /** Parses label pairs after '{' up to and including '}'; returns the index after '}'. */
    private int labels(int p) throws ExpositionParseException {
        final byte[] b = buf;
        while (true) {
            p = skipBlanks(b, p, end);
            if (p >= end || b[p] == '\n') {
                throw error("expected label name or '}'", p);
            }
            byte c = b[p];
            if (c == '}') {
                return p + 1;
            }
            int nameStart;
            int nameEnd;
            boolean nameEscaped;
            if (c == '"') {
                long scan = ByteScanning.scanQuoted(b, p, end);
                if (scan < 0) {
                    throw error("unterminated quoted name", p);
                }
                int after = ByteScanning.quotedEnd(scan);
                int next = skipBlanks(b, after, end);
                if (next < end && (b[next] == ',' || b[next] == '}')) {
                    // a lone quoted string is the metric name
                    if (spans.hasName()) {
                        throw error("metric name already set", p);
                    }
                    checkQuotedName(p + 1, after - 1, scan, "metric name");
                    spans.setName(p + 1, after - 1, (scan & ByteScanning.HAS_ESCAPE) != 0);
                    if (b[next] == '}') {
                        return next + 1;
                    }
                    p = next + 1;
                    continue;
                }
                checkQuotedName(p + 1, after - 1, scan, "label name");
                nameStart = p + 1;
                nameEnd = after - 1;
                nameEscaped = (scan & ByteScanning.HAS_ESCAPE) != 0;
                p = next;
            } else {
                nameEnd = ByteScanning.scanLabelName(b, p, end);
                if (nameEnd == p) {
                    throw error("invalid label name: unexpected character '" + (char) (c & 0xFF) + "'", p);
                }
                nameStart = p;
                nameEscaped = false;
                p = skipBlanks(b, nameEnd, end);
            }
            if (p >= end || b[p] != '=') {
                throw error("expected '=' after label name", p);
            }
            p = skipBlanks(b, p + 1, end);
            if (p >= end || b[p] != '"') {
                throw error("expected quoted label value", p);
            }
            long scan = ByteScanning.scanQuoted(b, p, end);
            if (scan < 0) {
                throw error("unterminated label value", p);
            }
            int after = ByteScanning.quotedEnd(scan);
            checkLabelValue(p + 1, after - 1, scan);
            spans.addLabel(nameStart, nameEnd, nameEscaped, p + 1, after - 1, (scan & ByteScanning.HAS_ESCAPE) != 0);
            // Prometheus lets the comma out: {a="1" b="2"} is accepted
            p = skipBlanks(b, after, end);
            if (p < end && b[p] == ',') {
                p++;
            }
        }
    }
}
