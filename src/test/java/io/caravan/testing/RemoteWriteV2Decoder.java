package io.caravan.testing;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.MetricMetadata;
import io.caravan.model.NativeHistogram;
import io.caravan.model.Sample;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a snappy-compressed remote_write 2.0 {@code io.prometheus.write.v2.Request} as a receiver does, from the
 * spec's proto (prompb/io/prometheus/write/v2/types.proto), independently of the encoder under test, and checks what
 * the spec requires of a sender: the first symbol empty, label references in pairs and in range, labels sorted, a
 * {@code __name__} on every series, a series with samples or histograms but not both.
 */
public final class RemoteWriteV2Decoder {

    /** The request's samples (exemplars attached to their series' one sample), and each series' metadata. */
    public record Request(List<String> symbols, List<Sample> samples, Map<Labels, MetricMetadata> metadata) {
    }

    private RemoteWriteV2Decoder() {
    }

    public static Request decode(byte[] snappyBody) throws IOException {
        byte[] raw = Snappy.uncompress(snappyBody);
        List<String> symbols = new ArrayList<>();
        List<RemoteWriteDecoder.Reader> series = new ArrayList<>();
        RemoteWriteDecoder.Reader r = new RemoteWriteDecoder.Reader(raw, 0, raw.length);
        while (r.more()) {
            int tag = (int) r.varint();
            if (tag >>> 3 == 4) {
                symbols.add(r.string());
            } else if (tag >>> 3 == 5) {
                series.add(r.sub()); // read once the symbols are all known: the spec lets them come in any order
            } else {
                r.skip(tag & 7);
            }
        }
        if (symbols.isEmpty() || !symbols.get(0).isEmpty()) {
            throw new IOException("the first symbol must be the empty string: " + symbols);
        }
        List<Sample> samples = new ArrayList<>();
        Map<Labels, MetricMetadata> metadata = new LinkedHashMap<>();
        for (RemoteWriteDecoder.Reader ts : series) {
            Labels labels = Labels.EMPTY;
            List<double[]> floats = new ArrayList<>();
            List<NativeHistogram> histograms = new ArrayList<>();
            List<Long> histogramTimes = new ArrayList<>();
            List<Long> histogramStarts = new ArrayList<>();
            List<Exemplar> exemplars = new ArrayList<>();
            MetricMetadata md = null;
            while (ts.more()) {
                int t = (int) ts.varint();
                RemoteWriteDecoder.Reader m = ts.sub();
                switch (t >>> 3) {
                    case 1 -> labels = labels(m, symbols, true);
                    case 2 -> {
                        double v = 0;
                        long time = 0;
                        long start = 0;
                        while (m.more()) {
                            int st = (int) m.varint();
                            switch (st >>> 3) {
                                case 1 -> v = Double.longBitsToDouble(m.fixed64());
                                case 2 -> time = m.varint();
                                case 3 -> start = m.varint();
                                default -> m.skip(st & 7);
                            }
                        }
                        floats.add(new double[]{v, time, start});
                    }
                    case 3 -> {
                        long[] time = new long[2];
                        histograms.add(RemoteWriteDecoder.histogram(m, time));
                        histogramTimes.add(time[0]);
                        histogramStarts.add(time[1]);
                    }
                    case 4 -> {
                        Labels exemplarLabels = Labels.EMPTY;
                        double value = 0;
                        long time = 0;
                        while (m.more()) {
                            int et = (int) m.varint();
                            switch (et >>> 3) {
                                case 1 -> exemplarLabels = labels(m.sub(), symbols, false);
                                case 2 -> value = Double.longBitsToDouble(m.fixed64());
                                case 3 -> time = m.varint();
                                default -> m.skip(et & 7);
                            }
                        }
                        exemplars.add(new Exemplar(exemplarLabels, value, time));
                    }
                    case 5 -> md = metadata(m, symbols);
                    default -> {
                    }
                }
            }
            if (labels.get("__name__") == null) {
                throw new IOException("a series without __name__: " + labels);
            }
            if (floats.isEmpty() == histograms.isEmpty()) {
                throw new IOException("a series needs samples or histograms, not both or neither: " + labels);
            }
            for (double[] f : floats) {
                samples.add(new Sample(labels, (long) f[1], f[0], null, List.copyOf(exemplars), (long) f[2]));
            }
            for (int i = 0; i < histograms.size(); i++) {
                samples.add(new Sample(labels, histogramTimes.get(i), 0, histograms.get(i), List.copyOf(exemplars), histogramStarts.get(i)));
            }
            if (md != null) {
                metadata.put(labels, md);
            }
        }
        return new Request(symbols, samples, metadata);
    }

    /** Packed label references, name and value in turn. */
    private static Labels labels(RemoteWriteDecoder.Reader m, List<String> symbols, boolean sorted) throws IOException {
        List<Integer> refs = new ArrayList<>();
        while (m.more()) {
            long ref = m.varint();
            if (ref < 0 || ref >= symbols.size()) {
                throw new IOException("label reference " + ref + " outside the " + symbols.size() + " symbols");
            }
            refs.add((int) ref);
        }
        if (refs.size() % 2 != 0) {
            throw new IOException("an odd number of label references");
        }
        Labels.Builder b = Labels.builder();
        String previous = null;
        for (int i = 0; i < refs.size(); i += 2) {
            String name = symbols.get(refs.get(i));
            if (sorted && previous != null && previous.compareTo(name) >= 0) {
                throw new IOException("labels not sorted or repeated at " + name);
            }
            previous = name;
            b.set(name, symbols.get(refs.get(i + 1)));
        }
        return b.build();
    }

    private static MetricMetadata metadata(RemoteWriteDecoder.Reader m, List<String> symbols) {
        MetricMetadata.Type type = MetricMetadata.Type.UNKNOWN;
        String help = "";
        String unit = "";
        while (m.more()) {
            int t = (int) m.varint();
            switch (t >>> 3) {
                case 1 -> type = MetricMetadata.Type.values()[(int) m.varint()];
                case 3 -> help = symbols.get((int) m.varint());
                case 4 -> unit = symbols.get((int) m.varint());
                default -> m.skip(t & 7);
            }
        }
        return new MetricMetadata("", type, help, unit);
    }
}
