package io.caravan.scrape.parse;

import static io.caravan.scrape.parse.MetricFamilyEncoder.COUNTER;
import static io.caravan.scrape.parse.MetricFamilyEncoder.GAUGE;
import static io.caravan.scrape.parse.MetricFamilyEncoder.GAUGE_HISTOGRAM;
import static io.caravan.scrape.parse.MetricFamilyEncoder.HISTOGRAM;
import static io.caravan.scrape.parse.MetricFamilyEncoder.SUMMARY;
import static io.caravan.scrape.parse.MetricFamilyEncoder.UNTYPED;
import static io.caravan.scrape.parse.MetricFamilyEncoder.body;
import static io.caravan.scrape.parse.MetricFamilyEncoder.bucket;
import static io.caravan.scrape.parse.MetricFamilyEncoder.exemplar;
import static io.caravan.scrape.parse.MetricFamilyEncoder.family;
import static io.caravan.scrape.parse.MetricFamilyEncoder.label;
import static io.caravan.scrape.parse.MetricFamilyEncoder.msg;
import static io.caravan.scrape.parse.MetricFamilyEncoder.quantile;
import static io.caravan.scrape.parse.MetricFamilyEncoder.span;
import static io.caravan.scrape.parse.MetricFamilyEncoder.timestamp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.NativeHistogram;
import io.caravan.model.NativeHistogram.ResetHint;
import io.caravan.scrape.parse.ExpositionParser.Entry;
import io.caravan.scrape.parse.ExpositionParser.MetricType;
import io.caravan.scrape.parse.MetricFamilyEncoder.Msg;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The facts of Prometheus' model/textparse/protobufparse_test.go (TestProtobufParse, its scenarios without and with
 * parseClassicHistograms; TestProtobufParseHistogramSpanBucketMismatch), ported: the same input messages, the same
 * sequence of entries, series, values, histograms, exemplars and timestamps expected.
 */
class PrometheusProtobufParserTest {

    /** One entry as the parser gave it. */
    record Got(Entry entry, String family, String text, MetricType type, Labels labels, double value,
               NativeHistogram histogram, List<Exemplar> exemplars, Long ts, long created) {

        Got at(long timestampMs) {
            return new Got(entry, family, text, type, labels, value, histogram, exemplars, timestampMs, created);
        }

        Got created(long ms) {
            return new Got(entry, family, text, type, labels, value, histogram, exemplars, ts, ms);
        }

        Got with(Exemplar... ex) {
            return new Got(entry, family, text, type, labels, value, histogram, List.of(ex), ts, created);
        }
    }

    static Got help(String family, String text) {
        return new Got(Entry.HELP, family, text, null, null, 0, null, List.of(), null, 0);
    }

    static Got unit(String family, String unit) {
        return new Got(Entry.UNIT, family, unit, null, null, 0, null, List.of(), null, 0);
    }

    static Got type(String family, MetricType type) {
        return new Got(Entry.TYPE, family, null, type, null, 0, null, List.of(), null, 0);
    }

    static Got series(double value, String... labels) {
        return new Got(Entry.SERIES, null, null, null, Labels.of(labels), value, null, List.of(), null, 0);
    }

    static Got native_(NativeHistogram h, String... labels) {
        return new Got(Entry.SERIES, null, null, null, Labels.of(labels), 0, h, List.of(), null, 0);
    }

    static Exemplar ex(String id, double value, long ts) {
        return new Exemplar(Labels.of("dummyID", id), value, ts);
    }

    static List<Got> parse(ExpositionParser p, byte[] body) throws ExpositionParseException {
        return parse(p, body, null);
    }

