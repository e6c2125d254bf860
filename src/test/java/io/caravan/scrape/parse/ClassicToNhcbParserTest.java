package io.caravan.scrape.parse;

import static io.caravan.scrape.parse.MetricFamilyEncoder.GAUGE_HISTOGRAM;
import static io.caravan.scrape.parse.MetricFamilyEncoder.HISTOGRAM;
import static io.caravan.scrape.parse.MetricFamilyEncoder.body;
import static io.caravan.scrape.parse.MetricFamilyEncoder.bucket;
import static io.caravan.scrape.parse.MetricFamilyEncoder.exemplar;
import static io.caravan.scrape.parse.MetricFamilyEncoder.family;
import static io.caravan.scrape.parse.MetricFamilyEncoder.label;
import static io.caravan.scrape.parse.MetricFamilyEncoder.msg;
import static io.caravan.scrape.parse.MetricFamilyEncoder.timestamp;
import static io.caravan.scrape.parse.PrometheusProtobufParserTest.SUM;
import static io.caravan.scrape.parse.PrometheusProtobufParserTest.help;
import static io.caravan.scrape.parse.PrometheusProtobufParserTest.integerTestNative;
import static io.caravan.scrape.parse.PrometheusProtobufParserTest.native_;
import static io.caravan.scrape.parse.PrometheusProtobufParserTest.parse;
import static io.caravan.scrape.parse.PrometheusProtobufParserTest.series;
import static io.caravan.scrape.parse.PrometheusProtobufParserTest.type;
import static io.caravan.scrape.parse.PrometheusProtobufParserTest.withTestSpans;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.NativeHistogram;
import io.caravan.model.NativeHistogram.ResetHint;
import io.caravan.scrape.parse.ExpositionParser.Entry;
import io.caravan.scrape.parse.ExpositionParser.MetricType;
import io.caravan.scrape.parse.MetricFamilyEncoder.Msg;
import io.caravan.scrape.parse.PrometheusProtobufParserTest.Got;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prometheus' convert_classic_histograms_to_nhcb: the facts of util/convertnhcb/convertnhcb_test.go (TestNHCBConvert)
 * and of model/textparse/nhcbparse_test.go (the OpenMetrics input's histograms, MultipleHistograms, the requirement
 * table of NoNHCBWhenExponential for the three formats, ErrorHandling, ResetLastExponential,
 * NotCorruptMetricNameAfterRead), with Prometheus' own rules beyond those tests: text 0.0.4, labels, keep-classic,
 * inhibition, and the protobuf parser's conversion (gauge histograms, errors failing the parse).
 */
class ClassicToNhcbParserTest {

    static final String TEXT = "text/plain; version=0.0.4";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0";
    static final String PROTOBUF = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    static NativeHistogram nhcb(double count, double sum, int[] spans, double[] counts, double... bounds) {
        return new NativeHistogram(false, ResetHint.UNKNOWN, NativeHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, count, sum, null, null,
                spans, counts, bounds);
    }

    static NativeHistogram floatNhcb(double count, double sum, int[] spans, double[] counts, double... bounds) {
        return new NativeHistogram(true, ResetHint.UNKNOWN, NativeHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, count, sum, null, null,
                spans, counts, bounds);
    }

    static int[] spans(int... offsetsAndLengths) {
        return offsetsAndLengths;
    }

    static double[] counts(double... counts) {
        return counts;
    }

    static Exemplar ex(String id, double value) {
        return new Exemplar(Labels.of("id", id), value, Exemplar.NO_TIMESTAMP);
    }

    static Exemplar ex(String id, double value, long ts) {
        return new Exemplar(Labels.of("id", id), value, ts);
    }

    static ExpositionParser parser(String contentType, boolean keepClassic) {
        return new ExpositionOptions(null, true, keepClassic, 0, 0, false, true).parserFor(contentType);
    }

    static List<Got> parseText(String contentType, boolean keepClassic, String body) throws ExpositionParseException {
        return parse(parser(contentType, keepClassic), body.getBytes(StandardCharsets.UTF_8));
    }

    // convertnhcb_test.go's TestNHCBConvert, and the converter's other rules

