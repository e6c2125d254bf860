package io.caravan.scrape.parse;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;

import java.util.List;

/**
 * OpenMetrics 1.0 text, read the way Prometheus 3's openmetricsparse reads it: exactly one space between
 * tokens and none inside braces, no blank lines, only {@code # HELP}, {@code # TYPE}, {@code # UNIT} and
 * {@code # EOF} comments, the body must end with {@code # EOF} (optionally followed by one newline),
 * timestamps are float seconds (converted to milliseconds, truncated), and an exemplar may follow
 * {@code " # "}: its labels, value and optional timestamp (seconds, truncated to milliseconds) are kept with the
 * series.
 *
 * <p>{@code _created} lines are ordinary series, as in Prometheus without start timestamps. With
 * {@code startTimestamps}, as Prometheus' parser with its {@code _created} series skipped: in a counter, summary or
 * histogram family they are not series but the created timestamp of the series they name (see
 * {@link #createdTimestampMs}).
 */
public final class OpenMetricsParser extends AbstractExpositionParser {

    private static final String CREATED_SUFFIX = "_created";

    private final boolean startTimestamps;
    /** Reads ahead of this parser for the current series' {@code _created} line; made on first need. */
    private OpenMetricsParser peeker;
    /** Where the last look ahead stopped: the start of the {@code _created} line the peeker rests on, or of the line it could not pass. */
    private int peekedUntil = -1;
    private boolean peekerOnCreated;
    /** The last created timestamp found, valid while the series asked about keep the identity of the peeker's line. */
    private boolean createdFound;
    private long createdMs;

    /** The current series' exemplar, when it has one: where its labels lie, its value and time. */
    private final SeriesSpans exemplarSpans = new SeriesSpans();
    private boolean hasExemplar;
    private double exemplarValue;
    private long exemplarTimestampMs;
    private final StringCache exemplarNames = new StringCache(64);
    private final StringCache exemplarValues = new StringCache(64);

    private static final String EOF_MISSING = "data does not end with # EOF";

    public OpenMetricsParser() {
        this(false);
    }

    /** @param startTimestamps read {@code _created} lines as created timestamps, not as series */
    public OpenMetricsParser(boolean startTimestamps) {
        this.startTimestamps = startTimestamps;
    }

    @Override
    public void reset(byte[] buf, int offset, int length) {
        super.reset(buf, offset, length);
        peekedUntil = -1;
        peekerOnCreated = false;
        createdFound = false;
    }

    @Override
    public Entry next() throws ExpositionParseException {
        Entry e = nextLine();
        while (startTimestamps && e == Entry.SERIES && isCreatedSeries()) {
            e = nextLine();
        }
        return e;
    }

    /**
     * When the current series started, from the {@code _created} line of its family that has its name (up to the
     * family's) and labels (but {@code le} in a histogram, {@code quantile} in a summary), as Prometheus' parser finds
     * it: that line may come after the series, so the parser looks ahead, up to the first {@code _created} line or
     * the end of the family. One found stays the answer while the series asked about keep its identity, also after
     * the {@code _created} line was passed (a histogram's buckets after it). 0 without {@code startTimestamps}, for
     * other types, or when there is none.
     */
    @Override
    public long createdTimestampMs() {
        if (entry != Entry.SERIES) {
            throw new IllegalStateException("valid after SERIES, current entry is " + entry);
        }
        if (!startTimestamps || !hasStartTimestamp(lastType)) {
            createdFound = false;
            return 0;
        }
        if (createdFound && isCreatedLineOf(peeker)) {
            return createdMs;
        }
        if (pos > peekedUntil) {
            lookAhead();
        }
        // no _created line lies between here and where the look ahead stopped: that stop decides
        createdFound = peekerOnCreated && isCreatedLineOf(peeker);
        if (!createdFound) {
            return 0;
        }
        createdMs = (long) (peeker.value * 1000.0); // seconds, truncated to ms as Go's int64(v * 1000)
        return createdMs;
    }

    /** Moves the peeker from the next line to the first {@code _created} line or the first line that is not a series of this family. */
    private void lookAhead() {
        if (peeker == null) {
            peeker = new OpenMetricsParser(false);
        }
        peeker.reset(buf, pos, end - pos);
        peeker.lastType = lastType;
        peekerOnCreated = false;
        try {
            while (peeker.nextLine() == Entry.SERIES) {
                if (peeker.isCreatedSeries()) {
                    peekerOnCreated = true;
                    peekedUntil = peeker.entryLineStart;
                    return;
                }
            }
            peekedUntil = peeker.entryLineStart;
        } catch (ExpositionParseException e) {
            peekedUntil = end; // the body fails there when this parser reaches it; nothing to find before
        }
    }

