package io.caravan.testing;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.MetricMetadata;
import io.caravan.model.NativeHistogram;
import io.caravan.model.Sample;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a snappy-compressed remote_write 1.0 WriteRequest the way a receiver does, independently of
 * the encoder under test: float samples, native histograms (bucket deltas of an integer histogram summed back to
 * counts) and exemplars, which come back attached to the series' one sample (a TimeSeries with exemplars and not
 * exactly one sample or histogram is refused here: the sender under test never writes one). Also checks what the
 * spec requires of a sender: labels sorted by name, no duplicate or empty label, a __name__ on every series.
 */
public final class RemoteWriteDecoder {

    private RemoteWriteDecoder() {
    }

    public static List<Sample> decode(byte[] snappyBody) throws IOException {
        byte[] raw = Snappy.uncompress(snappyBody);
        List<Sample> out = new ArrayList<>();
        Reader r = new Reader(raw, 0, raw.length);
        while (r.more()) {
            int tag = (int) r.varint();
            if (tag >>> 3 == 1 && (tag & 7) == 2) {
                Reader ts = r.sub();
                List<String> names = new ArrayList<>();
                List<String> values = new ArrayList<>();
                List<double[]> samples = new ArrayList<>();
                List<Long> times = new ArrayList<>();
                List<Exemplar> exemplars = new ArrayList<>();
                List<NativeHistogram> histograms = new ArrayList<>();
                List<Long> histogramTimes = new ArrayList<>();
                while (ts.more()) {
                    int t = (int) ts.varint();
                    Reader m = ts.sub();
                    if (t >>> 3 == 1) {
                        String name = "";
                        String value = "";
                        while (m.more()) {
                            int lt = (int) m.varint();
                            String s = m.string();
                            if (lt >>> 3 == 1) {
                                name = s;
                            } else {
                                value = s;
                            }
                        }
                        names.add(name);
                        values.add(value);
                    } else if (t >>> 3 == 2) {
                        double v = 0;
                        long time = 0;
                        while (m.more()) {
                            int st = (int) m.varint();
                            if (st >>> 3 == 1) {
                                v = Double.longBitsToDouble(m.fixed64());
                            } else if (st >>> 3 == 2) {
                                time = m.varint();
                            } else {
                                throw new IOException("a 1.0 Sample has no field " + (st >>> 3));
                            }
                        }
                        samples.add(new double[]{v});
                        times.add(time);
                    } else if (t >>> 3 == 3) {
                        exemplars.add(exemplar(m));
                    } else if (t >>> 3 == 4) {
                        long[] time = new long[1];
                        histograms.add(histogram(m, time));
                        histogramTimes.add(time[0]);
                    }
                }
                for (int i = 1; i < names.size(); i++) {
                    if (names.get(i - 1).compareTo(names.get(i)) >= 0) {
                        throw new IOException("labels not sorted or repeated: " + names);
                    }
                }
                if (!names.contains("__name__") || values.contains("")) {
                    throw new IOException("series without __name__ or with an empty label value: " + names + values);
                }
                Labels.Builder b = Labels.builder();
                for (int i = 0; i < names.size(); i++) {
                    b.set(names.get(i), values.get(i));
                }
                Labels labels = b.build();
                if (!exemplars.isEmpty() && samples.size() + histograms.size() != 1) {
                    throw new IOException("exemplars with " + samples.size() + " samples and " + histograms.size() + " histograms");
                }
                for (int i = 0; i < samples.size(); i++) {
                    out.add(new Sample(labels, times.get(i), samples.get(i)[0], null, List.copyOf(exemplars), 0));
                }
                for (int i = 0; i < histograms.size(); i++) {
                    out.add(new Sample(labels, histogramTimes.get(i), 0, histograms.get(i), List.copyOf(exemplars), 0));
                }
            } else {
                r.skip(tag & 7);
            }
        }
        return out;
    }

    /** The MetricMetadata entries of a WriteRequest (field 3: type = 1, metric_family_name = 2, help = 4, unit = 5). */
    public static List<MetricMetadata> metadata(byte[] snappyBody) throws IOException {
        byte[] raw = Snappy.uncompress(snappyBody);
        List<MetricMetadata> out = new ArrayList<>();
        Reader r = new Reader(raw, 0, raw.length);
        while (r.more()) {
            int tag = (int) r.varint();
            if (tag >>> 3 == 3 && (tag & 7) == 2) {
                Reader m = r.sub();
                MetricMetadata.Type type = MetricMetadata.Type.UNKNOWN;
                String family = "";
                String help = "";
                String unit = "";
                while (m.more()) {
                    int t = (int) m.varint();
                    switch (t >>> 3) {
                        case 1 -> type = MetricMetadata.Type.values()[(int) m.varint()];
                        case 2 -> family = m.string();
                        case 4 -> help = m.string();
                        case 5 -> unit = m.string();
                        default -> m.skip(t & 7);
                    }
                }
                out.add(new MetricMetadata(family, type, help, unit));
            } else {
                r.skip(tag & 7);
            }
        }
        return out;
    }

