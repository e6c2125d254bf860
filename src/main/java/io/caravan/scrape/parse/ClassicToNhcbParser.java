package io.caravan.scrape.parse;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.NativeHistogram;
import io.caravan.model.NativeHistogram.ResetHint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prometheus' {@code convert_classic_histograms_to_nhcb} for the text formats, as its NHCBParser: wraps a parser
 * and turns each classic histogram series group into one native histogram with custom buckets (NHCB).
 *
 * <p>A group is the contiguous {@code <family>_bucket}, {@code _count} and {@code _sum} series of a family whose
 * last TYPE was {@code histogram} (gauge histograms are left alone), with the same labels but {@code le}; a
 * {@code _bucket} without an {@code le} that reads as a number other than NaN is no part of it. The group is
 * collected as it goes by; the first entry that does not belong to it (another series, any other entry, the end)
 * comes right after the NHCB, which is labelled by the family name and the group's labels, carries the exemplars of
 * all the group's series and the created timestamp read at its first series. A group that cannot be converted
 * ({@link ClassicHistogramConverter}) gives no NHCB. The classic series themselves are passed on only with
 * {@code keepClassicHistograms} (Prometheus' {@code always_scrape_classic_histograms}). Classic series with the
 * labels of the native histogram just before them are passed on unconverted, as they are that histogram's.
 *
 * <p>Where Prometheus' code differs: the NHCB gets the timestamp of its group's last series (Prometheus gives it the
 * one of whatever series ended the group), and a native histogram arriving mid-group ends the group as any other
 * series does (Prometheus drops what was collected). The text formats have no native histograms, so the latter is
 * only for the interface's sake.
 */
final class ClassicToNhcbParser implements ExpositionParser {

    private static final String NAME = "__name__";
    private static final String LE = "le";
    /** Separates the parts of the NHCB's series key; no UTF-8 string holds it. */
    private static final byte SEPARATOR = (byte) 0xFF;
    /** Ends the NHCB's series key, so that no key taken from a text body (ending in a name or '}') can equal it. */
    private static final byte NHCB_MARK = (byte) 0xFE;

    private enum State { START, COLLECTING, EMITTING, INHIBITING }

    private enum Suffix {
        BUCKET("_bucket"), SUM("_sum"), COUNT("_count"), NONE("");

        final String text;

        Suffix(String text) {
            this.text = text;
        }

        private static final Suffix[] ALL = values();

        static Suffix of(String name) {
            for (Suffix s : ALL) {
                if (name.endsWith(s.text)) {
                    return s;
                }
            }
            return NONE;
        }
    }

    private final ExpositionParser inner;
    private final boolean keepClassicHistograms;
    private final ClassicHistogramConverter converter = new ClassicHistogramConverter();
    private final Labels.Builder scratch = new Labels.Builder();
    private final List<Exemplar> groupExemplars = new ArrayList<>();

    private State state = State.START;
    /** The inner parser's current entry: after an NHCB it caused, it is returned next. */
    private Entry pending;
    private MetricType familyType = MetricType.UNKNOWN;
    private String familyName = "";

    // the inner parser's current series: its name, its labels in scratch (read only where they matter)
    private String seriesName;
    private boolean seriesNative;

    // the group being collected, or the native histogram inhibiting conversion
    private String groupName;
    private Labels groupLabels; // __name__ is not compared
    private long groupCreated;
    private boolean groupHasTimestamp;
    private long groupTimestamp;

    // the NHCB returned last
    private NativeHistogram nhcb;
    private Labels nhcbLabels;
    private List<Exemplar> nhcbExemplars;
    private long nhcbCreated;
    private boolean nhcbHasTimestamp;
    private long nhcbTimestamp;
    private byte[] key = new byte[128];
    private int keyLength;

    /**
     * @param inner                 a text format parser
     * @param keepClassicHistograms also pass on the classic series that were converted
     */
    ClassicToNhcbParser(ExpositionParser inner, boolean keepClassicHistograms) {
        this.inner = inner;
        this.keepClassicHistograms = keepClassicHistograms;
    }

    @Override
    public void reset(byte[] buf, int offset, int length) {
        inner.reset(buf, offset, length);
        state = State.START;
        pending = null;
        familyType = MetricType.UNKNOWN;
        familyName = "";
        converter.reset();
        groupExemplars.clear();
        groupName = null;
        groupLabels = null;
    }

    @Override
    public Entry next() throws ExpositionParseException {
        while (true) {
            if (state == State.EMITTING) {
                state = State.START;
                if (pending == Entry.SERIES && take() && !keepClassicHistograms) {
                    continue;
                }
                return pending;
            }
            pending = inner.next();
            if (pending == Entry.SERIES) {
                readSeries();
                if (state == State.COLLECTING && (seriesNative || differentMetric()) && emitGroup()) {
                    return Entry.SERIES;
                }
                if (take() && !keepClassicHistograms) {
                    continue;
                }
                return Entry.SERIES;
            }
            if (pending == Entry.TYPE) {
                familyType = inner.type();
                familyName = inner.metricFamily();
            }
            return emitGroup() ? Entry.SERIES : pending;
        }
    }

    /** The labels of the inner parser's series, where a histogram family or a native histogram needs them. */
    private void readSeries() {
        seriesNative = inner.histogram() != null;
        seriesName = "";
        if (seriesNative || familyType == MetricType.HISTOGRAM) {
            scratch.reset();
            inner.labels(scratch);
            String name = scratch.get(NAME);
            seriesName = name == null ? "" : name;
        }
    }

    /** Whether the current series is outside the group (or the inhibiting native histogram's series). */
    private boolean differentMetric() {
        if (familyType != MetricType.HISTOGRAM) {
            return true;
        }
        int baseLength = seriesName.length() - Suffix.of(seriesName).text.length();
        if (groupName.length() != baseLength || !seriesName.startsWith(groupName)) {
            return true;
        }
        int compared = 0;
        for (int i = 0; i < scratch.size(); i++) {
            String name = scratch.name(i);
            if (name.equals(NAME) || name.equals(LE)) {
                continue;
            }
            if (!scratch.value(i).equals(groupLabels.get(name))) {
                return true;
            }
            compared++;
        }
        return compared != groupLabels.size() - (groupLabels.has(NAME) ? 1 : 0);
    }

    /**
     * The current series once the NHCB it may have ended is out: a native histogram inhibits conversion of the
     * classic series with its labels that follow; else the series joins a group if it can. True when it did.
     */
    private boolean take() {
        if (seriesNative) {
            state = State.INHIBITING;
            groupName = seriesName;
            groupLabels = scratch.build();
            return false;
        }
        if (state == State.INHIBITING) {
            if (!differentMetric()) {
                return false;
            }
            state = State.START;
        }
        return join();
    }

    /** Prometheus' handleClassicHistogramSeries: the series goes into the group when it is a classic histogram's. */
    private boolean join() {
        if (familyType != MetricType.HISTOGRAM) {
            return false;
        }
        Suffix suffix = Suffix.of(seriesName);
        int baseLength = seriesName.length() - suffix.text.length();
        if (familyName.length() != baseLength || !seriesName.startsWith(familyName)) {
            return false; // not of the family TYPE named
        }
        double value = inner.value();
        switch (suffix) {
            case BUCKET -> {
                double bound;
                try {
                    String le = scratch.get(LE);
                    bound = le == null ? Double.NaN : ExpositionFloats.parse(le);
                } catch (NumberFormatException notAFloat) {
                    return false;
                }
                if (Double.isNaN(bound)) {
                    return false;
                }
                startOrContinueGroup();
                converter.bucket(bound, value);
            }
            case COUNT -> {
                startOrContinueGroup();
                converter.count(value);
            }
            case SUM -> {
                startOrContinueGroup();
                converter.sum(value);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void startOrContinueGroup() {
        if (state != State.COLLECTING) {
            state = State.COLLECTING;
            groupName = familyName;
            groupCreated = inner.createdTimestampMs();
            groupExemplars.clear();
            scratch.del(LE);
            scratch.set(NAME, familyName);
            groupLabels = scratch.build();
        }
        groupExemplars.addAll(inner.exemplars());
        groupHasTimestamp = inner.hasTimestamp();
        groupTimestamp = groupHasTimestamp ? inner.timestampMs() : 0;
    }

    /** Ends the group being collected: true when it made an NHCB, which is then the current entry. */
    private boolean emitGroup() {
        if (state != State.COLLECTING) {
            return false;
        }
        NativeHistogram h = converter.convert(ResetHint.UNKNOWN);
        converter.reset();
        if (h == null) {
            state = State.START;
            return false;
        }
        nhcb = h;
        nhcbLabels = groupLabels;
        nhcbExemplars = groupExemplars.isEmpty() ? List.of() : List.copyOf(groupExemplars);
        nhcbCreated = groupCreated;
        nhcbHasTimestamp = groupHasTimestamp;
        nhcbTimestamp = groupTimestamp;
        buildKey();
        state = State.EMITTING;
        return true;
    }

    /** The name, then 0xFF name 0xFF value per label, then the mark: unique to this NHCB within the body. */
    private void buildKey() {
        keyLength = 0;
        appendKey(nhcbLabels.get(NAME));
        for (int i = 0; i < nhcbLabels.size(); i++) {
            if (nhcbLabels.name(i).equals(NAME)) {
                continue;
            }
            appendKey(SEPARATOR);
            appendKey(nhcbLabels.name(i));
            appendKey(SEPARATOR);
            appendKey(nhcbLabels.value(i));
        }
        appendKey(NHCB_MARK);
    }

    private void appendKey(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (keyLength + b.length > key.length) {
            key = Arrays.copyOf(key, Math.max(key.length * 2, keyLength + b.length));
        }
        System.arraycopy(b, 0, key, keyLength, b.length);
        keyLength += b.length;
    }

    private void appendKey(byte b) {
        if (keyLength == key.length) {
            key = Arrays.copyOf(key, key.length * 2);
        }
        key[keyLength++] = b;
    }

    // accessors: the NHCB's while it is the current entry, else the inner parser's

    private boolean emitting() {
        return state == State.EMITTING;
    }

    @Override
    public byte[] seriesBuffer() {
        return emitting() ? key : inner.seriesBuffer();
    }

    @Override
    public int seriesOffset() {
        return emitting() ? 0 : inner.seriesOffset();
    }

    @Override
    public int seriesLength() {
        return emitting() ? keyLength : inner.seriesLength();
    }

    @Override
    public void labels(Labels.Builder into) {
        if (!emitting()) {
            inner.labels(into);
            return;
        }
        for (int i = 0; i < nhcbLabels.size(); i++) {
            into.set(nhcbLabels.name(i), nhcbLabels.value(i));
        }
    }

    @Override
    public double value() {
        return emitting() ? 0 : inner.value();
    }

    @Override
    public NativeHistogram histogram() {
        return emitting() ? nhcb : inner.histogram();
    }

    @Override
    public List<Exemplar> exemplars() {
        return emitting() ? nhcbExemplars : inner.exemplars();
    }

    /** The group's, for the NHCB and, as in Prometheus, for every series passed on while a group is collected. */
    @Override
    public long createdTimestampMs() {
        return switch (state) {
            case EMITTING -> nhcbCreated;
            case COLLECTING -> groupCreated;
            default -> inner.createdTimestampMs();
        };
    }

    @Override
    public boolean hasTimestamp() {
        return emitting() ? nhcbHasTimestamp : inner.hasTimestamp();
    }

    @Override
    public long timestampMs() {
        return emitting() ? nhcbTimestamp : inner.timestampMs();
    }

    @Override
    public String metricFamily() {
        notEmitting();
        return inner.metricFamily();
    }

    @Override
    public MetricType type() {
        notEmitting();
        return inner.type();
    }

    @Override
    public String help() {
        notEmitting();
        return inner.help();
    }

    @Override
    public String unit() {
        notEmitting();
        return inner.unit();
    }

    private void notEmitting() {
        if (emitting()) {
            throw new IllegalStateException("valid after TYPE, HELP or UNIT, current entry is SERIES");
        }
    }

    @Override
    public int lineNumber() {
        return inner.lineNumber();
    }
}