    /** Whether other's current line is the {@code _created} series of this parser's current series. */
    private boolean isCreatedLineOf(OpenMetricsParser other) {
        int family = familyEnd - familyStart;
        int name = spans.nameStart();
        int createdName = other.spans.nameStart();
        if (spans.nameEnd() - name < family || other.spans.nameEnd() - createdName != family + CREATED_SUFFIX.length()
                || !java.util.Arrays.equals(buf, name, name + family, other.buf, createdName, createdName + family)) {
            return false;
        }
        String skip = lastType == MetricType.HISTOGRAM ? "le" : lastType == MetricType.SUMMARY ? "quantile" : null;
        return spans.sameLabels(buf, other.spans, skip);
    }

    /** A {@code _created} series of a family whose type has start timestamps. */
    private boolean isCreatedSeries() {
        int nameEnd = spans.nameEnd();
        int nameStart = spans.nameStart();
        return hasStartTimestamp(lastType) && nameEnd - nameStart >= CREATED_SUFFIX.length()
                && ByteScanning.equalsAscii(buf, nameEnd - CREATED_SUFFIX.length(), nameEnd, CREATED_SUFFIX);
    }

    private static boolean hasStartTimestamp(MetricType type) {
        return type == MetricType.COUNTER || type == MetricType.SUMMARY || type == MetricType.HISTOGRAM;
    }

    @Override
    protected boolean helpUnescapesQuote() {
        return true;
    }

    /** The next line's entry, {@code _created} series included. */
    private Entry nextLine() throws ExpositionParseException {
        if (entry == Entry.EOF) {
            return Entry.EOF;
        }
        final byte[] b = buf;
        entryLineStart = pos;
        entryLine = line;
        if (pos >= end) {
            throw error(EOF_MISSING, pos);
        }
        byte c = b[pos];
        if (c == '#') {
            return comment(pos + 1);
        }
        if (c == '{' || ByteScanning.isMetricNameStart(c)) {
            return series(pos);
        }
        if (c == '\n') {
            throw error("blank lines are not allowed in OpenMetrics", pos);
        }
        throw error("invalid metric name: unexpected character '" + (char) (c & 0xFF) + "' at start of line", pos);
    }

    private Entry comment(int p) throws ExpositionParseException {
        final byte[] b = buf;
        if (p < end && b[p] == ' ') {
            p++;
            if (ByteScanning.startsWith(b, p, end, "HELP ")) {
                return metadata(Entry.HELP, p + 5);
            }
            if (ByteScanning.startsWith(b, p, end, "TYPE ")) {
                return metadata(Entry.TYPE, p + 5);
            }
            if (ByteScanning.startsWith(b, p, end, "UNIT ")) {
                return metadata(Entry.UNIT, p + 5);
            }
            if (ByteScanning.startsWith(b, p, end, "EOF")) {
                int after = p + 3;
                if (after < end && b[after] == '\n') {
                    after++;
                }
                if (after != end) {
                    throw error("unexpected data after # EOF", after);
                }
                return eof();
            }
        }
        throw error("invalid comment: OpenMetrics allows only '# HELP', '# TYPE', '# UNIT' and '# EOF'", p);
    }

    private Entry metadata(Entry kind, int p) throws ExpositionParseException {
        final byte[] b = buf;
        int lineEnd = ByteScanning.lineEnd(b, p, end);
        int nameEnd = scanFamilyName(p, lineEnd, kind.name());
        if (nameEnd >= lineEnd || b[nameEnd] != ' ') {
            throw error("expected a space and text after the metric name in " + kind, nameEnd);
        }
        if (lineEnd >= end) {
            throw error(EOF_MISSING, lineEnd);
        }
        textStart = nameEnd + 1;
        textEnd = lineEnd;
        switch (kind) {
            case TYPE -> {
                metaType = parseType(textStart, textEnd);
                lastType = metaType;
            }
            case HELP -> {
                if (!ByteScanning.isValidUtf8(b, textStart, textEnd)) {
                    throw error("help text is not valid UTF-8", textStart);
                }
            }
            case UNIT -> checkUnitSuffix();
            default -> throw new AssertionError(kind);
        }
        finishLine(lineEnd);
        entry = kind;
        return kind;
    }

