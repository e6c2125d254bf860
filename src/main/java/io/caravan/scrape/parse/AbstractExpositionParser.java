package io.caravan.scrape.parse;

import io.caravan.model.Labels;

/**
 * State and accessors common to both text formats: the buffer and cursor, the line counter, the current
 * entry's results, and error reporting. Subclasses implement next() for their grammar.
 */
abstract class AbstractExpositionParser implements ExpositionParser {

    protected byte[] buf = new byte[0];
    protected int pos;
    protected int end;
    /** Line number of the byte at pos. */
    protected int line = 1;
    protected int entryLine;
    protected int entryLineStart;
    protected Entry entry;

    protected final SeriesSpans spans = new SeriesSpans();
    protected int seriesStart;
    protected int seriesEnd;
    protected double value;
    protected boolean hasTimestamp;
    protected long timestampMs;

    /** Type of the last TYPE line; Prometheus normalises le/quantile by it. */
    protected MetricType lastType = MetricType.UNKNOWN;
    protected int familyStart;
    protected int familyEnd;
    protected boolean familyEscaped;
    protected int textStart;
    protected int textEnd;
    protected MetricType metaType = MetricType.UNKNOWN;

    private final StringCache names = new StringCache(512);
    private final StringCache values = new StringCache(4096);
    private final ClassicBucketLabels buckets = new ClassicBucketLabels();

    @Override
    public void reset(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buf.length) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " outside buffer of " + buf.length);
        }
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
        this.line = 1;
        this.entryLine = 0;
        this.entry = null;
        this.lastType = MetricType.UNKNOWN;
        spans.clear();
    }

    /** Whether HELP text unescapes {@code \"} (OpenMetrics) or leaves it (text 0.0.4). */
    protected abstract boolean helpUnescapesQuote();

    /** Consumes the rest of the line up to and including the newline at {@code lineEnd}. */
    protected final void finishLine(int lineEnd) {
        if (lineEnd < end) {
            pos = lineEnd + 1;
            line++;
        } else {
            pos = end;
        }
    }

    protected final Entry eof() {
        entry = Entry.EOF;
        pos = end;
        return Entry.EOF;
    }

    protected final ExpositionParseException error(String reason, int at) {
        entry = null;
        return new ExpositionParseException(entryLine, reason, ByteScanning.excerpt(buf, entryLineStart, at, end));
    }

    protected final double parseValue(int from, int to, String what) throws ExpositionParseException {
        try {
            return ExpositionFloats.parse(buf, from, to);
        } catch (NumberFormatException e) {
            throw error("bad " + what + " '" + ByteScanning.token(buf, from, to) + "': " + e.getMessage(), from);
        }
    }

    /** A quoted metric or label name must be non-empty valid UTF-8 (Prometheus 3's UTF-8 name validation). */
    protected final void checkQuotedName(int from, int to, long scan, String what) throws ExpositionParseException {
        if (from == to) {
            throw error("invalid " + what + ": empty quoted name", from);
        }
        if ((scan & ByteScanning.HAS_NON_ASCII) != 0 && !ByteScanning.isValidUtf8(buf, from, to)) {
            throw error("invalid " + what + ": not valid UTF-8", from);
        }
    }

    protected final void checkLabelValue(int from, int to, long scan) throws ExpositionParseException {
        if ((scan & ByteScanning.HAS_NON_ASCII) != 0 && !ByteScanning.isValidUtf8(buf, from, to)) {
            throw error("invalid UTF-8 in label value", from);
        }
    }

    protected final void checkDuplicates() throws ExpositionParseException {
        int dup = spans.duplicateLabel(buf);
        if (dup >= 0) {
            int at = spans.labelNameStart(dup);
            throw error("duplicate label name \"" + spans.labelName(buf, dup, names) + "\"", at);
        }
    }

    /** Records the family name of a HELP/TYPE/UNIT line and checks a quoted one. */
    protected final int scanFamilyName(int p, int limit, String keyword) throws ExpositionParseException {
        if (p < limit && buf[p] == '"') {
            long scan = ByteScanning.scanQuoted(buf, p, limit);
            if (scan < 0) {
                throw error("unterminated quoted metric name after " + keyword, p);
            }
            int after = ByteScanning.quotedEnd(scan);
            checkQuotedName(p + 1, after - 1, scan, "metric name");
            familyStart = p + 1;
            familyEnd = after - 1;
            familyEscaped = (scan & ByteScanning.HAS_ESCAPE) != 0;
            return after;
        }
        int nameEnd = ByteScanning.scanMetricName(buf, p, limit);
        if (nameEnd == p) {
            throw error("expected metric name after " + keyword, p);
        }
        familyStart = p;
        familyEnd = nameEnd;
        familyEscaped = false;
        return nameEnd;
    }

    // accessors

    private void require(Entry expected) {
        if (entry != expected) {
            throw new IllegalStateException("valid after " + expected + ", current entry is " + entry);
        }
    }

    private void requireMetadata() {
        if (entry != Entry.TYPE && entry != Entry.HELP && entry != Entry.UNIT) {
            throw new IllegalStateException("valid after TYPE, HELP or UNIT, current entry is " + entry);
        }
    }

    @Override
    public int seriesOffset() {
        require(Entry.SERIES);
        return seriesStart;
    }

    @Override
    public int seriesLength() {
        require(Entry.SERIES);
        return seriesEnd - seriesStart;
    }

    @Override
    public void labels(Labels.Builder into) {
        require(Entry.SERIES);
        spans.writeTo(buf, into, lastType, names, values, buckets);
    }

    @Override
    public double value() {
        require(Entry.SERIES);
        return value;
    }

    @Override
    public boolean hasTimestamp() {
        require(Entry.SERIES);
        return hasTimestamp;
    }

    @Override
    public long timestampMs() {
        require(Entry.SERIES);
        return timestampMs;
    }

    @Override
    public String metricFamily() {
        requireMetadata();
        return familyEscaped
                ? ByteScanning.unescape(buf, familyStart, familyEnd, true)
                : ByteScanning.decode(buf, familyStart, familyEnd);
    }

    @Override
    public MetricType type() {
        require(Entry.TYPE);
        return metaType;
    }

    @Override
    public String help() {
        require(Entry.HELP);
        return ByteScanning.unescape(buf, textStart, textEnd, helpUnescapesQuote());
    }

    @Override
    public String unit() {
        require(Entry.UNIT);
        return ByteScanning.decode(buf, textStart, textEnd);
    }

    @Override
    public int lineNumber() {
        return entryLine;
    }
}