    /** Every entry of the body; the series keys go to {@code keys} when given. */
    static List<Got> parse(ExpositionParser p, byte[] body, List<String> keys) throws ExpositionParseException {
        p.reset(body, 0, body.length);
        List<Got> out = new ArrayList<>();
        Labels.Builder b = new Labels.Builder();
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            switch (e) {
                case HELP -> out.add(help(p.metricFamily(), p.help()));
                case UNIT -> out.add(unit(p.metricFamily(), p.unit()));
                case TYPE -> out.add(type(p.metricFamily(), p.type()));
                case SERIES -> {
                    b.reset();
                    p.labels(b);
                    NativeHistogram h = p.histogram();
                    out.add(new Got(Entry.SERIES, null, null, null, b.build(), h == null ? p.value() : 0, h,
                            p.exemplars(), p.hasTimestamp() ? p.timestampMs() : null, p.createdTimestampMs()));
                    if (keys != null) {
                        keys.add(new String(p.seriesBuffer(), p.seriesOffset(), p.seriesLength(), StandardCharsets.ISO_8859_1));
                    }
                }
                default -> throw new AssertionError(e);
            }
        }
        assertThat(p.next()).isEqualTo(Entry.EOF);
        return out;
    }

    // Prometheus' test input (createTestProtoBuf), family by family

    static final double SUM = 0.0008280461746287094;
    static final double ZERO_THRESHOLD = 2.938735877055719e-39;
    static final long EX_TS = 1625851155146L;
    static final long CREATED = 1625851153146L;

    static Msg goBuildInfo() {
        return family("go_build_info", "Build information about the main Go module.", GAUGE)
                .msg(4, msg().msg(1, label("checksum", "")).msg(1, label("path", "github.com/prometheus/client_golang"))
                        .msg(1, label("version", "(devel)")).msg(2, msg().dbl(1, 1)));
    }

    static Msg allocBytesTotal() {
        return family("go_memstats_alloc_bytes_total", "Total number of bytes allocated, even if freed.", COUNTER)
                .str(5, "bytes")
                .msg(4, msg().msg(3, msg().dbl(1, 1.546544e+06)
                        .msg(2, exemplar("dummyID", "42", 12, timestamp(1625851151, 233181499)))));
    }

    static Msg somethingUntyped() {
        return family("something_untyped", "Just to test the untyped type.", UNTYPED)
                .msg(4, msg().msg(5, msg().dbl(1, 42)).varint(6, 1234567));
    }

    /** The classic buckets Prometheus' test histograms share, with an exemplar with and one without a timestamp. */
    static Msg withTestBuckets(Msg h, boolean floatCounts, boolean bucketExemplars) {
        double[] bounds = {-0.0004899999999999998, -0.0003899999999999998, -0.0002899999999999998};
        long[] counts = {2, 4, 16};
        for (int i = 0; i < 3; i++) {
            Msg b = floatCounts ? msg().dbl(4, counts[i]).dbl(2, bounds[i]) : bucket(counts[i], bounds[i]);
            if (bucketExemplars && i == 1) {
                b.msg(3, exemplar("dummyID", "59727", -0.00039, timestamp(1625851155, 146848499)));
            }
            if (bucketExemplars && i == 2) {
                b.msg(3, exemplar("dummyID", "5617", -0.00029, null));
            }
            h.msg(3, b);
        }
        return h;
    }

    static Msg withTestSpans(Msg h) {
        return h.sint(5, 3).dbl(6, ZERO_THRESHOLD)
                .msg(9, span(-162, 1)).msg(9, span(23, 4))
                .msg(12, span(-161, 1)).msg(12, span(8, 3));
    }

    static Msg integerTestHistogram(boolean bucketExemplars) {
        Msg h = withTestBuckets(msg().varint(1, 175).dbl(2, SUM), false, bucketExemplars);
        withTestSpans(h).varint(7, 2);
        for (long d : new long[]{1, 3, -2, -1, 1}) {
            h.sint(10, d); // unpacked, as gogo's text-to-proto test input gives it: both encodings must be read
        }
        return h.packedSint(13, 1, 2, -1, -1);
    }

    static Msg floatTestHistogram() {
        Msg h = withTestBuckets(msg().dbl(4, 175).dbl(2, SUM), true, true);
        return withTestSpans(h).dbl(8, 2).packedDouble(11, 1, 3, -2, -1, 1).packedDouble(14, 1, 2, -1, -1);
    }

    static Msg testHistogram(String name, int type, String help) {
        return family(name, help, type).msg(4, msg().msg(7, integerTestHistogram(true)).varint(6, 1234568));
    }

    static Msg testFloatHistogram(String name, int type, String help) {
        return family(name, help, type).msg(4, msg().msg(7, floatTestHistogram()).varint(6, 1234568));
    }

    static Msg testHistogram2() {
        return family("test_histogram2", "Similar histogram as before but now without sparse buckets.", HISTOGRAM)
                .msg(4, msg().msg(7, msg().varint(1, 175).dbl(2, 0.000828)
                        .msg(3, bucket(2, -0.00048))
                        .msg(3, bucket(4, -0.00038).msg(3, exemplar("dummyID", "59727", -0.00038, timestamp(1625851153, 146848499))))
                        .msg(3, bucket(16, 1).msg(3, exemplar("dummyID", "5617", -0.000295, null)))
                        .sint(5, 0).dbl(6, 0)));
    }

    static Msg testHistogramFamily() {
        return family("test_histogram_family", "Test histogram metric family with two very simple histograms.", HISTOGRAM)
                .msg(4, msg().msg(1, label("foo", "bar")).msg(7, msg().varint(1, 5).dbl(2, 12.1)
                        .msg(3, bucket(2, 1.1)).msg(3, bucket(3, 2.2))
                        .sint(5, 3).msg(12, span(8, 2)).packedSint(13, 2, 1)))
                .msg(4, msg().msg(1, label("foo", "baz")).msg(7, msg().varint(1, 6).dbl(2, 13.1)
                        .msg(3, bucket(1, 1.1)).msg(3, bucket(5, 2.2))
                        .sint(5, 3).msg(12, span(8, 2)).packedSint(13, 1, 4)));
    }

    static Msg floatZeroThresholdZero() {
        return family("test_float_histogram_with_zerothreshold_zero", "Test float histogram with a zero threshold of zero.", HISTOGRAM)
                .msg(4, msg().msg(7, msg().dbl(4, 5).dbl(2, 12.1).sint(5, 3).msg(12, span(8, 2)).packedDouble(14, 2, 3)));
    }

    static Msg rpcDurations() {
        return family("rpc_durations_seconds", "RPC latency distributions.", SUMMARY)
                .msg(4, msg().msg(1, label("service", "exponential")).msg(4, msg().varint(1, 262).dbl(2, 0.00025551262820703587)
                        .msg(3, quantile(0.5, 6.442786329648548e-07))
                        .msg(3, quantile(0.9, 1.9435742936658396e-06))
                        .msg(3, quantile(0.99, 4.0471608667037015e-06))));
    }

    static Msg withoutQuantiles() {
        return family("without_quantiles", "A summary without quantiles.", SUMMARY)
                .msg(4, msg().msg(4, msg().varint(1, 42).dbl(2, 1.234)));
    }

    static Msg emptyHistogram() {
        return family("empty_histogram", "A histogram without observations and with a zero threshold of zero but with a no-op span to identify it as a native histogram.", HISTOGRAM)
                .msg(4, msg().msg(7, msg().msg(12, span(0, 0))));
    }

    static Msg createdCounter() {
        return family("test_counter_with_createdtimestamp", "A counter with a created timestamp.", COUNTER)
                .msg(4, msg().msg(3, msg().dbl(1, 42).msg(3, timestamp(1625851153, 146848499))));
    }

    static Msg createdSummary() {
        return family("test_summary_with_createdtimestamp", "A summary with a created timestamp.", SUMMARY)
                .msg(4, msg().msg(4, msg().varint(1, 42).dbl(2, 1.234).msg(4, timestamp(1625851153, 146848499))));
    }

    static Msg createdHistogram(String name, int type, String help) {
        return family(name, help, type)
                .msg(4, msg().msg(7, msg().msg(15, timestamp(1625851153, 146848499)).msg(12, span(0, 0))));
    }

    static Msg nativeExemplars() {
        Msg h = integerTestHistogram(true)
                .msg(16, exemplar("dummyID", "59780", -0.00039, timestamp(1625851155, 146848499)))
                .msg(16, exemplar("dummyID", "5617", -0.00029, null))
                .msg(16, exemplar("dummyID", "59772", -0.00052, timestamp(1625851160, 156848499)));
        return family("test_histogram_with_native_histogram_exemplars", "A histogram with native histogram exemplars.", HISTOGRAM)
                .msg(4, msg().msg(7, h).varint(6, 1234568));
    }

    static Msg nativeExemplars2() {
        Msg h = integerTestHistogram(false)
                .msg(16, exemplar("dummyID", "59780", -0.00039, timestamp(1625851155, 146848499)));
        return family("test_histogram_with_native_histogram_exemplars2", "Another histogram with native histogram exemplars.", HISTOGRAM)
                .msg(4, msg().msg(7, h).varint(6, 1234568));
    }

    static byte[] prometheusTestBody() {
        return body(goBuildInfo(), allocBytesTotal(), somethingUntyped(),
                testHistogram("test_histogram", HISTOGRAM, "Test histogram with many buckets removed to keep it manageable in size."),
                testHistogram("test_gauge_histogram", GAUGE_HISTOGRAM, "Like test_histogram but as gauge histogram."),
                testFloatHistogram("test_float_histogram", HISTOGRAM, "Test float histogram with many buckets removed to keep it manageable in size."),
                testFloatHistogram("test_gauge_float_histogram", GAUGE_HISTOGRAM, "Like test_float_histogram but as gauge histogram."),
                testHistogram2(), testHistogramFamily(), floatZeroThresholdZero(), rpcDurations(), withoutQuantiles(),
                emptyHistogram(), createdCounter(), createdSummary(),
                createdHistogram("test_histogram_with_createdtimestamp", HISTOGRAM, "A histogram with a created timestamp."),
                createdHistogram("test_gaugehistogram_with_createdtimestamp", GAUGE_HISTOGRAM, "A gauge histogram with a created timestamp."),
                nativeExemplars(), nativeExemplars2());
    }

    // expected

    static final int[] NEGATIVE_SPANS = {-162, 1, 23, 4};
    static final int[] POSITIVE_SPANS = {-161, 1, 8, 3};

    static NativeHistogram integerTestNative(ResetHint hint) {
        return new NativeHistogram(false, hint, 3, ZERO_THRESHOLD, 2, 175, SUM, NEGATIVE_SPANS,
                new double[]{1, 4, 2, 1, 2}, POSITIVE_SPANS, new double[]{1, 3, 2, 1}, null);
    }

    static NativeHistogram floatTestNative(ResetHint hint) {
        return new NativeHistogram(true, hint, 3, ZERO_THRESHOLD, 2, 175, SUM, NEGATIVE_SPANS,
                new double[]{1, 3, -2, -1, 1}, POSITIVE_SPANS, new double[]{1, 2, -1, -1}, null);
    }

    static NativeHistogram empty(ResetHint hint) {
        return new NativeHistogram(false, hint, 0, 0, 0, 0, 0, null, null, null, null, null);
    }

    /** The classic series of Prometheus' test histograms, as parseClassicHistograms gives them after the native one. */
    static List<Got> classicTestSeries(String name, boolean bucketExemplars) {
        Got b2 = series(4, "__name__", name + "_bucket", "le", "-0.0003899999999999998").at(1234568);
        Got b3 = series(16, "__name__", name + "_bucket", "le", "-0.0002899999999999998").at(1234568);
        return List.of(
                series(175, "__name__", name + "_count").at(1234568),
                series(SUM, "__name__", name + "_sum").at(1234568),
                series(2, "__name__", name + "_bucket", "le", "-0.0004899999999999998").at(1234568),
                bucketExemplars ? b2.with(ex("59727", -0.00039, EX_TS)) : b2,
                bucketExemplars ? b3.with(ex("5617", -0.00029, Exemplar.NO_TIMESTAMP)) : b3,
                series(175, "__name__", name + "_bucket", "le", "+Inf").at(1234568));
    }

    static List<Got> expected(boolean keepClassic) {
        List<Got> e = new ArrayList<>();
        e.add(help("go_build_info", "Build information about the main Go module."));
        e.add(type("go_build_info", MetricType.GAUGE));
        e.add(series(1, "__name__", "go_build_info", "checksum", "", "path", "github.com/prometheus/client_golang",
                "version", "(devel)"));
        e.add(help("go_memstats_alloc_bytes_total", "Total number of bytes allocated, even if freed."));
        e.add(unit("go_memstats_alloc_bytes_total", "bytes"));
        e.add(type("go_memstats_alloc_bytes_total", MetricType.COUNTER));
        e.add(series(1.546544e+06, "__name__", "go_memstats_alloc_bytes_total").with(ex("42", 12, 1625851151233L)));
        e.add(help("something_untyped", "Just to test the untyped type."));
        e.add(type("something_untyped", MetricType.UNKNOWN));
        e.add(series(42, "__name__", "something_untyped").at(1234567));

        e.add(help("test_histogram", "Test histogram with many buckets removed to keep it manageable in size."));
        e.add(type("test_histogram", MetricType.HISTOGRAM));
        e.add(native_(integerTestNative(ResetHint.UNKNOWN), "__name__", "test_histogram").at(1234568)
                .with(ex("59727", -0.00039, EX_TS)));
        if (keepClassic) {
            e.addAll(classicTestSeries("test_histogram", true));
        }
        e.add(help("test_gauge_histogram", "Like test_histogram but as gauge histogram."));
        e.add(type("test_gauge_histogram", MetricType.GAUGEHISTOGRAM));
        e.add(native_(integerTestNative(ResetHint.GAUGE), "__name__", "test_gauge_histogram").at(1234568)
                .with(ex("59727", -0.00039, EX_TS)));
        if (keepClassic) {
            e.addAll(classicTestSeries("test_gauge_histogram", true));
        }
        e.add(help("test_float_histogram", "Test float histogram with many buckets removed to keep it manageable in size."));
        e.add(type("test_float_histogram", MetricType.HISTOGRAM));
        e.add(native_(floatTestNative(ResetHint.UNKNOWN), "__name__", "test_float_histogram").at(1234568)
                .with(ex("59727", -0.00039, EX_TS)));
        if (keepClassic) {
            e.addAll(classicTestSeries("test_float_histogram", true));
        }
        e.add(help("test_gauge_float_histogram", "Like test_float_histogram but as gauge histogram."));
        e.add(type("test_gauge_float_histogram", MetricType.GAUGEHISTOGRAM));
        e.add(native_(floatTestNative(ResetHint.GAUGE), "__name__", "test_gauge_float_histogram").at(1234568)
                .with(ex("59727", -0.00039, EX_TS)));
        if (keepClassic) {
            e.addAll(classicTestSeries("test_gauge_float_histogram", true));
        }

        e.add(help("test_histogram2", "Similar histogram as before but now without sparse buckets."));
        e.add(type("test_histogram2", MetricType.HISTOGRAM));
        e.add(series(175, "__name__", "test_histogram2_count"));
        e.add(series(0.000828, "__name__", "test_histogram2_sum"));
        e.add(series(2, "__name__", "test_histogram2_bucket", "le", "-0.00048"));
        e.add(series(4, "__name__", "test_histogram2_bucket", "le", "-0.00038").with(ex("59727", -0.00038, 1625851153146L)));
        e.add(series(16, "__name__", "test_histogram2_bucket", "le", "1.0").with(ex("5617", -0.000295, Exemplar.NO_TIMESTAMP)));
        e.add(series(175, "__name__", "test_histogram2_bucket", "le", "+Inf"));

        e.add(help("test_histogram_family", "Test histogram metric family with two very simple histograms."));
        e.add(type("test_histogram_family", MetricType.HISTOGRAM));
        e.add(native_(new NativeHistogram(false, ResetHint.UNKNOWN, 3, 0, 0, 5, 12.1, null, null, new int[]{8, 2},
                new double[]{2, 3}, null), "__name__", "test_histogram_family", "foo", "bar"));
        if (keepClassic) {
            e.add(series(5, "__name__", "test_histogram_family_count", "foo", "bar"));
            e.add(series(12.1, "__name__", "test_histogram_family_sum", "foo", "bar"));
            e.add(series(2, "__name__", "test_histogram_family_bucket", "foo", "bar", "le", "1.1"));
            e.add(series(3, "__name__", "test_histogram_family_bucket", "foo", "bar", "le", "2.2"));
            e.add(series(5, "__name__", "test_histogram_family_bucket", "foo", "bar", "le", "+Inf"));
        }
        e.add(native_(new NativeHistogram(false, ResetHint.UNKNOWN, 3, 0, 0, 6, 13.1, null, null, new int[]{8, 2},
                new double[]{1, 5}, null), "__name__", "test_histogram_family", "foo", "baz"));
        if (keepClassic) {
            e.add(series(6, "__name__", "test_histogram_family_count", "foo", "baz"));
            e.add(series(13.1, "__name__", "test_histogram_family_sum", "foo", "baz"));
            e.add(series(1, "__name__", "test_histogram_family_bucket", "foo", "baz", "le", "1.1"));
            e.add(series(5, "__name__", "test_histogram_family_bucket", "foo", "baz", "le", "2.2"));
            e.add(series(6, "__name__", "test_histogram_family_bucket", "foo", "baz", "le", "+Inf"));
        }

        e.add(help("test_float_histogram_with_zerothreshold_zero", "Test float histogram with a zero threshold of zero."));
        e.add(type("test_float_histogram_with_zerothreshold_zero", MetricType.HISTOGRAM));
        e.add(native_(new NativeHistogram(true, ResetHint.UNKNOWN, 3, 0, 0, 5, 12.1, null, null, new int[]{8, 2},
                new double[]{2, 3}, null), "__name__", "test_float_histogram_with_zerothreshold_zero"));

        e.add(help("rpc_durations_seconds", "RPC latency distributions."));
        e.add(type("rpc_durations_seconds", MetricType.SUMMARY));
        e.add(series(262, "__name__", "rpc_durations_seconds_count", "service", "exponential"));
        e.add(series(0.00025551262820703587, "__name__", "rpc_durations_seconds_sum", "service", "exponential"));
        e.add(series(6.442786329648548e-07, "__name__", "rpc_durations_seconds", "quantile", "0.5", "service", "exponential"));
        e.add(series(1.9435742936658396e-06, "__name__", "rpc_durations_seconds", "quantile", "0.9", "service", "exponential"));
        e.add(series(4.0471608667037015e-06, "__name__", "rpc_durations_seconds", "quantile", "0.99", "service", "exponential"));

        e.add(help("without_quantiles", "A summary without quantiles."));
        e.add(type("without_quantiles", MetricType.SUMMARY));
        e.add(series(42, "__name__", "without_quantiles_count"));
        e.add(series(1.234, "__name__", "without_quantiles_sum"));

        e.add(help("empty_histogram", "A histogram without observations and with a zero threshold of zero but with a no-op span to identify it as a native histogram."));
        e.add(type("empty_histogram", MetricType.HISTOGRAM));
        e.add(native_(empty(ResetHint.UNKNOWN), "__name__", "empty_histogram"));

        e.add(help("test_counter_with_createdtimestamp", "A counter with a created timestamp."));
        e.add(type("test_counter_with_createdtimestamp", MetricType.COUNTER));
        e.add(series(42, "__name__", "test_counter_with_createdtimestamp").created(CREATED));
        e.add(help("test_summary_with_createdtimestamp", "A summary with a created timestamp."));
        e.add(type("test_summary_with_createdtimestamp", MetricType.SUMMARY));
        e.add(series(42, "__name__", "test_summary_with_createdtimestamp_count").created(CREATED));
        e.add(series(1.234, "__name__", "test_summary_with_createdtimestamp_sum").created(CREATED));
        e.add(help("test_histogram_with_createdtimestamp", "A histogram with a created timestamp."));
        e.add(type("test_histogram_with_createdtimestamp", MetricType.HISTOGRAM));
        e.add(native_(empty(ResetHint.UNKNOWN), "__name__", "test_histogram_with_createdtimestamp").created(CREATED));
        e.add(help("test_gaugehistogram_with_createdtimestamp", "A gauge histogram with a created timestamp."));
        e.add(type("test_gaugehistogram_with_createdtimestamp", MetricType.GAUGEHISTOGRAM));
        e.add(native_(empty(ResetHint.GAUGE), "__name__", "test_gaugehistogram_with_createdtimestamp").created(CREATED));

        e.add(help("test_histogram_with_native_histogram_exemplars", "A histogram with native histogram exemplars."));
        e.add(type("test_histogram_with_native_histogram_exemplars", MetricType.HISTOGRAM));
        e.add(native_(integerTestNative(ResetHint.UNKNOWN), "__name__", "test_histogram_with_native_histogram_exemplars")
                .at(1234568).with(ex("59780", -0.00039, EX_TS), ex("59772", -0.00052, 1625851160156L)));
        if (keepClassic) {
            e.addAll(classicTestSeries("test_histogram_with_native_histogram_exemplars", true));
        }
        e.add(help("test_histogram_with_native_histogram_exemplars2", "Another histogram with native histogram exemplars."));
        e.add(type("test_histogram_with_native_histogram_exemplars2", MetricType.HISTOGRAM));
        e.add(native_(integerTestNative(ResetHint.UNKNOWN), "__name__", "test_histogram_with_native_histogram_exemplars2")
                .at(1234568).with(ex("59780", -0.00039, EX_TS)));
        if (keepClassic) {
            e.addAll(classicTestSeries("test_histogram_with_native_histogram_exemplars2", false));
        }
        return e;
    }

    @Test
    void prometheusTestInputWithoutClassicHistograms() throws Exception {
        assertThat(parse(new PrometheusProtobufParser(false, false), prometheusTestBody())).containsExactlyElementsOf(expected(false));
    }

    @Test
    void prometheusTestInputWithClassicHistogramsKept() throws Exception {
        assertThat(parse(new PrometheusProtobufParser(false, true), prometheusTestBody())).containsExactlyElementsOf(expected(true));
    }

    @Test
    void seriesKeysAreThoseOfPrometheusAndANativeHistogramsIsMarked() throws Exception {
        List<String> keys = new ArrayList<>();
        parse(new PrometheusProtobufParser(false, true), body(goBuildInfo(), testHistogramFamily(), rpcDurations()), keys);
        assertThat(keys).containsExactly(
                "go_build_info\u00ffchecksum\u00ff\u00ffpath\u00ffgithub.com/prometheus/client_golang\u00ffversion\u00ff(devel)",
                "test_histogram_family\u00fffoo\u00ffbar\u00fe",
                "test_histogram_family_count\u00fffoo\u00ffbar",
                "test_histogram_family_sum\u00fffoo\u00ffbar",
                "test_histogram_family_bucket\u00fffoo\u00ffbar\u00ffle\u00ff1.1",
                "test_histogram_family_bucket\u00fffoo\u00ffbar\u00ffle\u00ff2.2",
                "test_histogram_family_bucket\u00fffoo\u00ffbar\u00ffle\u00ff+Inf",
                "test_histogram_family\u00fffoo\u00ffbaz\u00fe",
                "test_histogram_family_count\u00fffoo\u00ffbaz",
                "test_histogram_family_sum\u00fffoo\u00ffbaz",
                "test_histogram_family_bucket\u00fffoo\u00ffbaz\u00ffle\u00ff1.1",
                "test_histogram_family_bucket\u00fffoo\u00ffbaz\u00ffle\u00ff2.2",
                "test_histogram_family_bucket\u00fffoo\u00ffbaz\u00ffle\u00ff+Inf",
                "rpc_durations_seconds_count\u00ffservice\u00ffexponential",
                "rpc_durations_seconds_sum\u00ffservice\u00ffexponential",
                "rpc_durations_seconds\u00ffquantile\u00ff0.5\u00ffservice\u00ffexponential",
                "rpc_durations_seconds\u00ffquantile\u00ff0.9\u00ffservice\u00ffexponential",
                "rpc_durations_seconds\u00ffquantile\u00ff0.99\u00ffservice\u00ffexponential");
    }

    @Test
    void labelsAreSortedInTheKeyWhateverTheirOrderOnTheWire() throws Exception {
        List<String> keys = new ArrayList<>();
        Msg f = family("g", "", GAUGE)
                .msg(4, msg().msg(1, label("z", "1")).msg(1, label("a", "2")).msg(2, msg().dbl(1, 1)))
                .msg(4, msg().msg(1, label("a", "2")).msg(1, label("z", "1")).msg(2, msg().dbl(1, 2)));
        parse(new PrometheusProtobufParser(false, false), body(f), keys);
        assertThat(keys).containsExactly("g\u00ffa\u00ff2\u00ffz\u00ff1", "g\u00ffa\u00ff2\u00ffz\u00ff1");
    }

    @Test
    void aClassicHistogramStopsAtItsInfBucketAndGetsOneWhenItHasNone() throws Exception {
        Msg withInf = family("h", "", HISTOGRAM).msg(4, msg().msg(7, msg().varint(1, 3).dbl(2, 1)
                .msg(3, bucket(1, 0.5)).msg(3, bucket(3, Double.POSITIVE_INFINITY)).msg(3, bucket(9, 7))));
        Msg noBuckets = family("n", "", HISTOGRAM).msg(4, msg().msg(7, msg().varint(1, 4).dbl(2, 2)));
        assertThat(parse(new PrometheusProtobufParser(false, false), body(withInf, noBuckets))).containsExactly(
                help("h", ""), type("h", MetricType.HISTOGRAM),
                series(3, "__name__", "h_count"), series(1, "__name__", "h_sum"),
                series(1, "__name__", "h_bucket", "le", "0.5"), series(3, "__name__", "h_bucket", "le", "+Inf"),
                help("n", ""), type("n", MetricType.HISTOGRAM),
                series(4, "__name__", "n_count"), series(2, "__name__", "n_sum"),
                series(4, "__name__", "n_bucket", "le", "+Inf"));
    }

    @Test
    void nativeOrClassicByPrometheusRule() throws Exception {
        // only the integer zero count makes a histogram without spans and zero threshold native
        Msg zeroCount = family("zc", "", HISTOGRAM).msg(4, msg().msg(7, msg().varint(1, 2).varint(7, 2)));
        Msg zeroCountFloat = family("zf", "", HISTOGRAM).msg(4, msg().msg(7, msg().dbl(4, 2).dbl(8, 2)));
        Msg threshold = family("zt", "", HISTOGRAM).msg(4, msg().msg(7, msg().dbl(6, 0.001)));
        assertThat(parse(new PrometheusProtobufParser(false, true), body(zeroCount, zeroCountFloat, threshold))).containsExactly(
                help("zc", ""), type("zc", MetricType.HISTOGRAM),
                native_(new NativeHistogram(false, ResetHint.UNKNOWN, 0, 0, 2, 2, 0, null, null, null, null, null), "__name__", "zc"),
                help("zf", ""), type("zf", MetricType.HISTOGRAM),
                series(2, "__name__", "zf_count"), series(0, "__name__", "zf_sum"),
                series(2, "__name__", "zf_bucket", "le", "+Inf"),
                help("zt", ""), type("zt", MetricType.HISTOGRAM),
                native_(new NativeHistogram(false, ResetHint.UNKNOWN, 0, 0.001, 0, 0, 0, null, null, null, null, null), "__name__", "zt"));
    }

    @Test
    void emptyBucketsAreCompactedAwayAsPrometheusDoes() throws Exception {
        // positive: spans (0,3) (0,1) (2,0) (1,2): absolute 1 0 2 | 3 | - | 0 4 at indexes 0-2 | 3 | 6 | 7-8,
        // the non-empty ones at 0, 2, 3, 8  ->  (0,1) (1,2) (4,1)
        Msg f = family("c", "", HISTOGRAM).msg(4, msg().msg(7, msg().varint(1, 10).sint(5, 1)
                .msg(12, span(0, 3)).msg(12, span(0, 1)).msg(12, span(2, 0)).msg(12, span(1, 2))
                .packedSint(13, 1, -1, 2, 1, -3, 4)
                .msg(9, span(-2, 2)).packedSint(10, 0, 5)));
        List<Got> got = parse(new PrometheusProtobufParser(false, false), body(f));
        assertThat(got.get(2).histogram()).isEqualTo(new NativeHistogram(false, ResetHint.UNKNOWN, 1, 0, 0, 10, 0,
                new int[]{-1, 1}, new double[]{5}, new int[]{0, 1, 1, 2, 4, 1}, new double[]{1, 2, 3, 4}, null));
    }

    @Test
    void metricTimestampZeroIsNone() throws Exception {
        Msg f = family("g", "", GAUGE).msg(4, msg().msg(2, msg().dbl(1, 1)).varint(6, 0))
                .msg(4, msg().msg(1, label("a", "b")).msg(2, msg().dbl(1, 2)).varint(6, -5));
        assertThat(parse(new PrometheusProtobufParser(false, false), body(f))).containsExactly(
                help("g", ""), type("g", MetricType.GAUGE), series(1, "__name__", "g"),
                series(2, "__name__", "g", "a", "b").at(-5));
    }

    @Test
    void familiesWithoutMetricsAreSkippedAndLineNumbersCountEveryFamily() throws Exception {
        Msg empty = msg().str(1, "").str(2, "no metrics, and not even a name").varint(3, 9);
        Msg g = family("g", "", GAUGE).msg(4, msg().msg(2, msg().dbl(1, 1)));
        ExpositionParser p = new PrometheusProtobufParser(false, false);
        byte[] b = body(empty, g);
        p.reset(b, 0, b.length);
        assertThat(p.next()).isEqualTo(Entry.HELP);
        assertThat(p.lineNumber()).isEqualTo(2);
        assertThat(p.next()).isEqualTo(Entry.TYPE);
        assertThat(p.next()).isEqualTo(Entry.SERIES);
        assertThat(p.lineNumber()).isEqualTo(2);
        assertThat(p.next()).isEqualTo(Entry.EOF);
        assertThat(p.next()).isEqualTo(Entry.EOF);
    }

    @Test
    void unknownFieldsAreSkippedAndTheParserIsReusable() throws Exception {
        Msg f = family("g", "", GAUGE).varint(99, 1).str(98, "x")
                .msg(4, msg().dbl(97, 1).msg(2, msg().dbl(1, 3).varint(50, 7)));
        PrometheusProtobufParser p = new PrometheusProtobufParser(false, false);
        List<Got> first = parse(p, body(f));
        assertThat(first).containsExactly(help("g", ""), type("g", MetricType.GAUGE), series(3, "__name__", "g"));
        assertThat(parse(p, body(f))).isEqualTo(first);
        assertThat(parse(p, new byte[0])).isEmpty();
    }

    @Test
    void accessorsOfTheWrongEntryThrow() throws Exception {
        PrometheusProtobufParser p = new PrometheusProtobufParser(false, false);
        byte[] b = body(goBuildInfo());
        p.reset(b, 0, b.length);
        p.next();
        assertThatThrownBy(p::value).isInstanceOf(IllegalStateException.class);
        p.next();
        p.next();
        assertThatThrownBy(p::metricFamily).isInstanceOf(IllegalStateException.class);
    }

    // malformed bodies

    static Stream<Arguments> malformed() {
        Msg okGauge = family("ok", "", GAUGE).msg(4, msg().msg(2, msg().dbl(1, 1)));
        byte[] truncated = body(okGauge, family("cut", "", GAUGE).msg(4, msg().msg(2, msg().dbl(1, 1))));
        truncated = Arrays.copyOf(truncated, truncated.length - 3);
        byte[] badPrefix = new byte[]{(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        return Stream.of(
                Arguments.of(truncated, 2, "metric family of", "family #2"),
                Arguments.of(badPrefix, 1, "invalid varint length prefix", "family #1"),
                Arguments.of(body(family("c", "", COUNTER).msg(4, msg().msg(3, msg().varint(1, 5)))), 1,
                        "wrong wire type 0 for field Counter.value", "family \"c\", metric 1"),
                Arguments.of(body(family("c", "", COUNTER).msg(4, msg().bytes(3, new byte[]{0x09, 0x01}))), 1,
                        "truncated fixed64", "family \"c\", metric 1"),
                Arguments.of(body(okGauge, family("c", "", COUNTER).msg(4, msg().msg(3, msg().dbl(1, 1)))
                                .msg(4, msg().msg(2, msg().dbl(1, 1)))), 2,
                        "a COUNTER family's metric has a gauge value and no counter value", "family \"c\", metric 2"),
                Arguments.of(body(family("s", "", SUMMARY).msg(4, msg().msg(7, msg().varint(1, 1)))), 1,
                        "a SUMMARY family's metric has a histogram value and no summary value", "family \"s\""),
                Arguments.of(body(family("", "", GAUGE).msg(4, msg().msg(2, msg()))), 1, "invalid metric name \"\"", "family #1"),
                Arguments.of(body(msg().bytes(1, new byte[]{'a', (byte) 0xC3}).msg(4, msg().msg(2, msg()))), 1,
                        "invalid metric name", "family"),
                Arguments.of(body(family("h", "", GAUGE).bytes(2, new byte[]{(byte) 0xFF}).msg(4, msg().msg(2, msg()))), 1,
                        "invalid help: not valid UTF-8", "family \"h\""),
                Arguments.of(body(family("t", "", 6).msg(4, msg())), 1, "unknown metric type 6", "family \"t\""),
                Arguments.of(body(family("g", "", GAUGE).msg(4, msg().msg(1, label("", "x")).msg(2, msg()))), 1,
                        "invalid label name \"\"", "family \"g\", metric 1"),
                Arguments.of(body(family("g", "", GAUGE).msg(4, msg().msg(1, msg().str(1, "a").bytes(2, new byte[]{(byte) 0xC0, (byte) 0x80}))
                        .msg(2, msg()))), 1, "invalid label value: not valid UTF-8", "family \"g\", metric 1"),
                Arguments.of(body(family("g", "", GAUGE).msg(4, msg().msg(1, label("a", "1")).msg(1, label("a", "2")).msg(2, msg()))), 1,
                        "duplicate label name \"a\"", "family \"g\", metric 1"),
                Arguments.of(body(family("g", "", GAUGE).msg(4, msg().msg(1, label("__name__", "x")).msg(2, msg()))), 1,
                        "duplicate label name \"__name__\"", "family \"g\""),
                Arguments.of(body(family("h", "", HISTOGRAM).msg(4, msg().msg(1, label("le", "x")).msg(7, msg().msg(3, bucket(1, 1))))), 1,
                        "duplicate label name \"le\"", "family \"h\", metric 1"),
                Arguments.of(body(family("s", "", SUMMARY).msg(4, msg().msg(1, label("quantile", "x"))
                        .msg(4, msg().msg(3, quantile(0.5, 1))))), 1, "duplicate label name \"quantile\"", "family \"s\""),
                // Prometheus' TestProtobufParseHistogramSpanBucketMismatch
                Arguments.of(body(family("test_histogram", "Test.", HISTOGRAM).msg(4, msg().msg(7, msg().varint(1, 2).dbl(2, 1)
                        .sint(5, 1).msg(12, span(0, 0)).msg(12, span(2, 0)).sint(13, 1).sint(13, 3)))), 1,
                        "histogram \"test_histogram\": positive side: spans require 0 buckets, have 2", "family \"test_histogram\""),
                Arguments.of(body(family("test_histogram", "Test.", HISTOGRAM).msg(4, msg().msg(7, msg().varint(1, 10).dbl(2, 1)
                        .sint(5, 1).msg(12, span(0, 1)).msg(12, span(2, 1)).packedSint(13, 1, 2, 3, 4)))), 1,
                        "histogram \"test_histogram\": positive side: spans require 2 buckets, have 4", "family \"test_histogram\""),
                Arguments.of(body(family("f", "", HISTOGRAM).msg(4, msg().msg(7, msg().dbl(4, 1).msg(9, span(0, 1)).sint(10, 1)))), 1,
                        "negative side: spans require 1 buckets, have 0", "family \"f\""));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedBodiesNameTheProblemAndTheFamily(byte[] body, int family, String problem, String where) {
        PrometheusProtobufParser p = new PrometheusProtobufParser(false, false);
        assertThatThrownBy(() -> parse(p, body))
                .isInstanceOfSatisfying(ExpositionParseException.class, e -> {
                    assertThat(e.lineNumber()).isEqualTo(family);
                    assertThat(e.reason()).contains(problem);
                    assertThat(e.getMessage()).contains(where);
                });
    }
}