    /** A non-empty unit must end the family name after an underscore: foo_seconds has unit seconds. */
    private void checkUnitSuffix() throws ExpositionParseException {
        int unitLen = textEnd - textStart;
        if (unitLen == 0) {
            return;
        }
        int nameLen = familyEnd - familyStart;
        int suffixStart = familyEnd - unitLen;
        if (nameLen < unitLen + 1 || buf[suffixStart - 1] != '_'
                || !java.util.Arrays.equals(buf, suffixStart, familyEnd, buf, textStart, textEnd)) {
            throw error("unit \"" + ByteScanning.token(buf, textStart, textEnd) + "\" is not a suffix of metric \""
                    + ByteScanning.token(buf, familyStart, familyEnd) + "\"", textStart);
        }
    }

    private MetricType parseType(int from, int to) throws ExpositionParseException {
        byte[] b = buf;
        switch (to - from) {
            case 4 -> {
                if (ByteScanning.equalsAscii(b, from, to, "info")) {
                    return MetricType.INFO;
                }
            }
            case 5 -> {
                if (ByteScanning.equalsAscii(b, from, to, "gauge")) {
                    return MetricType.GAUGE;
                }
            }
            case 7 -> {
                if (ByteScanning.equalsAscii(b, from, to, "counter")) {
                    return MetricType.COUNTER;
                }
                if (ByteScanning.equalsAscii(b, from, to, "summary")) {
                    return MetricType.SUMMARY;
                }
                if (ByteScanning.equalsAscii(b, from, to, "unknown")) {
                    return MetricType.UNKNOWN;
                }
            }
            case 8 -> {
                if (ByteScanning.equalsAscii(b, from, to, "stateset")) {
                    return MetricType.STATESET;
                }
            }
            case 9 -> {
                if (ByteScanning.equalsAscii(b, from, to, "histogram")) {
                    return MetricType.HISTOGRAM;
                }
            }
            case 14 -> {
                if (ByteScanning.equalsAscii(b, from, to, "gaugehistogram")) {
                    return MetricType.GAUGEHISTOGRAM;
                }
            }
            default -> {
            }
        }
        throw error("invalid metric type \"" + ByteScanning.token(b, from, to) + "\"", from);
    }

