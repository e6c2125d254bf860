package io.caravan.scrape.parse;

import io.caravan.scrape.parse.ExpositionParser.Entry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenMetrics {@code _created} lines read as created timestamps, with the expectations of Prometheus' own
 * openmetricsparse_test.go (its start-timestamp cases, with {@code _created} series skipped): which series get which
 * created timestamp, which {@code _created} lines stay series, and that without the option nothing changes.
 */
class OpenMetricsCreatedTimestampTest {

    /** A series as the parser gives it: its raw text and created timestamp (0: none). */
    record Seen(String series, long createdMs) {
        @Override
        public String toString() {
            return series + " @" + createdMs;
        }
    }

    private static List<Seen> parse(boolean startTimestamps, String body) throws ExpositionParseException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        OpenMetricsParser p = new OpenMetricsParser(startTimestamps);
        p.reset(b, 0, b.length);
        List<Seen> seen = new ArrayList<>();
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            if (e == Entry.SERIES) {
                String raw = new String(b, p.seriesOffset(), p.seriesLength(), StandardCharsets.UTF_8);
                seen.add(new Seen(raw, p.createdTimestampMs()));
            }
        }
        return seen;
    }

    private static final String FAMILIES = """
            # HELP foo Counter with and without labels
            # TYPE foo counter
            foo_total 17.0 1520879607.789 # {id="counter-test"} 5
            foo_created 1520872607.123
            foo_total{a="b"} 17.0 1520879607.789 # {id="counter-test"} 5
            foo_created{a="b"} 1520872607.123
            foo_total{le="c"} 21.0
            foo_created{le="c"} 1520872621.123
            foo_total{le="1"} 10.0
            # HELP bar Summary with its _created line at the end, lines away
            # TYPE bar summary
            bar_count 17.0
            bar_sum 324789.3
            bar{quantile="0.95"} 123.7
            bar{quantile="0.99"} 150.0
            bar_created 1520872608.124
            # HELP baz Histogram likewise
            # TYPE baz histogram
            baz_bucket{le="0.0"} 0
            baz_bucket{le="+Inf"} 17
            baz_count 17
            baz_sum 324789.3
            baz_created 1520872609.125
            # HELP fizz_created A gauge: its _created name is its own
            # TYPE fizz_created gauge
            fizz_created 17.0
            # HELP something Histogram with _created between the sum and the buckets
            # TYPE something histogram
            something_count 18
            something_sum 324789.4
            something_created 1520430001
            something_bucket{le="0.0"} 1
            something_bucket{le="1"} 2
            something_bucket{le="+Inf"} 18
            # HELP yum Summary with _created between the sum and the quantiles
            # TYPE yum summary
            yum_count 20
            yum_sum 324789.5
            yum_created 1520430003
            yum{quantile="0.95"} 123.7
            yum{quantile="0.99"} 150.0
            # HELP foobar Summary with _created as its second line
            # TYPE foobar summary
            foobar_count 21
            foobar_created 1520430004
            foobar_sum 324789.6
            foobar{quantile="0.95"} 123.8
            foobar{quantile="0.99"} 150.1
            # EOF
            """;

    @Test
    void createdLinesGiveTheirSeriesStartTimestampsAsPrometheusReadsThem() throws Exception {
        assertThat(parse(true, FAMILIES)).containsExactly(
                new Seen("foo_total", 1520872607123L),
                new Seen("foo_total{a=\"b\"}", 1520872607123L),
                new Seen("foo_total{le=\"c\"}", 1520872621123L), // le is a label like any other in a counter
                new Seen("foo_total{le=\"1\"}", 0),
                new Seen("bar_count", 1520872608124L),
                new Seen("bar_sum", 1520872608124L),
                new Seen("bar{quantile=\"0.95\"}", 1520872608124L),
                new Seen("bar{quantile=\"0.99\"}", 1520872608124L),
                new Seen("baz_bucket{le=\"0.0\"}", 1520872609125L),
                new Seen("baz_bucket{le=\"+Inf\"}", 1520872609125L),
                new Seen("baz_count", 1520872609125L),
                new Seen("baz_sum", 1520872609125L),
                new Seen("fizz_created", 0), // a gauge's: a series
                new Seen("something_count", 1520430001000L),
                new Seen("something_sum", 1520430001000L),
                new Seen("something_bucket{le=\"0.0\"}", 1520430001000L), // after the _created line: still this series'
                new Seen("something_bucket{le=\"1\"}", 1520430001000L),
                new Seen("something_bucket{le=\"+Inf\"}", 1520430001000L),
                new Seen("yum_count", 1520430003000L),
                new Seen("yum_sum", 1520430003000L),
                new Seen("yum{quantile=\"0.95\"}", 1520430003000L),
                new Seen("yum{quantile=\"0.99\"}", 1520430003000L),
                new Seen("foobar_count", 1520430004000L),
                new Seen("foobar_sum", 1520430004000L),
                new Seen("foobar{quantile=\"0.95\"}", 1520430004000L),
                new Seen("foobar{quantile=\"0.99\"}", 1520430004000L));
    }

    @Test
    void withoutTheOptionCreatedLinesAreSeriesAndNoSeriesHasAStart() throws Exception {
        List<Seen> seen = parse(false, FAMILIES);
        assertThat(seen).extracting(Seen::series).contains("foo_created", "foo_created{a=\"b\"}", "bar_created", "baz_created",
                "something_created", "yum_created", "foobar_created");
        assertThat(seen).hasSize(34).allSatisfy(s -> assertThat(s.createdMs()).isZero());
    }

    @Test
    void aCreatedLineBeforeItsSeriesIsNotFound() throws Exception {
        // Prometheus' "_created line is a first one": the look ahead does not look back
        assertThat(parse(true, """
                # HELP thing histogram with _created as first line
                # TYPE thing histogram
                thing_created 1520872607.123
                thing_count 17
                thing_sum 324789.3
                thing_bucket{le="0.0"} 0
                thing_bucket{le="+Inf"} 17
                # HELP thing_c counter with _created as first line
                # TYPE thing_c counter
                thing_c_created 1520872607.123
                thing_c_total 14123.232
                # EOF
                """)).containsExactly(
                new Seen("thing_count", 0), new Seen("thing_sum", 0), new Seen("thing_bucket{le=\"0.0\"}", 0),
                new Seen("thing_bucket{le=\"+Inf\"}", 0), new Seen("thing_c_total", 0));
    }

    @Test
    void withoutATypeCreatedLinesStaySeries() throws Exception {
        assertThat(parse(true, """
                foo_total 17.0
                foo_created 1520872607.123
                foo_total{a="b"} 17.0
                foo_created{a="b"} 1520872608.123
                # EOF
                """)).containsExactly(new Seen("foo_total", 0), new Seen("foo_created", 0),
                new Seen("foo_total{a=\"b\"}", 0), new Seen("foo_created{a=\"b\"}", 0));
    }

    @Test
    void quotedUtf8NamesAndOtherLabelSets() throws Exception {
        assertThat(parse(true, """
                # TYPE "go.gc_duration_seconds" summary
                {"go.gc_duration_seconds",quantile="0"} 4.9351e-05
                {"go.gc_duration_seconds",quantile="0.25"} 7.424100000000001e-05
                {"go.gc_duration_seconds_created"} 1520872607.123
                {"go.gc_duration_seconds",quantile="0.5",a="b"} 8.3835e-05
                # EOF
                """)).containsExactly(
                new Seen("{\"go.gc_duration_seconds\",quantile=\"0\"}", 1520872607123L),
                new Seen("{\"go.gc_duration_seconds\",quantile=\"0.25\"}", 1520872607123L),
                new Seen("{\"go.gc_duration_seconds\",quantile=\"0.5\",a=\"b\"}", 0)); // a=b: another series
    }

    @Test
    void manySeriesWithoutCreatedLinesAreReadInOnePassEach() throws Exception {
        // the look ahead remembers where it found nothing, so 2,000 label sets of 12 buckets are not read again per bucket
        StringBuilder body = new StringBuilder("# TYPE h histogram\n");
        for (int s = 0; s < 2_000; s++) {
            for (int le = 0; le < 11; le++) {
                body.append("h_bucket{s=\"").append(s).append("\",le=\"").append(le).append("\"} ").append(le).append('\n');
            }
            body.append("h_bucket{s=\"").append(s).append("\",le=\"+Inf\"} 11\n");
        }
        body.append("# EOF\n");
        List<Seen> seen = parse(true, body.toString());
        assertThat(seen).hasSize(24_000).allSatisfy(s -> assertThat(s.createdMs()).isZero());
    }

    @Test
    void aClassicHistogramConvertedToNhcbTakesItsCreatedLineAsItsStart() throws Exception {
        // the _created line between the sum and the buckets no longer splits the group: it is no series
        byte[] b = """
                # TYPE something histogram
                something_count 18
                something_sum 324789.4
                something_created 1520430001
                something_bucket{le="0.0"} 1
                something_bucket{le="1"} 2
                something_bucket{le="+Inf"} 18
                # EOF
                """.getBytes(StandardCharsets.UTF_8);
        ExpositionParser p = new ExpositionOptions(null, false, false, 0, 0, true, true)
                .parserFor("application/openmetrics-text; version=1.0.0");
        p.reset(b, 0, b.length);
        List<Long> starts = new ArrayList<>();
        List<io.caravan.model.NativeHistogram> histograms = new ArrayList<>();
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            if (e == Entry.SERIES) {
                histograms.add(p.histogram());
                starts.add(p.createdTimestampMs());
            }
        }
        assertThat(histograms).hasSize(1);
        assertThat(histograms.get(0).count()).isEqualTo(18);
        assertThat(histograms.get(0).customValues()).containsExactly(0.0, 1.0);
        assertThat(starts).containsExactly(1520430001000L);
    }
}
