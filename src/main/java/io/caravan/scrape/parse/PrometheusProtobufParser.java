package io.caravan.scrape.parse;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.NativeHistogram;
import io.caravan.model.NativeHistogram.ResetHint;
import io.caravan.wire.ProtoReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Prometheus protobuf exposition format ({@code application/vnd.google.protobuf;
 * proto=io.prometheus.client.MetricFamily; encoding=delimited}): a body of MetricFamily messages, each after its
 * varint length, read as Prometheus' own protobuf parser reads it.
 *
 * <p>Per family: HELP (always), UNIT (when set), TYPE, then the series of each metric in order. A counter, gauge or
 * untyped metric is one series. A summary gives {@code _count}, {@code _sum} and one series per quantile. A
 * histogram is native when it has a span, a zero threshold above 0 or an integer zero count above 0; it is then one
 * series with a {@link NativeHistogram} (followed by its classic series when {@code keepClassicHistograms} and it
 * has classic buckets), and otherwise classic: {@code _count}, {@code _sum}, one {@code _bucket} per bucket up to
 * the first {@code +Inf} one, and a {@code +Inf} bucket holding the count when there is none. Families without
 * metrics are skipped whole.
 *
 * <p>With {@code convertClassicHistogramsToNhcb} (Prometheus' {@code convert_classic_histograms_to_nhcb}, which its
 * protobuf parser does itself), a classic histogram or gauge histogram also gives, after its classic series, one
 * native histogram with custom buckets made of all its buckets ({@link ClassicHistogramConverter}); its classic
 * series are then given only with {@code keepClassicHistograms}. One that cannot be converted fails the parse.
 *
 * <p>{@link #lineNumber()} is the 1-based index of the MetricFamily message in the body.
 */
public final class PrometheusProtobufParser implements ExpositionParser {

    /** Separates the parts of a series key, as Prometheus' 0xFF: no UTF-8 string contains it. */
    private static final byte SEPARATOR = (byte) 0xFF;
    /** Ends the key of a native histogram, so that it differs from any float series' key (0xFE is never UTF-8). */
    private static final byte NATIVE_MARK = (byte) 0xFE;
    /** A MetricFamily's length prefix is a varint of at most 5 bytes (Go's binary.MaxVarintLen32). */
    private static final int MAX_LENGTH_PREFIX = 5;

    // MetricFamily fields and MetricType values
    private static final int FAMILY_NAME = 1;
    private static final int FAMILY_HELP = 2;
    private static final int FAMILY_TYPE = 3;
    private static final int FAMILY_METRIC = 4;
    private static final int FAMILY_UNIT = 5;
    private static final int TYPE_COUNTER = 0;
    private static final int TYPE_GAUGE = 1;
    private static final int TYPE_SUMMARY = 2;
    private static final int TYPE_UNTYPED = 3;
    private static final int TYPE_HISTOGRAM = 4;
    private static final int TYPE_GAUGE_HISTOGRAM = 5;
    private static final String[] TYPE_NAMES = {"COUNTER", "GAUGE", "SUMMARY", "UNTYPED", "HISTOGRAM", "GAUGE_HISTOGRAM"};

    private enum Kind { PLAIN, NATIVE, NHCB, COUNT, SUM, BUCKET, QUANTILE }

    private enum Step { HELP, UNIT_OR_TYPE, TYPE, SERIES }

    private static final byte[] COUNT_SUFFIX = "_count".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUM_SUFFIX = "_sum".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BUCKET_SUFFIX = "_bucket".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LE = "le".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUANTILE = "quantile".getBytes(StandardCharsets.US_ASCII);

    private final boolean ignoreNativeHistograms;
    private final boolean keepClassicHistograms;
    private final boolean convertClassicHistogramsToNhcb;
    private final ProtoReader familyReader = new ProtoReader();
    private final ProtoReader metricReader = new ProtoReader();
    private final ProtobufMetric metric = new ProtobufMetric();
    private final NativeBucketCompaction compaction = new NativeBucketCompaction();
    private final ClassicHistogramConverter nhcbConverter = new ClassicHistogramConverter();
    private final FloatLabelValues floatLabels = new FloatLabelValues();
    private final StringCache names = new StringCache(512);
    private final StringCache values = new StringCache(4096);
    private final Labels.Builder exemplarLabels = new Labels.Builder();

    private byte[] buf = new byte[0];
    private int next;
    private int end;
    private Entry entry;

    // the current family
    private boolean inFamily;
    private int familyIndex;
    private int familyStart;
    private int familyEnd;
    private int nameStart;
    private int nameEnd;
    private int helpStart;
    private int helpEnd;
    private int unitStart;
    private int unitEnd;
    private int type;
    private String familyName;
    private String countName;
    private String sumName;
    private String bucketName;
    private Step step;
    private int metricIndex;

    // the current metric's series
    private boolean nativeFirst;
    private boolean nhcbLast;
    private int seriesIndex;
    private int seriesTotal;
    private Kind kind;
    private int field; // bucket or quantile index
    private double value;
    private NativeHistogram histogram;
    private byte[] key = new byte[256];
    private int keyLength;
    private double[] absoluteCounts = new double[32]; // an integer histogram's deltas summed

    /**
     * @param ignoreNativeHistograms  read every histogram as classic, its native parts left aside (Prometheus'
     *                                IgnoreNativeHistograms, where native histograms are not scraped): one without a
     *                                classic bucket gives its {@code +Inf} bucket, count and sum
     * @param keepClassicHistograms   also give a native histogram's classic buckets as {@code _bucket}, {@code _count}
     *                                and {@code _sum} series (Prometheus' {@code always_scrape_classic_histograms})
     */
    public PrometheusProtobufParser(boolean ignoreNativeHistograms, boolean keepClassicHistograms) {
        this(ignoreNativeHistograms, keepClassicHistograms, false);
    }

    /**
     * @param convertClassicHistogramsToNhcb a classic histogram gives a native histogram with custom buckets, after
     *                                       its classic series when {@code keepClassicHistograms}, else instead
     */
    public PrometheusProtobufParser(boolean ignoreNativeHistograms, boolean keepClassicHistograms,
                                    boolean convertClassicHistogramsToNhcb) {
        this.ignoreNativeHistograms = ignoreNativeHistograms;
        this.keepClassicHistograms = keepClassicHistograms;
        this.convertClassicHistogramsToNhcb = convertClassicHistogramsToNhcb;
    }

    @Override
    public void reset(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " outside buffer of " + buf.length);
        }
        this.buf = buf;
        this.next = offset;
        this.end = offset + length;
        this.entry = null;
        this.inFamily = false;
        this.familyIndex = 0;
        this.familyName = null;
    }

    @Override
    public Entry next() throws ExpositionParseException {
        if (entry == Entry.EOF) {
            return Entry.EOF;
        }
        entry = null;
        try {
            while (true) {
                if (!inFamily) {
                    if (next >= end) {
                        return entry = Entry.EOF;
                    }
                    inFamily = loadFamily();
                    continue;
                }
                switch (step) {
                    case HELP -> {
                        step = Step.UNIT_OR_TYPE;
                        return entry = Entry.HELP;
                    }
                    case UNIT_OR_TYPE -> {
                        step = Step.TYPE;
                        if (unitEnd > unitStart) {
                            return entry = Entry.UNIT;
                        }
                    }
                    case TYPE -> {
                        step = Step.SERIES;
                        return entry = Entry.TYPE;
                    }
                    case SERIES -> {
                        if (nextSeries()) {
                            return entry = Entry.SERIES;
                        }
                        inFamily = false;
                    }
                    default -> throw new AssertionError(step);
                }
            }
        } catch (IllegalArgumentException malformed) {
            throw error(malformed.getMessage());
        }
    }

    // families

    /** Reads the next MetricFamily's fields but not its metrics; false when it has no metric (then it is skipped). */
    private boolean loadFamily() throws ExpositionParseException {
        familyIndex++;
        metricIndex = 0;
        familyName = null;
        nameStart = nameEnd = 0;
        countName = sumName = bucketName = null;
        long size = 0;
        int p = next;
        for (int shift = 0; ; shift += 7) {
            if (p >= end || p - next >= MAX_LENGTH_PREFIX) {
                throw error("invalid varint length prefix of the metric family");
            }
            byte b = buf[p++];
            size |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                break;
            }
        }
        if (size > end - p) {
            throw error("metric family of " + size + " bytes, only " + (end - p) + " left in the body");
        }
        familyStart = p;
        familyEnd = p + (int) size;
        next = familyEnd;

        nameStart = nameEnd = helpStart = helpEnd = unitStart = unitEnd = familyStart;
        type = TYPE_COUNTER;
        int metrics = 0;
        ProtoReader r = familyReader.reset(buf, familyStart, familyEnd - familyStart);
        while (r.hasRemaining()) {
            int tag = r.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case FAMILY_NAME -> {
                    expectLen(tag, "MetricFamily.name");
                    int length = r.readLength();
                    nameStart = r.position();
                    nameEnd = nameStart + length;
                    r.skipBytes(length);
                }
                case FAMILY_HELP -> {
                    expectLen(tag, "MetricFamily.help");
                    int length = r.readLength();
                    helpStart = r.position();
                    helpEnd = helpStart + length;
                    r.skipBytes(length);
                }
                case FAMILY_UNIT -> {
                    expectLen(tag, "MetricFamily.unit");
                    int length = r.readLength();
                    unitStart = r.position();
                    unitEnd = unitStart + length;
                    r.skipBytes(length);
                }
                case FAMILY_TYPE -> {
                    ProtobufMetric.expect(tag, ProtoReader.VARINT, "MetricFamily.type");
                    type = r.readVarint32();
                }
                case FAMILY_METRIC -> {
                    expectLen(tag, "MetricFamily.metric");
                    r.skipBytes(r.readLength());
                    metrics++;
                }
                default -> r.skipField(tag);
            }
        }
        if (metrics == 0) {
            return false;
        }
        if (nameStart == nameEnd || !ByteScanning.isValidUtf8(buf, nameStart, nameEnd)) {
            throw error("invalid metric name \"" + ByteScanning.token(buf, nameStart, nameEnd) + "\"");
        }
        familyName = names.get(buf, nameStart, nameEnd);
        if (!ByteScanning.isValidUtf8(buf, helpStart, helpEnd)) {
            throw error("invalid help: not valid UTF-8");
        }
        if (type < TYPE_COUNTER || type > TYPE_GAUGE_HISTOGRAM) {
            throw error("unknown metric type " + type);
        }
        familyReader.reset(buf, familyStart, familyEnd - familyStart);
        step = Step.HELP;
        return true;
    }

    private static void expectLen(int tag, String field) {
        ProtobufMetric.expect(tag, ProtoReader.LEN, field);
    }

    // metrics and their series

    /** Moves to the current metric's next series, or to the first of the next metric; false after the last. */
    private boolean nextSeries() throws ExpositionParseException {
        if (seriesIndex + 1 < seriesTotal) {
            seriesIndex++;
            prepareSeries();
            return true;
        }
        seriesTotal = 0;
        ProtoReader r = familyReader;
        while (r.hasRemaining()) {
            int tag = r.readTag();
            if (ProtoReader.fieldNumber(tag) != FAMILY_METRIC) {
                r.skipField(tag);
                continue;
            }
            int length = r.readLength();
            int start = r.position();
            r.skipBytes(length);
            metricIndex++;
            metric.decode(metricReader.reset(buf, start, length));
            planSeries();
            seriesIndex = 0;
            prepareSeries();
            return true;
        }
        return false;
    }

    /** Which series the current metric gives, by its family's type. */
    private void planSeries() throws ExpositionParseException {
        checkShape();
        nativeFirst = false;
        nhcbLast = false;
        switch (type) {
            case TYPE_COUNTER, TYPE_GAUGE, TYPE_UNTYPED -> seriesTotal = 1;
            case TYPE_SUMMARY -> seriesTotal = 2 + metric.quantileCount;
            default -> {
                if (!ignoreNativeHistograms && isNative()) {
                    checkSpansMatchBuckets();
                    nativeFirst = true;
                    seriesTotal = 1 + (keepClassicHistograms && metric.bucketCount > 0 ? 2 + classicBuckets() : 0);
                } else if (convertClassicHistogramsToNhcb) {
                    nhcbLast = true;
                    seriesTotal = (keepClassicHistograms ? 2 + classicBuckets() : 0) + 1;
                } else {
                    seriesTotal = 2 + classicBuckets();
                }
            }
        }
    }

    /** A metric must carry its family's kind of value; with none at all it reads as zeros, as in Prometheus. */
    private void checkShape() throws ExpositionParseException {
        ProtobufMetric m = metric;
        boolean own = switch (type) {
            case TYPE_COUNTER -> m.hasCounter;
            case TYPE_GAUGE -> m.hasGauge;
            case TYPE_SUMMARY -> m.hasSummary;
            case TYPE_UNTYPED -> m.hasUntyped;
            default -> m.hasHistogram;
        };
        if (!own && (m.hasCounter || m.hasGauge || m.hasSummary || m.hasUntyped || m.hasHistogram)) {
            String other = m.hasCounter ? "counter" : m.hasGauge ? "gauge" : m.hasSummary ? "summary"
                    : m.hasUntyped ? "untyped" : "histogram";
            throw error("a " + TYPE_NAMES[type] + " family's metric has a " + other + " value and no "
                    + TYPE_NAMES[type].toLowerCase().replace("gauge_histogram", "histogram") + " value");
        }
    }

    /** Prometheus' isNativeHistogram: any span, a positive zero threshold or a positive integer zero count. */
    private boolean isNative() {
        return metric.positive.spanCount > 0 || metric.negative.spanCount > 0 || metric.zeroThreshold > 0
                || metric.zeroCount != 0;
    }

    private boolean isFloatHistogram() {
        return metric.sampleCountFloat > 0 || metric.zeroCountFloat > 0;
    }

    private void checkSpansMatchBuckets() throws ExpositionParseException {
        boolean floats = isFloatHistogram();
        checkSide("positive", metric.positive, floats);
        checkSide("negative", metric.negative, floats);
    }

    private void checkSide(String side, ProtobufMetric.Side s, boolean floats) throws ExpositionParseException {
        long spanned = s.spannedBuckets();
        int have = floats ? s.countCount : s.deltaCount;
        if (spanned != have) {
            throw error("histogram \"" + familyName + "\": " + side + " side: spans require " + spanned
                    + " buckets, have " + have);
        }
    }

    /** Classic _bucket series: the buckets up to the first +Inf one, or all and a +Inf one added. */
    private int classicBuckets() {
        for (int i = 0; i < metric.bucketCount; i++) {
            if (metric.upperBounds[i] == Double.POSITIVE_INFINITY) {
                return i + 1;
            }
        }
        return metric.bucketCount + 1;
    }

    private void prepareSeries() throws ExpositionParseException {
        ProtobufMetric m = metric;
        histogram = null;
        int i = seriesIndex;
        if (type == TYPE_COUNTER || type == TYPE_GAUGE || type == TYPE_UNTYPED) {
            kind = Kind.PLAIN;
            value = type == TYPE_COUNTER ? m.counterValue : type == TYPE_GAUGE ? m.gaugeValue : m.untypedValue;
        } else if (nativeFirst && i == 0) {
            kind = Kind.NATIVE;
            value = 0;
            histogram = buildHistogram(); // here, where a histogram the model rejects is a parse error
        } else if (nhcbLast && i == seriesTotal - 1) {
            kind = Kind.NHCB;
            value = 0;
            histogram = convertToNhcb();
        } else {
            if (nativeFirst) {
                i--;
            }
            boolean summary = type == TYPE_SUMMARY;
            if (i == 0) {
                kind = Kind.COUNT;
                value = summary ? ProtobufMetric.unsigned(m.summaryCount) : histogramCount();
            } else if (i == 1) {
                kind = Kind.SUM;
                value = summary ? m.summarySum : m.sampleSum;
            } else if (summary) {
                kind = Kind.QUANTILE;
                field = i - 2;
                value = m.quantileValues[field];
            } else {
                kind = Kind.BUCKET;
                field = i - 2;
                value = field < m.bucketCount ? bucketCount(field) : histogramCount();
            }
        }
        buildKey();
    }

    /** sample_count_float when not 0, else sample_count. */
    private double histogramCount() {
        double v = metric.sampleCountFloat;
        return v != 0 ? v : ProtobufMetric.unsigned(metric.sampleCount);
    }

    private double bucketCount(int bucket) {
        double v = metric.cumulativeCountsFloat[bucket];
        return v != 0 ? v : ProtobufMetric.unsigned(metric.cumulativeCounts[bucket]);
    }

    /** Whether the current series has an le or quantile label. */
    private boolean hasMagicLabel() {
        return kind == Kind.BUCKET || kind == Kind.QUANTILE;
    }

    /** The current series' le or quantile value: a bucket's bound (+Inf for the one added), or a quantile. */
    private double magicValue() {
        if (kind == Kind.QUANTILE) {
            return metric.quantiles[field];
        }
        return field < metric.bucketCount ? metric.upperBounds[field] : Double.POSITIVE_INFINITY;
    }

    /**
     * The series key: the name with its suffix, then per label (sorted by name, le or quantile among them)
     * 0xFF name 0xFF value, as Prometheus' protobuf parser builds it; a native histogram's ends with 0xFE.
     */
    private void buildKey() throws ExpositionParseException {
        keyLength = 0;
        appendKey(buf, nameStart, nameEnd);
        switch (kind) {
            case COUNT -> appendKey(COUNT_SUFFIX, 0, COUNT_SUFFIX.length);
            case SUM -> appendKey(SUM_SUFFIX, 0, SUM_SUFFIX.length);
            case BUCKET -> appendKey(BUCKET_SUFFIX, 0, BUCKET_SUFFIX.length);
            default -> {
            }
        }
        ProtobufMetric m = metric;
        boolean magicPending = hasMagicLabel();
        byte[] magicName = kind == Kind.BUCKET ? LE : QUANTILE;
        for (int l = 0; l < m.labelCount; l++) {
            if (magicPending) {
                int cmp = Arrays.compareUnsigned(magicName, 0, magicName.length, buf, m.labelNameStart(l), m.labelNameEnd(l));
                if (cmp == 0) {
                    throw error("duplicate label name \"" + new String(magicName, StandardCharsets.US_ASCII) + "\"");
                }
                if (cmp < 0) {
                    appendMagicLabel(magicName);
                    magicPending = false;
                }
            }
            appendKey(SEPARATOR);
            appendKey(buf, m.labelNameStart(l), m.labelNameEnd(l));
            appendKey(SEPARATOR);
            appendKey(buf, m.labelValueStart(l), m.labelValueEnd(l));
        }
        if (magicPending) {
            appendMagicLabel(magicName);
        }
        if (kind == Kind.NATIVE || kind == Kind.NHCB) {
            appendKey(NATIVE_MARK);
        }
    }

    private void appendMagicLabel(byte[] magicName) {
        byte[] v = floatLabels.bytes(magicValue());
        appendKey(SEPARATOR);
        appendKey(magicName, 0, magicName.length);
        appendKey(SEPARATOR);
        appendKey(v, 0, v.length);
    }

    private void appendKey(byte b) {
        if (keyLength == key.length) {
            key = Arrays.copyOf(key, key.length * 2);
        }
        key[keyLength++] = b;
    }

    private void appendKey(byte[] src, int from, int to) {
        int n = to - from;
        if (keyLength + n > key.length) {
            key = Arrays.copyOf(key, Math.max(key.length * 2, keyLength + n));
        }
        System.arraycopy(src, from, key, keyLength, n);
        keyLength += n;
    }

    // errors

    private ExpositionParseException error(String reason) {
        entry = null;
        inFamily = false;
        next = end;
        String where = familyName != null ? "family \"" + familyName + "\""
                : nameEnd > nameStart ? "family \"" + ByteScanning.token(buf, nameStart, nameEnd) + "\""
                : "family #" + familyIndex;
        if (metricIndex > 0) {
            where += ", metric " + metricIndex;
        }
        return new ExpositionParseException(familyIndex, reason, where);
    }

    // accessors

    private void require(Entry expected) {
        if (entry != expected) {
            throw new IllegalStateException("valid after " + expected + ", current entry is " + entry);
        }
    }

    @Override
    public byte[] seriesBuffer() {
        require(Entry.SERIES);
        return key;
    }

    @Override
    public int seriesOffset() {
        require(Entry.SERIES);
        return 0;
    }

    @Override
    public int seriesLength() {
        require(Entry.SERIES);
        return keyLength;
    }

    @Override
    public void labels(Labels.Builder into) {
        require(Entry.SERIES);
        into.set(SeriesSpans.METRIC_NAME_LABEL, seriesName());
        ProtobufMetric m = metric;
        for (int l = 0; l < m.labelCount; l++) {
            into.set(names.get(buf, m.labelNameStart(l), m.labelNameEnd(l)),
                    values.get(buf, m.labelValueStart(l), m.labelValueEnd(l)));
        }
        if (kind == Kind.BUCKET) {
            into.set("le", floatLabels.string(magicValue()));
        } else if (kind == Kind.QUANTILE) {
            into.set("quantile", floatLabels.string(magicValue()));
        }
    }

    private String seriesName() {
        return switch (kind) {
            case COUNT -> countName != null ? countName : (countName = familyName + "_count");
            case SUM -> sumName != null ? sumName : (sumName = familyName + "_sum");
            case BUCKET -> bucketName != null ? bucketName : (bucketName = familyName + "_bucket");
            default -> familyName;
        };
    }

    @Override
    public double value() {
        require(Entry.SERIES);
        return value;
    }

    @Override
    public NativeHistogram histogram() {
        require(Entry.SERIES);
        return histogram;
    }

    private NativeHistogram buildHistogram() {
        ProtobufMetric m = metric;
        boolean floats = isFloatHistogram();
        compact(m.negative, floats);
        int[] negativeSpans = compaction.spans();
        double[] negativeCounts = compaction.counts();
        compact(m.positive, floats);
        int[] positiveSpans = compaction.spans();
        double[] positiveCounts = compaction.counts();
        ResetHint hint = type == TYPE_GAUGE_HISTOGRAM ? ResetHint.GAUGE : ResetHint.UNKNOWN;
        double count = floats ? m.sampleCountFloat : ProtobufMetric.unsigned(m.sampleCount);
        double zeroCount = floats ? m.zeroCountFloat : ProtobufMetric.unsigned(m.zeroCount);
        return new NativeHistogram(floats, hint, m.schema, m.zeroThreshold, zeroCount, count, m.sampleSum,
                negativeSpans, negativeCounts, positiveSpans, positiveCounts, null);
    }

    /**
     * The classic histogram as a native histogram with custom buckets, from all its buckets (also any after a
     * {@code +Inf} one), as Prometheus' protobuf parser converts it; one that cannot be converted fails the parse
     * (Prometheus' parser refuses what its converter refuses; one with a negative bucket, which the converter lets
     * through, Prometheus' appender refuses, failing the scrape).
     */
    private NativeHistogram convertToNhcb() throws ExpositionParseException {
        ProtobufMetric m = metric;
        ClassicHistogramConverter c = nhcbConverter;
        c.reset();
        c.count(histogramCount());
        c.sum(m.sampleSum);
        for (int b = 0; b < m.bucketCount; b++) {
            c.bucket(m.upperBounds[b], bucketCount(b));
        }
        NativeHistogram h = c.convert(type == TYPE_GAUGE_HISTOGRAM ? ResetHint.GAUGE : ResetHint.UNKNOWN);
        if (h == null) {
            throw error("histogram \"" + familyName + "\": " + c.error());
        }
        return h;
    }

    /** Compacts one side into {@link #compaction}, integer deltas made absolute first. */
    private void compact(ProtobufMetric.Side side, boolean floats) {
        double[] absolute = side.counts;
        if (!floats) {
            if (absoluteCounts.length < side.deltaCount) {
                absoluteCounts = new double[Math.max(side.deltaCount, absoluteCounts.length * 2)];
            }
            absolute = absoluteCounts;
            long running = 0;
            for (int i = 0; i < side.deltaCount; i++) {
                running += side.deltas[i];
                absolute[i] = running;
            }
        }
        compaction.compact(side.spans, side.spanCount, absolute);
    }

    /**
     * The exemplars Prometheus takes with this series: a counter's exemplar; a classic bucket's exemplar; for a
     * native histogram (also one converted from classic buckets), those of its {@code exemplars} field that have a
     * timestamp or, when that field is empty, the classic buckets' exemplars that have one.
     */
    @Override
    public List<Exemplar> exemplars() {
        require(Entry.SERIES);
        ProtobufMetric m = metric;
        switch (kind) {
            case PLAIN -> {
                if (type == TYPE_COUNTER && m.hasCounterExemplar()) {
                    return List.of(readExemplar(m.counterExemplarStart, m.counterExemplarEnd));
                }
            }
            case BUCKET -> {
                if (field < m.bucketCount && m.hasBucketExemplar(field)) {
                    return List.of(readExemplar(m.bucketExemplarStart(field), m.bucketExemplarEnd(field)));
                }
            }
            case NATIVE, NHCB -> {
                List<Exemplar> out = new ArrayList<>(0);
                if (m.exemplarCount > 0) {
                    for (int i = 0; i < m.exemplarCount; i++) {
                        if (m.exemplarHasTimestamp(i)) {
                            out.add(readExemplar(m.exemplarStart(i), m.exemplarEnd(i)));
                        }
                    }
                } else {
                    for (int b = 0; b < m.bucketCount; b++) {
                        if (m.hasBucketExemplar(b) && m.bucketExemplarHasTimestamp(b)) {
                            out.add(readExemplar(m.bucketExemplarStart(b), m.bucketExemplarEnd(b)));
                        }
                    }
                }
                return out.isEmpty() ? List.of() : out;
            }
            default -> {
            }
        }
        return List.of();
    }

    /** An Exemplar message already checked by {@link ProtobufMetric}. */
    private Exemplar readExemplar(int start, int end) {
        ProtoReader r = metricReader.reset(buf, start, end - start);
        Labels.Builder labels = exemplarLabels.reset();
        double v = 0;
        long ts = Exemplar.NO_TIMESTAMP;
        while (r.hasRemaining()) {
            int tag = r.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case 1 -> {
                    int outer = r.enter();
                    String name = "";
                    String val = "";
                    while (r.hasRemaining()) {
                        int t = r.readTag();
                        int f = ProtoReader.fieldNumber(t);
                        if (f == 1 || f == 2) {
                            int len = r.readLength();
                            String s = (f == 1 ? names : values).get(buf, r.position(), r.position() + len);
                            r.skipBytes(len);
                            if (f == 1) {
                                name = s;
                            } else {
                                val = s;
                            }
                        } else {
                            r.skipField(t);
                        }
                    }
                    r.exit(outer);
                    labels.set(name, val);
                }
                case 2 -> v = r.readDouble();
                case 3 -> ts = ProtobufMetric.timestampMs(r);
                default -> r.skipField(tag);
            }
        }
        return new Exemplar(labels.build(), v, ts);
    }

    @Override
    public long createdTimestampMs() {
        require(Entry.SERIES);
        return switch (type) {
            case TYPE_COUNTER -> metric.counterStartMs;
            case TYPE_SUMMARY -> metric.summaryStartMs;
            case TYPE_HISTOGRAM, TYPE_GAUGE_HISTOGRAM -> metric.histogramStartMs;
            default -> 0;
        };
    }

    /** Prometheus reads a timestamp_ms of 0 as none (proto3 cannot tell unset from 0). */
    @Override
    public boolean hasTimestamp() {
        require(Entry.SERIES);
        return metric.timestampMs != 0;
    }

    @Override
    public long timestampMs() {
        require(Entry.SERIES);
        return metric.timestampMs;
    }

    @Override
    public String metricFamily() {
        if (entry != Entry.TYPE && entry != Entry.HELP && entry != Entry.UNIT) {
            throw new IllegalStateException("valid after TYPE, HELP or UNIT, current entry is " + entry);
        }
        return familyName;
    }

    @Override
    public MetricType type() {
        require(Entry.TYPE);
        return switch (type) {
            case TYPE_COUNTER -> MetricType.COUNTER;
            case TYPE_GAUGE -> MetricType.GAUGE;
            case TYPE_SUMMARY -> MetricType.SUMMARY;
            case TYPE_HISTOGRAM -> MetricType.HISTOGRAM;
            case TYPE_GAUGE_HISTOGRAM -> MetricType.GAUGEHISTOGRAM;
            default -> MetricType.UNKNOWN;
        };
    }

    @Override
    public String help() {
        require(Entry.HELP);
        return ByteScanning.decode(buf, helpStart, helpEnd);
    }

    @Override
    public String unit() {
        require(Entry.UNIT);
        return ByteScanning.decode(buf, unitStart, unitEnd);
    }

    @Override
    public int lineNumber() {
        return familyIndex;
    }
}