    private Entry series(int p) throws ExpositionParseException {
        final byte[] b = buf;
        spans.clear();
        seriesStart = p;
        if (b[p] == '{') {
            p = labels(p + 1, false);
        } else {
            int nameEnd = ByteScanning.scanMetricName(b, p, end);
            spans.setName(p, nameEnd, false);
            p = nameEnd;
            if (p < end && b[p] == '{') {
                p = labels(p + 1, false);
            }
        }
        seriesEnd = p;
        if (!spans.hasName()) {
            throw error("metric name not set: no name before '{' and no quoted name inside", seriesStart);
        }
        if (spans.labelCount() > 0) {
            checkDuplicates();
        }

        p = expectSpace(p, "expected a single space and a value after metric");
        int valueEnd = tokenEnd(p);
        if (valueEnd == p) {
            throw error("expected value after metric", p);
        }
        value = parseValue(p, valueEnd, "value");
        p = valueEnd;

        hasTimestamp = false;
        if (p >= end) {
            throw error(EOF_MISSING, p);
        }
        if (b[p] == ' ' && !isExemplarStart(p)) {
            int tsEnd = tokenEnd(p + 1);
            if (tsEnd == p + 1) {
                throw error("expected timestamp after value", p + 1);
            }
            double seconds = parseValue(p + 1, tsEnd, "timestamp");
            if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                throw error("invalid timestamp " + ByteScanning.token(b, p + 1, tsEnd), p + 1);
            }
            timestampMs = (long) (seconds * 1000.0); // truncated, as Go's int64(ts * 1000)
            hasTimestamp = true;
            p = tsEnd;
            if (p >= end) {
                throw error(EOF_MISSING, p);
            }
        }
        hasExemplar = false;
        if (b[p] == ' ') {
            if (!isExemplarStart(p)) {
                throw error("expected end of line or exemplar after timestamp", p);
            }
            p = exemplar(p + 4);
            hasExemplar = true;
        }
        if (b[p] != '\n') {
            throw error("expected end of line", p);
        }
        finishLine(p);
        entry = Entry.SERIES;
        return Entry.SERIES;
    }

    @Override
    public List<Exemplar> exemplars() {
        if (entry != Entry.SERIES) {
            throw new IllegalStateException("valid after SERIES, current entry is " + entry);
        }
        if (!hasExemplar) {
            return List.of();
        }
        Labels.Builder labels = new Labels.Builder();
        exemplarSpans.writeLabelsTo(buf, labels, MetricType.UNKNOWN, exemplarNames, exemplarValues, null);
        return List.of(new Exemplar(labels.build(), exemplarValue, exemplarTimestampMs));
    }

    private boolean isExemplarStart(int p) {
        return ByteScanning.startsWith(buf, p, end, " # {");
    }

    /** Requires one space at p; returns the index after it. */
    private int expectSpace(int p, String reason) throws ExpositionParseException {
        if (p >= end) {
            throw error(EOF_MISSING, p);
        }
        if (buf[p] != ' ') {
            throw error(reason, p);
        }
        return p + 1;
    }

    /** End of a token that runs to the next space or newline. */
    private int tokenEnd(int p) {
        final byte[] b = buf;
        while (p < end && b[p] != ' ' && b[p] != '\n') {
            p++;
        }
        return p;
    }

    /** Reads an exemplar's labels, value and optional timestamp after " # {"; returns the index of the newline. */
    private int exemplar(int p) throws ExpositionParseException {
        exemplarSpans.clear();
        p = labels(p, true);
        p = expectSpace(p, "expected a single space and a value after exemplar labels");
        int valueEnd = tokenEnd(p);
        if (valueEnd == p) {
            throw error("expected value after exemplar labels", p);
        }
        exemplarValue = parseValue(p, valueEnd, "exemplar value");
        exemplarTimestampMs = Exemplar.NO_TIMESTAMP;
        p = valueEnd;
        if (p < end && buf[p] == ' ') {
            int tsEnd = tokenEnd(p + 1);
            if (tsEnd == p + 1) {
                throw error("expected exemplar timestamp", p + 1);
            }
            double seconds = parseValue(p + 1, tsEnd, "exemplar timestamp");
            if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                throw error("invalid exemplar timestamp " + ByteScanning.token(buf, p + 1, tsEnd), p + 1);
            }
            exemplarTimestampMs = (long) (seconds * 1000.0); // truncated, as Go's int64(ts * 1000)
            p = tsEnd;
        }
        if (p >= end) {
            throw error(EOF_MISSING, p);
        }
        if (buf[p] != '\n') {
            throw error("expected end of line after exemplar", p);
        }
        return p;
    }

    /**
     * Parses label pairs after '{' through '}' with no blanks anywhere; returns the index after '}'.
     * Exemplar labels go to their own spans, and cannot carry a quoted metric name.
     */
    private int labels(int p, boolean exemplar) throws ExpositionParseException {
        final byte[] b = buf;
        while (true) {
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
                if (after < end && (b[after] == ',' || b[after] == '}')) {
                    if (exemplar) {
                        throw error("expected label name in exemplar, got a lone quoted string", p);
                    }
                    if (spans.hasName()) {
                        throw error("metric name already set", p);
                    }
                    checkQuotedName(p + 1, after - 1, scan, "metric name");
                    spans.setName(p + 1, after - 1, (scan & ByteScanning.HAS_ESCAPE) != 0);
                    if (b[after] == '}') {
                        return after + 1;
                    }
                    p = after + 1;
                    continue;
                }
                checkQuotedName(p + 1, after - 1, scan, "label name");
                nameStart = p + 1;
                nameEnd = after - 1;
                nameEscaped = (scan & ByteScanning.HAS_ESCAPE) != 0;
                p = after;
            } else {
                nameEnd = ByteScanning.scanLabelName(b, p, end);
                if (nameEnd == p) {
                    throw error("invalid label name: unexpected character '" + (char) (c & 0xFF) + "'", p);
                }
                nameStart = p;
                nameEscaped = false;
                p = nameEnd;
            }
            if (p >= end || b[p] != '=') {
                throw error("expected '=' after label name", p);
            }
            p++;
            if (p >= end || b[p] != '"') {
                throw error("expected quoted label value", p);
            }
            long scan = ByteScanning.scanQuoted(b, p, end);
            if (scan < 0) {
                throw error("unterminated label value", p);
            }
            int after = ByteScanning.quotedEnd(scan);
            checkLabelValue(p + 1, after - 1, scan);
            (exemplar ? exemplarSpans : spans).addLabel(nameStart, nameEnd, nameEscaped, p + 1, after - 1,
                    (scan & ByteScanning.HAS_ESCAPE) != 0);
            p = after;
            if (p < end && b[p] == ',') {
                p++;
            } else if (p >= end || b[p] != '}') {
                throw error("expected ',' or '}' after label value", p);
            }
        }
    }
}