    static Exemplar exemplar(Reader m) {
        Labels.Builder labels = Labels.builder();
        double value = 0;
        long time = 0;
        while (m.more()) {
            int t = (int) m.varint();
            switch (t >>> 3) {
                case 1 -> {
                    Reader l = m.sub();
                    String name = "";
                    String v = "";
                    while (l.more()) {
                        int lt = (int) l.varint();
                        if (lt >>> 3 == 1) {
                            name = l.string();
                        } else {
                            v = l.string();
                        }
                    }
                    labels.set(name, v);
                }
                case 2 -> value = Double.longBitsToDouble(m.fixed64());
                case 3 -> time = m.varint();
                default -> m.skip(t & 7);
            }
        }
        return new Exemplar(labels.build(), value, time);
    }

    static NativeHistogram histogram(Reader m, long[] time) throws IOException {
        Boolean floatCounts = null;
        double count = 0;
        double sum = 0;
        int schema = 0;
        double zeroThreshold = 0;
        double zeroCount = 0;
        List<Integer> negativeSpans = new ArrayList<>();
        List<Integer> positiveSpans = new ArrayList<>();
        List<Double> negative = new ArrayList<>();
        List<Double> positive = new ArrayList<>();
        List<Double> custom = new ArrayList<>();
        NativeHistogram.ResetHint hint = NativeHistogram.ResetHint.UNKNOWN;
        while (m.more()) {
            int t = (int) m.varint();
            int field = t >>> 3;
            switch (field) {
                case 1 -> {
                    floatCounts = false;
                    count = m.varint();
                }
                case 2 -> {
                    floatCounts = true;
                    count = Double.longBitsToDouble(m.fixed64());
                }
                case 3 -> sum = Double.longBitsToDouble(m.fixed64());
                case 4 -> schema = (int) unzigzag(m.varint());
                case 5 -> zeroThreshold = Double.longBitsToDouble(m.fixed64());
                case 6 -> zeroCount = m.varint();
                case 7 -> zeroCount = Double.longBitsToDouble(m.fixed64());
                case 8, 11 -> {
                    Reader span = m.sub();
                    int offset = 0;
                    int length = 0;
                    while (span.more()) {
                        int st = (int) span.varint();
                        if (st >>> 3 == 1) {
                            offset = (int) unzigzag(span.varint());
                        } else {
                            length = (int) span.varint();
                        }
                    }
                    List<Integer> spans = field == 8 ? negativeSpans : positiveSpans;
                    spans.add(offset);
                    spans.add(length);
                }
                case 9, 12 -> {
                    Reader packed = m.sub();
                    long c = 0;
                    while (packed.more()) {
                        c += unzigzag(packed.varint());
                        (field == 9 ? negative : positive).add((double) c);
                    }
                }
                case 10, 13, 16 -> {
                    Reader packed = m.sub();
                    while (packed.more()) {
                        (field == 10 ? negative : field == 13 ? positive : custom).add(Double.longBitsToDouble(packed.fixed64()));
                    }
                }
                case 14 -> hint = NativeHistogram.ResetHint.values()[(int) m.varint()];
                case 15 -> time[0] = m.varint();
                case 17 -> {
                    if (time.length < 2) {
                        throw new IOException("a 1.0 Histogram has no field 17 (2.0's start_timestamp)");
                    }
                    time[1] = m.varint();
                }
                default -> m.skip(t & 7);
            }
        }
        if (floatCounts == null) {
            throw new IOException("a histogram without its count oneof");
        }
        return new NativeHistogram(floatCounts, hint, schema, zeroThreshold, zeroCount, count, sum, ints(negativeSpans),
                doubles(negative), ints(positiveSpans), doubles(positive), doubles(custom));
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static int[] ints(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double[] doubles(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static final class Reader {
        final byte[] b;
        int pos;
        final int end;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long v = 0;
            int shift = 0;
            while (true) {
                byte x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
                shift += 7;
            }
        }

        long fixed64() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v |= (long) (b[pos++] & 0xFF) << (8 * i);
            }
            return v;
        }

        Reader sub() {
            int len = (int) varint();
            Reader r = new Reader(b, pos, pos + len);
            pos += len;
            return r;
        }

        String string() {
            int len = (int) varint();
            String s = new String(b, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    int len = (int) varint(); // read first: `pos += varint()` would add to the pos from before the length
                    pos += len;
                }
                case 5 -> pos += 4;
                default -> throw new IllegalStateException("wire type " + wire);
            }
        }
    }
}
