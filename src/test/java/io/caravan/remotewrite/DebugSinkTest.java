package io.caravan.remotewrite;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.MetricMetadata;
import io.caravan.model.NativeHistogram;
import io.caravan.model.Sample;
import io.caravan.scrape.parse.ExpositionParser;
import io.caravan.scrape.parse.PrometheusTextParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The debug sink's page: the latest sample per series in the text format, what the format cannot hold as comments. */
class DebugSinkTest {

    @Test
    void metadataHistogramsExemplarsAndCreatedTimestampsShowInAValidPage() throws Exception {
        DebugSink sink = new DebugSink("mimir", Labels.of("cluster", "east"), 100);
        NativeHistogram h = new NativeHistogram(false, NativeHistogram.ResetHint.UNKNOWN, 0, 0, 0, 3, 4.5, null, null,
                new int[]{0, 1}, new double[]{3}, null);
        sink.accept(List.of(
                new Sample(Labels.of("__name__", "req_total", "code", "200"), 1_000, 7, null,
                        List.of(new Exemplar(Labels.of("trace_id", "abc"), 0.5, 900)), 500),
                Sample.ofHistogram(Labels.of("__name__", "latency_seconds"), 1_000, h),
                new Sample(Labels.of("__name__", "gone"), 1_000, 1)));
        sink.accept(List.of(new Sample(Labels.of("__name__", "gone"), 2_000, Sample.STALE_NAN)));
        sink.acceptMetadata(List.of(new MetricMetadata("req", MetricMetadata.Type.COUNTER, "Requests\nserved.", ""),
                new MetricMetadata("latency_seconds", MetricMetadata.Type.HISTOGRAM, "", "seconds")));
        String page = sink.render();
        assertThat(page.lines().skip(1)).containsExactly(
                "# TYPE latency_seconds histogram",
                "# unit seconds",
                "# native histogram latency_seconds{cluster=\"east\"} {count:3.0, sum:4.5, schema:0, positive:[0, 1][3.0]} 1000",
                "# HELP req Requests\\nserved.",
                "# TYPE req counter",
                "req_total{cluster=\"east\",code=\"200\"} 7 1000",
                "# exemplar {trace_id=\"abc\"} 0.5 900",
                "# created 500");
        ExpositionParser parser = new PrometheusTextParser();
        byte[] body = page.getBytes(StandardCharsets.UTF_8);
        parser.reset(body, 0, body.length);
        int series = 0;
        for (ExpositionParser.Entry e = parser.next(); e != ExpositionParser.Entry.EOF; e = parser.next()) {
            series += e == ExpositionParser.Entry.SERIES ? 1 : 0;
        }
        assertThat(series).as("the page parses as the text format: one series, the rest comments").isEqualTo(1);
    }
}
