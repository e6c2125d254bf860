package io.caravan.remotewrite;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.NativeHistogram;
import io.caravan.model.NativeHistogram.ResetHint;
import io.caravan.model.Sample;
import io.caravan.testing.RemoteWriteDecoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xerial.snappy.Snappy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the remote_write 1.0 encoder writes, read back by the test suite's own decoder: floats, exemplars and native
 * histograms of every shape, one table, through both ways a request is made (a batch, and the write-ahead log's one
 * TimeSeries per sample). The decoder sums integer bucket deltas back into counts, so a wrong delta shows as a wrong
 * count.
 */
class WriteRequestEncoderTest {

    private static final Labels SERIES = Labels.of("__name__", "http_request_duration_seconds", "job", "api");
    private static final Labels EXTERNAL = Labels.of("cluster", "east");
    private static final Labels WIRE = Labels.of("__name__", "http_request_duration_seconds", "cluster", "east", "job", "api");

    record Case(String name, List<Sample> in, List<Sample> out) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        NativeHistogram exponential = new NativeHistogram(false, ResetHint.UNKNOWN, 3, 1e-128, 2, 21, 7.5,
                new int[]{-2, 2}, new double[]{1, 3}, new int[]{0, 2, 3, 3}, new double[]{4, 1, 0, 6, 4}, null);
        NativeHistogram negativeSchema = new NativeHistogram(false, ResetHint.UNKNOWN, -2, 0, 0, 3, 1000,
                null, null, new int[]{5, 1}, new double[]{3}, null);
        NativeHistogram floats = new NativeHistogram(true, ResetHint.UNKNOWN, 1, 0.001, 0.5, 10.25, -3.5,
                new int[]{1, 1}, new double[]{2.25}, new int[]{0, 1, 1, 1}, new double[]{4.5, 3}, null);
        NativeHistogram gauge = new NativeHistogram(false, ResetHint.GAUGE, 0, 0, 0, 2, 2, null, null,
                new int[]{0, 1}, new double[]{2}, null);
        NativeHistogram custom = new NativeHistogram(false, ResetHint.UNKNOWN, NativeHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 6, 12.5,
                null, null, new int[]{0, 2, 1, 1}, new double[]{1, 2, 3}, new double[]{0.1, 0.5, 1, 5});
        NativeHistogram empty = new NativeHistogram(false, ResetHint.UNKNOWN, 0, 0, 0, 0, 0, null, null, null, null, null);
        Labels trace = Labels.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        List<Case> cases = new ArrayList<>();
        cases.add(same("a float", new Sample(SERIES, 1_700_000_000_000L, 0.25)));
        cases.add(same("an integer histogram, both signs, zero bucket, gaps between spans",
                Sample.ofHistogram(SERIES, 1_700_000_000_000L, exponential)));
        cases.add(same("a negative schema", Sample.ofHistogram(SERIES, 1_700_000_000_000L, negativeSchema)));
        cases.add(same("a float histogram", Sample.ofHistogram(SERIES, 1_700_000_000_000L, floats)));
        cases.add(same("a gauge histogram", Sample.ofHistogram(SERIES, 1_700_000_000_000L, gauge)));
        cases.add(same("custom buckets", Sample.ofHistogram(SERIES, 1_700_000_000_000L, custom)));
        cases.add(same("an empty histogram", Sample.ofHistogram(SERIES, 1_700_000_000_000L, empty)));
        cases.add(same("a staleness marker", new Sample(SERIES, 1_700_000_000_000L, Sample.STALE_NAN)));
        Exemplar stamped = new Exemplar(trace, 0.3, 1_699_999_999_500L);
        cases.add(same("a float with an exemplar", new Sample(SERIES, 1_700_000_000_000L, 12, null, List.of(stamped), 0)));
        cases.add(same("a histogram with two exemplars", new Sample(SERIES, 1_700_000_000_000L, 0, exponential,
                List.of(stamped, new Exemplar(Labels.EMPTY, -1, 1_699_999_999_000L)), 0)));
        cases.add(new Case("an exemplar without a time goes at the sample's",
                List.of(new Sample(SERIES, 1_700_000_000_000L, 12, null, List.of(new Exemplar(trace, 0.3, Exemplar.NO_TIMESTAMP)), 0)),
                List.of(new Sample(WIRE, 1_700_000_000_000L, 12, null, List.of(new Exemplar(trace, 0.3, 1_700_000_000_000L)), 0))));
        cases.add(same("floats around a histogram of the same series stay in order",
                new Sample(SERIES, 1_000, 1), Sample.ofHistogram(SERIES, 2_000, gauge), new Sample(SERIES, 3_000, 3)));
        return cases;
    }

    /** Samples that come back as they went, under the external labels. */
    private static Case same(String name, Sample... samples) {
        List<Sample> out = Arrays.stream(samples).map(s -> s.withLabels(WIRE)).toList();
        return new Case(name, List.of(samples), out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void a_batch_reads_back_as_it_was_written(Case c) throws Exception {
        WriteRequestEncoder encoder = new WriteRequestEncoder(EXTERNAL);
        byte[] raw = encoder.encode(c.in());
        List<Sample> decoded = RemoteWriteDecoder.decode(Snappy.compress(Arrays.copyOf(raw, encoder.size())));
        assertThat(decoded).isEqualTo(c.out());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void the_write_ahead_logs_one_series_per_sample_reads_back_the_same(Case c) throws Exception {
        WriteRequestEncoder encoder = new WriteRequestEncoder(EXTERNAL);
        encoder.reset();
        for (Sample s : c.in()) {
            encoder.add(s);
            encoder.add(s); // a second time: the labels memo in use
        }
        List<Sample> twice = new ArrayList<>();
        for (Sample s : c.out()) {
            twice.add(s);
            twice.add(s);
        }
        List<Sample> decoded = RemoteWriteDecoder.decode(Snappy.compress(Arrays.copyOf(encoder.array(), encoder.size())));
        assertThat(decoded).isEqualTo(twice);
    }
}