    static Stream<Arguments> conversions() {
        double inf = Double.POSITIVE_INFINITY;
        return Stream.of(
                Arguments.of("empty", (Consumer<ClassicHistogramConverter>) h -> {
                }, nhcb(0, 0, spans(), counts())),
                Arguments.of("sum only", (Consumer<ClassicHistogramConverter>) h -> h.sum(1000.25),
                        nhcb(0, 1000.25, spans(), counts())),
                Arguments.of("single integer bucket", (Consumer<ClassicHistogramConverter>) h -> {
                    h.sum(1000.25);
                    h.bucket(0.5, 1000);
                }, nhcb(1000, 1000.25, spans(0, 1), counts(1000), 0.5)),
                Arguments.of("single float bucket", (Consumer<ClassicHistogramConverter>) h -> {
                    h.sum(1000.25);
                    h.bucket(0.5, 1337.42);
                }, floatNhcb(1337.42, 1000.25, spans(0, 1), counts(1337.42), 0.5)),
                Arguments.of("happy case integer bucket", (Consumer<ClassicHistogramConverter>) h -> {
                    h.count(1000);
                    h.sum(1000.25);
                    h.bucket(0.5, 50);
                    h.bucket(1.0, 950);
                    h.bucket(inf, 1000);
                }, nhcb(1000, 1000.25, spans(0, 3), counts(50, 900, 50), 0.5, 1.0)),
                Arguments.of("happy case float bucket", (Consumer<ClassicHistogramConverter>) h -> {
                    h.count(1000);
                    h.sum(1000.25);
                    h.bucket(0.5, 50);
                    h.bucket(1.0, 950.5);
                    h.bucket(inf, 1000);
                }, floatNhcb(1000, 1000.25, spans(0, 3), counts(50, 900.5, 49.5), 0.5, 1.0)),
                Arguments.of("mixed order", (Consumer<ClassicHistogramConverter>) h -> {
                    h.bucket(0.5, 50);
                    h.bucket(inf, 1000);
                    h.bucket(1.0, 950);
                    h.count(1000);
                    h.sum(1000.25);
                }, nhcb(1000, 1000.25, spans(0, 3), counts(50, 900, 50), 0.5, 1.0)),
                Arguments.of("a bound seen twice keeps its first count", (Consumer<ClassicHistogramConverter>) h -> {
                    h.bucket(1, 5);
                    h.bucket(1, 7);
                    h.bucket(2, 6);
                    h.bucket(2, 4);
                }, nhcb(6, 0, spans(0, 2), counts(5, 1), 1, 2)),
                Arguments.of("a whole count with a fractional _count makes float counts", (Consumer<ClassicHistogramConverter>) h -> {
                    h.bucket(1, 2);
                    h.count(2.5);
                }, floatNhcb(2.5, 0, spans(0, 2), counts(2, 0.5), 1)),
                Arguments.of("integer counts: Compact(2) keeps up to two empty buckets inside, cuts three and the ends",
                        (Consumer<ClassicHistogramConverter>) h -> {
                            double[] cumulative = {0, 0, 1, 1, 1, 4, 4, 4, 4, 9};
                            for (int i = 0; i < cumulative.length; i++) {
                                h.bucket(i, cumulative[i]);
                            }
                        }, nhcb(9, 0, spans(2, 4, 3, 1), counts(1, 0, 0, 3, 5), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)),
                Arguments.of("float counts: Compact(0) cuts every empty bucket", (Consumer<ClassicHistogramConverter>) h -> {
                    double[] cumulative = {0, 0, 1.5, 1.5, 1.5, 4.5, 4.5, 4.5, 4.5, 9.5};
                    for (int i = 0; i < cumulative.length; i++) {
                        h.bucket(i, cumulative[i]);
                    }
                }, floatNhcb(9.5, 0, spans(2, 1, 2, 1, 3, 1), counts(1.5, 3, 5), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)),
                Arguments.of("a -Inf bound is a bound", (Consumer<ClassicHistogramConverter>) h -> {
                    h.bucket(Double.NEGATIVE_INFINITY, 1);
                    h.bucket(inf, 3);
                }, nhcb(3, 0, spans(0, 2), counts(1, 2), Double.NEGATIVE_INFINITY)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conversions")
    void convertsAsPrometheusConverts(String name, Consumer<ClassicHistogramConverter> setup, NativeHistogram expected) {
        ClassicHistogramConverter c = new ClassicHistogramConverter();
        setup.accept(c);
        assertThat(c.convert(ResetHint.UNKNOWN)).isEqualTo(expected);
        assertThat(c.error()).isNull();
    }

    static Stream<Arguments> refusals() {
        double inf = Double.POSITIVE_INFINITY;
        return Stream.of(
                Arguments.of("non cumulative bucket", (Consumer<ClassicHistogramConverter>) h -> {
                    h.count(1000);
                    h.sum(1000.25);
                    h.bucket(0.5, 50);
                    h.bucket(1.0, 950);
                    h.bucket(inf, 900);
                }, "count is not cumulative"),
                Arguments.of("non cumulative, inserted out of order", (Consumer<ClassicHistogramConverter>) h -> {
                    h.bucket(0.5, 50);
                    h.bucket(inf, 100);
                    h.bucket(1.0, 150);
                }, "count is not cumulative: 150.0 > 100.0"),
                Arguments.of("negative count", (Consumer<ClassicHistogramConverter>) h -> {
                    h.count(-1000);
                    h.sum(1000.25);
                    h.bucket(0.5, 50);
                    h.bucket(1.0, 950);
                    h.bucket(inf, 900);
                }, "count must be non-negative"),
                Arguments.of("negative bucket count", (Consumer<ClassicHistogramConverter>) h -> h.bucket(0.5, -1),
                        "bucket count must be non-negative"),
                Arguments.of("NaN bucket upper bound", (Consumer<ClassicHistogramConverter>) h -> {
                    h.bucket(1.0, 5);
                    h.bucket(Double.NaN, 10);
                }, "bucket boundary must not be NaN"),
                Arguments.of("NaN as the first bound too", (Consumer<ClassicHistogramConverter>) h -> h.bucket(Double.NaN, 1),
                        "bucket boundary must not be NaN"),
                Arguments.of("count mismatch", (Consumer<ClassicHistogramConverter>) h -> {
                    h.bucket(1.0, 5);
                    h.bucket(inf, 9);
                    h.count(10);
                }, "count mismatch"),
                Arguments.of("NaN count", (Consumer<ClassicHistogramConverter>) h -> {
                    h.bucket(inf, 9);
                    h.count(Double.NaN);
                }, "count mismatch"),
                Arguments.of("a count below a bucket's, without +Inf bucket: a negative bucket, as Validate refuses",
                        (Consumer<ClassicHistogramConverter>) h -> {
                            h.bucket(1.0, 5);
                            h.count(3);
                        }, "bucket 2 has observation count of -2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWhatPrometheusRefuses(String name, Consumer<ClassicHistogramConverter> setup, String error) {
        ClassicHistogramConverter c = new ClassicHistogramConverter();
        setup.accept(c);
        assertThat(c.convert(ResetHint.UNKNOWN)).isNull();
        assertThat(c.error()).contains(error);
        c.reset();
        c.bucket(1, 1);
        assertThat(c.convert(ResetHint.UNKNOWN)).as("reset clears the error").isEqualTo(nhcb(1, 0, spans(0, 1), counts(1), 1));
    }

    // nhcbparse_test.go: the OpenMetrics input of TestNHCBParserOnOMParser, its histogram families

    @Test
    void openMetricsHistogramsBecomeNhcbsGaugeHistogramsStayClassic() throws Exception {
        String body = """
                # HELP go_goroutines Number of goroutines that currently exist.
                # TYPE go_goroutines gauge
                go_goroutines 33 123.123
                # TYPE hh histogram
                hh_bucket{le="+Inf"} 1
                # TYPE gh gaugehistogram
                gh_bucket{le="+Inf"} 1
                # TYPE hhh histogram
                hhh_bucket{le="+Inf"} 1 # {id="histogram-bucket-test"} 4
                hhh_count 1 # {id="histogram-count-test"} 4
                # TYPE ggh gaugehistogram
                ggh_bucket{le="+Inf"} 1 # {id="gaugehistogram-bucket-test",xx="yy"} 4 123.123
                ggh_count 1 # {id="gaugehistogram-count-test",xx="yy"} 4 123.123
                # TYPE smr_seconds summary
                smr_seconds_count 2.0 # {id="summary-count-test"} 1 123.321
                smr_seconds_sum 42.0 # {id="summary-sum-test"} 1 123.321
                # HELP baz Histogram with the same objective as above's summary
                # TYPE baz histogram
                baz_bucket{le="0.0"} 0
                baz_bucket{le="+Inf"} 17
                baz_count 17
                baz_sum 324789.3
                # EOF
                """;
        assertThat(parseText(OPENMETRICS, false, body)).containsExactly(
                help("go_goroutines", "Number of goroutines that currently exist."),
                type("go_goroutines", MetricType.GAUGE),
                series(33, "__name__", "go_goroutines").at(123123),
                type("hh", MetricType.HISTOGRAM),
                native_(nhcb(1, 0, spans(0, 1), counts(1)), "__name__", "hh"), // no bound: +Inf is not stored
                type("gh", MetricType.GAUGEHISTOGRAM),
                series(1, "__name__", "gh_bucket", "le", "+Inf"),
                type("hhh", MetricType.HISTOGRAM),
                native_(nhcb(1, 0, spans(0, 1), counts(1)), "__name__", "hhh")
                        .with(ex("histogram-bucket-test", 4), ex("histogram-count-test", 4)),
                type("ggh", MetricType.GAUGEHISTOGRAM),
                series(1, "__name__", "ggh_bucket", "le", "+Inf").with(new Exemplar(
                        Labels.of("id", "gaugehistogram-bucket-test", "xx", "yy"), 4, 123123)),
                series(1, "__name__", "ggh_count").with(new Exemplar(
                        Labels.of("id", "gaugehistogram-count-test", "xx", "yy"), 4, 123123)),
                type("smr_seconds", MetricType.SUMMARY),
                series(2, "__name__", "smr_seconds_count").with(ex("summary-count-test", 1, 123321)),
                series(42, "__name__", "smr_seconds_sum").with(ex("summary-sum-test", 1, 123321)),
                help("baz", "Histogram with the same objective as above's summary"),
                type("baz", MetricType.HISTOGRAM),
                // the first bucket is empty: not stored, the span starts at 1
                native_(nhcb(17, 324789.3, spans(1, 1), counts(17), 0.0), "__name__", "baz"));
    }

    @Test
    void multipleHistogramsOfOneFamilyEachWithTheirExemplars() throws Exception {
        String body = """
                # HELP something Histogram with _created between buckets and summary
                # TYPE something histogram
                something_count 18
                something_sum 324789.4
                something_bucket{le="0.0"} 1 # {id="something-test"} -2.0
                something_bucket{le="1.0"} 16 # {id="something-test"} 0.5
                something_bucket{le="+Inf"} 18 # {id="something-test"} 8
                something_count{a="b"} 9
                something_sum{a="b"} 42123.0
                something_bucket{a="b",le="0.0"} 8 # {id="something-test"} 0.0 123.321
                something_bucket{a="b",le="1.0"} 8
                something_bucket{a="b",le="+Inf"} 9 # {id="something-test"} 2e100 123.000
                # EOF
                """;
        assertThat(parseText(OPENMETRICS, false, body)).containsExactly(
                help("something", "Histogram with _created between buckets and summary"),
                type("something", MetricType.HISTOGRAM),
                native_(nhcb(18, 324789.4, spans(0, 3), counts(1, 15, 2), 0.0, 1.0), "__name__", "something")
                        .with(ex("something-test", -2.0), ex("something-test", 0.5), ex("something-test", 8.0)),
                // the empty middle bucket stays: integer counts are compacted as Compact(2)
                native_(nhcb(9, 42123.0, spans(0, 3), counts(8, 0, 1), 0.0, 1.0), "__name__", "something", "a", "b")
                        .with(ex("something-test", 0.0, 123321), ex("something-test", 2e100, 123000)));
    }

    @Test
    void aGroupThatCannotBeConvertedGivesNoNhcbAndItsClassicSeriesStillGo() throws Exception {
        String body = """
                # HELP something Histogram with non cumulative buckets
                # TYPE something histogram
                something_count 18
                something_sum 324789.4
                something_bucket{le="0.0"} 18
                something_bucket{le="+Inf"} 1
                something_count{a="b"} 9
                something_sum{a="b"} 42123
                something_bucket{a="b",le="0.0"} 1
                something_bucket{a="b",le="+Inf"} 9
                # EOF
                """;
        assertThat(parseText(OPENMETRICS, false, body)).containsExactly(
                help("something", "Histogram with non cumulative buckets"),
                type("something", MetricType.HISTOGRAM),
                native_(nhcb(9, 42123.0, spans(0, 2), counts(1, 8), 0.0), "__name__", "something", "a", "b"));
        assertThat(parseText(OPENMETRICS, true, body)).as("kept, the classic series are there either way").containsExactly(
                help("something", "Histogram with non cumulative buckets"),
                type("something", MetricType.HISTOGRAM),
                series(18, "__name__", "something_count"),
                series(324789.4, "__name__", "something_sum"),
                series(18, "__name__", "something_bucket", "le", "0.0"),
                series(1, "__name__", "something_bucket", "le", "+Inf"),
                series(9, "__name__", "something_count", "a", "b"),
                series(42123, "__name__", "something_sum", "a", "b"),
                series(1, "__name__", "something_bucket", "a", "b", "le", "0.0"),
                series(9, "__name__", "something_bucket", "a", "b", "le", "+Inf"),
                native_(nhcb(9, 42123.0, spans(0, 2), counts(1, 8), 0.0), "__name__", "something", "a", "b"));
    }

    // nhcbparse_test.go's TestNHCBParser_NoNHCBWhenExponential: Prometheus' requirement table (issue 13532)

    static final double[] BOUNDS = {-0.0004899999999999998, -0.0003899999999999998, -0.0002899999999999998};
    static final String[] LE = {"-0.0004899999999999998", "-0.0003899999999999998", "-0.0002899999999999998", "+Inf"};
    static final long TS = 1234568;

    /** Case 1 only classic, case 2 both, case 3 only exponential; start timestamp 1.000000001s, as Prometheus' input. */
    static Msg requirementFamily(int n) {
        return testFamily("test_histogram" + n, "Test histogram " + n, n != 3, n != 1);
    }

    static Msg testFamily(String name, String help, boolean classic, boolean exponential) {
        Msg h = msg().msg(15, timestamp(1, 1)).varint(1, 175).dbl(2, SUM);
        if (classic) {
            long[] cumulative = {2, 4, 16};
            for (int i = 0; i < 3; i++) {
                h.msg(3, bucket(cumulative[i], BOUNDS[i]));
            }
        }
        if (exponential) {
            withTestSpans(h).varint(7, 2).packedSint(10, 1, 3, -2, -1, 1).packedSint(13, 1, 2, -1, -1);
        }
        return family(name, help, HISTOGRAM).msg(4, msg().msg(7, h).varint(6, TS));
    }

    static final String OPENMETRICS_CASE_1 = """
            # HELP test_histogram1 Test histogram 1
            # TYPE test_histogram1 histogram
            test_histogram1_count 175 1234.568
            test_histogram1_sum 0.0008280461746287094 1234.568
            test_histogram1_bucket{le="-0.0004899999999999998"} 2 1234.568
            test_histogram1_bucket{le="-0.0003899999999999998"} 4 1234.568
            test_histogram1_bucket{le="-0.0002899999999999998"} 16 1234.568
            test_histogram1_bucket{le="+Inf"} 175 1234.568
            # EOF
            """;

    static final String TEXT_CASE_1 = """
            # HELP test_histogram1 Test histogram 1
            # TYPE test_histogram1 histogram
            test_histogram1_count 175 1234568
            test_histogram1_sum 0.0008280461746287094 1234568
            test_histogram1_bucket{le="-0.0004899999999999998"} 2 1234568
            test_histogram1_bucket{le="-0.0003899999999999998"} 4 1234568
            test_histogram1_bucket{le="-0.0002899999999999998"} 16 1234568
            test_histogram1_bucket{le="+Inf"} 175 1234568
            """;

    static Stream<Arguments> requirementTable() {
        List<Arguments> out = new ArrayList<>();
        for (String format : List.of(PROTOBUF, OPENMETRICS, TEXT)) {
            for (boolean classic : new boolean[]{false, true}) {
                for (boolean nhcb : new boolean[]{false, true}) {
                    out.add(Arguments.of(format, classic, nhcb));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} classic={1} nhcb={2}")
    @MethodSource("requirementTable")
    void prometheusRequirementTable(String format, boolean classic, boolean nhcb) throws Exception {
        boolean protobuf = format.equals(PROTOBUF);
        byte[] body = protobuf ? body(requirementFamily(1), requirementFamily(2), requirementFamily(3))
                : (format.equals(OPENMETRICS) ? OPENMETRICS_CASE_1 : TEXT_CASE_1).getBytes(StandardCharsets.UTF_8);
        long created = protobuf ? 1000 : 0;
        List<Got> expected = new ArrayList<>();
        for (int n = 1; n <= (protobuf ? 3 : 1); n++) {
            String metric = "test_histogram" + n;
            boolean expectClassic = n == 1 ? !nhcb || classic : n == 2 && classic;
            boolean expectExponential = n != 1;
            boolean expectNhcb = n == 1 && nhcb;
            expected.add(help(metric, "Test histogram " + n));
            expected.add(type(metric, MetricType.HISTOGRAM));
            if (expectExponential) {
                expected.add(native_(integerTestNative(ResetHint.UNKNOWN), "__name__", metric).at(TS).created(created));
            }
            if (expectClassic) {
                expected.add(series(175, "__name__", metric + "_count").at(TS).created(created));
                expected.add(series(SUM, "__name__", metric + "_sum").at(TS).created(created));
                double[] cumulative = {2, 4, 16, 175};
                for (int i = 0; i < 4; i++) {
                    expected.add(series(cumulative[i], "__name__", metric + "_bucket", "le", LE[i]).at(TS).created(created));
                }
            }
            if (expectNhcb) {
                expected.add(native_(nhcb(175, SUM, spans(0, 4), counts(2, 2, 12, 159), BOUNDS), "__name__", metric)
                        .at(TS).created(created));
            }
        }
        ExpositionParser p = new ExpositionOptions(null, true, classic, 0, 0, false, nhcb).parserFor(format);
        assertThat(parse(p, body)).containsExactlyElementsOf(expected);
    }

    // text 0.0.4: what makes a group and what does not

    @Test
    void textGroupsAreContiguousSeriesWithTheSameLabelsButLe() throws Exception {
        String body = """
                # TYPE foo histogram
                foo_bucket{a="1",le="0.5"} 1 1000
                foo_bucket{a="1",le="NaN"} 7 1000
                foo_bucket{a="1"} 3 1000
                foo{a="1"} 5 1000
                foo_bucket{a="1",le="+Inf"} 2 1000
                foo_count{a="1"} 2 1000
                foo_sum{a="1"} 0.75 1000
                foo_bucket{a="2",le="+Inf"} 1
                bar 4 5000
                # TYPE foo_seconds histogram
                foo_seconds_bucket{le="1"} 1
                foo_bucket{le="+Inf"} 1
                """;
        NativeHistogram a1 = nhcb(2, 0.75, spans(0, 2), counts(1, 1), 0.5);
        NativeHistogram a2 = nhcb(1, 0, spans(0, 1), counts(1));
        NativeHistogram seconds = nhcb(1, 0, spans(0, 1), counts(1), 1.0);
        assertThat(parseText(TEXT, false, body)).containsExactly(
                type("foo", MetricType.HISTOGRAM),
                // no le that is a number other than NaN, or no _bucket/_count/_sum suffix: passed on, the group goes on
                series(7, "__name__", "foo_bucket", "a", "1", "le", "NaN").at(1000),
                series(3, "__name__", "foo_bucket", "a", "1").at(1000),
                series(5, "__name__", "foo", "a", "1").at(1000),
                // other labels end the group; it has its last series' timestamp
                native_(a1, "__name__", "foo", "a", "1").at(1000),
                // bar is not of the family TYPE named: it ends the group and stays a plain series
                native_(a2, "__name__", "foo", "a", "2"),
                series(4, "__name__", "bar").at(5000),
                type("foo_seconds", MetricType.HISTOGRAM),
                native_(seconds, "__name__", "foo_seconds"),
                // foo_bucket is not of the foo_seconds family
                series(1, "__name__", "foo_bucket", "le", "+Inf"));
        assertThat(parseText(TEXT, true, body)).containsExactly(
                type("foo", MetricType.HISTOGRAM),
                series(1, "__name__", "foo_bucket", "a", "1", "le", "0.5").at(1000),
                series(7, "__name__", "foo_bucket", "a", "1", "le", "NaN").at(1000),
                series(3, "__name__", "foo_bucket", "a", "1").at(1000),
                series(5, "__name__", "foo", "a", "1").at(1000),
                series(2, "__name__", "foo_bucket", "a", "1", "le", "+Inf").at(1000),
                series(2, "__name__", "foo_count", "a", "1").at(1000),
                series(0.75, "__name__", "foo_sum", "a", "1").at(1000),
                native_(a1, "__name__", "foo", "a", "1").at(1000),
                series(1, "__name__", "foo_bucket", "a", "2", "le", "+Inf"),
                native_(a2, "__name__", "foo", "a", "2"),
                series(4, "__name__", "bar").at(5000),
                type("foo_seconds", MetricType.HISTOGRAM),
                series(1, "__name__", "foo_seconds_bucket", "le", "1.0"),
                native_(seconds, "__name__", "foo_seconds"),
                series(1, "__name__", "foo_bucket", "le", "+Inf"));
    }

    @Test
    void anyOtherEntryEndsAGroupAndIsGivenWholeAfterTheNhcb() throws Exception {
        // nhcbparse_test.go's TestNHCBNotCorruptMetricNameAfterRead, for the text formats
        String body = """
                # HELP test_histogram_seconds Just a test histogram
                # TYPE test_histogram_seconds histogram
                test_histogram_seconds_count 10
                test_histogram_seconds_sum 100
                test_histogram_seconds_bucket{le="10"} 10
                test_histogram_seconds_bucket{le="+Inf"} 10
                # HELP different_metric Just a different metric
                # TYPE different_metric histogram
                different_metric_count 5
                different_metric_sum 50
                different_metric_bucket{le="10"} 5
                different_metric_bucket{le="+Inf"} 5
                """;
        for (String format : List.of(TEXT, OPENMETRICS)) {
            String formatBody = format.equals(OPENMETRICS) ? body + "# EOF\n" : body;
            assertThat(parseText(format, false, formatBody)).as(format).containsExactly(
                    help("test_histogram_seconds", "Just a test histogram"),
                    type("test_histogram_seconds", MetricType.HISTOGRAM),
                    native_(nhcb(10, 100, spans(0, 1), counts(10), 10.0), "__name__", "test_histogram_seconds"),
                    help("different_metric", "Just a different metric"),
                    type("different_metric", MetricType.HISTOGRAM),
                    native_(nhcb(5, 50, spans(0, 1), counts(5), 10.0), "__name__", "different_metric"));
        }
    }

    @Test
    void theNhcbHasASeriesKeyOfItsOwnAndNoFamilyAccessors() throws Exception {
        ExpositionParser p = parser(TEXT, false);
        byte[] body = "# TYPE h histogram\nh_bucket{b=\"x\",a=\"é\",le=\"+Inf\"} 1\nh_bucket{le=\"+Inf\"} 2\n".getBytes(StandardCharsets.UTF_8);
        p.reset(body, 0, body.length);
        assertThat(p.next()).isEqualTo(Entry.TYPE);
        List<String> keys = new ArrayList<>();
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            assertThat(e).isEqualTo(Entry.SERIES);
            assertThat(p.seriesBuffer()).isNotSameAs(body);
            keys.add(new String(p.seriesBuffer(), p.seriesOffset(), p.seriesLength(), StandardCharsets.UTF_8));
            assertThatThrownBy(p::metricFamily).isInstanceOf(IllegalStateException.class);
        }
        assertThat(keys).containsExactly("h\uFFFDa\uFFFDé\uFFFDb\uFFFDx\uFFFD", "h\uFFFD");
    }

    // a wrapped parser with native histograms (Prometheus' NHCBParser around its protobuf parser before 3.7)

    @Test
    void aNativeHistogramInhibitsConversionOfTheClassicSeriesWithItsLabels() throws Exception {
        Msg inhibited = family("inhibited", "", HISTOGRAM).msg(4, msg().msg(7,
                withTestSpans(msg().msg(15, timestamp(5, 0)).varint(1, 175).dbl(2, SUM).msg(3, bucket(2, 1)))
                        .varint(7, 2).packedSint(10, 1, 3, -2, -1, 1).packedSint(13, 1, 2, -1, -1)));
        Msg converted = family("converted", "", HISTOGRAM).msg(4, msg().msg(1, label("foo", "bar"))
                .msg(7, msg().msg(15, timestamp(7, 0)).varint(1, 3).dbl(2, 4).msg(3, bucket(1, 1))));
        Msg mixed = family("mixed", "", HISTOGRAM)
                .msg(4, msg().msg(1, label("m", "classic")).msg(7, msg().varint(1, 3).dbl(2, 4).msg(3, bucket(1, 1))))
                .msg(4, msg().msg(1, label("m", "native")).msg(7, msg().varint(1, 0).msg(12, span0())));
        ExpositionParser p = new ClassicToNhcbParser(new PrometheusProtobufParser(false, true), false);
        assertThat(parse(p, body(inhibited, converted, mixed))).containsExactly(
                help("inhibited", ""), type("inhibited", MetricType.HISTOGRAM),
                native_(integerTestNative(ResetHint.UNKNOWN), "__name__", "inhibited").created(5000),
                // the native histogram's own classic series: passed on as they are, even when classic series are not kept
                series(175, "__name__", "inhibited_count").created(5000),
                series(SUM, "__name__", "inhibited_sum").created(5000),
                series(2, "__name__", "inhibited_bucket", "le", "1.0").created(5000),
                series(175, "__name__", "inhibited_bucket", "le", "+Inf").created(5000),
                help("converted", ""), type("converted", MetricType.HISTOGRAM),
                // created: what the wrapped parser gave at the group's first series
                native_(nhcb(3, 4, spans(0, 2), counts(1, 2), 1.0), "__name__", "converted", "foo", "bar").created(7000),
                help("mixed", ""), type("mixed", MetricType.HISTOGRAM),
                // a native histogram ends the group being collected like any other series
                native_(nhcb(3, 4, spans(0, 2), counts(1, 2), 1.0), "__name__", "mixed", "m", "classic"),
                native_(new NativeHistogram(false, ResetHint.UNKNOWN, 0, 0, 0, 0, 0, null, null, null, null, null),
                        "__name__", "mixed", "m", "native"));
    }

    static Msg span0() {
        return MetricFamilyEncoder.span(0, 0);
    }

    // the protobuf parser's own conversion (Prometheus 3.7 on)

    @Test
    void protobufResetsAfterAnExponentialHistogram() throws Exception {
        // nhcbparse_test.go's TestNHCBParserResetLastExponential
        byte[] body = body(testFamily("test_histogram1", "Test histogram 1", false, true),
                testFamily("test_histogram2", "Test histogram 2", true, false));
        List<Got> got = parse(new ExpositionOptions(null, true, false, 0, 0, false, true).parserFor(PROTOBUF), body);
        assertThat(got).containsExactly(
                help("test_histogram1", "Test histogram 1"), type("test_histogram1", MetricType.HISTOGRAM),
                native_(integerTestNative(ResetHint.UNKNOWN), "__name__", "test_histogram1").at(TS).created(1000),
                help("test_histogram2", "Test histogram 2"), type("test_histogram2", MetricType.HISTOGRAM),
                native_(nhcb(175, SUM, spans(0, 4), counts(2, 2, 12, 159), BOUNDS), "__name__", "test_histogram2").at(TS).created(1000));
    }

    @Test
    void protobufConvertsGaugeHistogramsFloatCountsAndEveryBucket() throws Exception {
        Msg gauge = family("g", "", GAUGE_HISTOGRAM).msg(4, msg().msg(7, msg().varint(1, 3).dbl(2, 1.5).msg(3, bucket(1, 1))));
        Msg floats = family("f", "", HISTOGRAM).msg(4, msg().msg(7, msg().dbl(4, 2.5).dbl(2, 1)
                .msg(3, msg().dbl(4, 0.5).dbl(2, 1)).msg(3, msg().dbl(4, 2.5).dbl(2, 2))));
        // the classic series stop at the first +Inf bucket; the NHCB is made of all of them, as Prometheus makes it
        Msg afterInf = family("i", "", HISTOGRAM).msg(4, msg().msg(7, msg().varint(1, 3).dbl(2, 1)
                .msg(3, bucket(1, 0.5)).msg(3, bucket(3, Double.POSITIVE_INFINITY)).msg(3, bucket(2, 7))));
        ExpositionParser p = new ExpositionOptions(null, false, true, 0, 0, false, true).parserFor(PROTOBUF);
        assertThat(parse(p, body(gauge, floats, afterInf))).containsExactly(
                help("g", ""), type("g", MetricType.GAUGEHISTOGRAM),
                series(3, "__name__", "g_count"), series(1.5, "__name__", "g_sum"),
                series(1, "__name__", "g_bucket", "le", "1.0"), series(3, "__name__", "g_bucket", "le", "+Inf"),
                native_(new NativeHistogram(false, ResetHint.GAUGE, NativeHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 3, 1.5, null, null,
                        spans(0, 2), counts(1, 2), new double[]{1}), "__name__", "g"),
                help("f", ""), type("f", MetricType.HISTOGRAM),
                series(2.5, "__name__", "f_count"), series(1, "__name__", "f_sum"),
                series(0.5, "__name__", "f_bucket", "le", "1.0"), series(2.5, "__name__", "f_bucket", "le", "2.0"),
                series(2.5, "__name__", "f_bucket", "le", "+Inf"),
                native_(floatNhcb(2.5, 1, spans(0, 2), counts(0.5, 2), 1, 2), "__name__", "f"),
                help("i", ""), type("i", MetricType.HISTOGRAM),
                series(3, "__name__", "i_count"), series(1, "__name__", "i_sum"),
                series(1, "__name__", "i_bucket", "le", "0.5"), series(3, "__name__", "i_bucket", "le", "+Inf"),
                native_(nhcb(3, 1, spans(0, 3), counts(1, 1, 1), 0.5, 7), "__name__", "i"));
    }

    @Test
    void protobufNhcbTakesTheBucketExemplarsWithATimestampAndHasTheNativeKey() throws Exception {
        Msg h = family("e", "", HISTOGRAM).msg(4, msg().msg(1, label("x", "y")).msg(7, msg().varint(1, 4).dbl(2, 2)
                .msg(3, bucket(1, 1).msg(3, exemplar("id", "timed", 0.5, timestamp(10, 5_000_000))))
                .msg(3, bucket(4, 2).msg(3, exemplar("id", "untimed", 1.5, null)))));
        ExpositionParser p = new ExpositionOptions(null, false, false, 0, 0, false, true).parserFor(PROTOBUF);
        List<String> keys = new ArrayList<>();
        assertThat(parse(p, body(h), keys)).containsExactly(
                help("e", ""), type("e", MetricType.HISTOGRAM),
                native_(nhcb(4, 2, spans(0, 2), counts(1, 3), 1, 2), "__name__", "e", "x", "y").with(ex("timed", 0.5, 10_005)));
        assertThat(keys).containsExactly("e\u00ffx\u00ffy\u00fe");
    }

    static Stream<Arguments> protobufRefusals() {
        return Stream.of(
                Arguments.of(msg().varint(1, 3).msg(3, bucket(1, Double.NaN)), "bucket boundary must not be NaN"),
                Arguments.of(msg().varint(1, 3).msg(3, bucket(2, 1)).msg(3, bucket(1, 2)), "count is not cumulative"),
                Arguments.of(msg().varint(1, 3).msg(3, bucket(2, 1)).msg(3, bucket(4, Double.POSITIVE_INFINITY)), "count mismatch"),
                Arguments.of(msg().dbl(4, -1).msg(3, bucket(2, 1)), "count must be non-negative"),
                Arguments.of(msg().varint(1, 1).msg(3, bucket(5, 1)), "bucket 2 has observation count of -4"));
    }

    @ParameterizedTest
    @MethodSource("protobufRefusals")
    void aProtobufHistogramThatCannotBeConvertedFailsTheParse(Msg histogram, String problem) {
        byte[] body = body(family("bad", "", HISTOGRAM).msg(4, msg().msg(7, histogram)));
        for (boolean keep : new boolean[]{false, true}) {
            ExpositionParser p = new ExpositionOptions(null, false, keep, 0, 0, false, true).parserFor(PROTOBUF);
            assertThatThrownBy(() -> parse(p, body)).isInstanceOfSatisfying(ExpositionParseException.class, e -> {
                assertThat(e.reason()).contains("histogram \"bad\": " + problem);
                assertThat(e.getMessage()).contains("family \"bad\", metric 1");
            });
        }
    }

    @Test
    void offByDefault() {
        assertThat(ExpositionOptions.DEFAULT.convertClassicHistogramsToNhcb()).isFalse();
        assertThat(ExpositionOptions.DEFAULT.parserFor(TEXT)).isInstanceOf(PrometheusTextParser.class);
        assertThat(new ExpositionOptions(null, false, false, 0, 0, false, true).parserFor(OPENMETRICS)).isInstanceOf(ClassicToNhcbParser.class);
        assertThat(new ExpositionOptions(null, false, false, 0, 0, false, true).parserFor(PROTOBUF)).isInstanceOf(PrometheusProtobufParser.class);
    }
}
