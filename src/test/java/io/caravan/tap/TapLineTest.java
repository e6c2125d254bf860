package io.caravan.tap;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.model.NativeHistogram;
import io.caravan.model.Sample;
import io.caravan.model.Target;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each kind of item as the one line a tap shows. */
class TapLineTest {

    @Test
    void aTargetIsItsLabelSetWithSecretsMasked() {
        TapLine line = TapLine.of("in", new Target(Labels.of("__address__", "10.0.0.1:10250", "__meta_kubernetes_node_name", "worker-1",
                "__param_token", "abc", "team", "say \"hi\"")), 7);
        assertThat(line.kind()).isEqualTo("target");
        assertThat(line.text()).isEqualTo("{__address__=\"10.0.0.1:10250\", __meta_kubernetes_node_name=\"worker-1\", "
                + "__param_token=\"***\", team=\"say \\\"hi\\\"\"}");
        assertThat(line.dir()).isEqualTo("in");
        assertThat(line.timeMs()).isEqualTo(7);
    }

    @Test
    void aSampleIsALineOfTheTextFormat() {
        assertThat(TapLine.of("out", new Sample(Labels.of("__name__", "up", "job", "kubelet", "instance", "a:1"), 1700000000000L, 1), 0).text())
                .isEqualTo("up{instance=\"a:1\",job=\"kubelet\"} 1 1700000000000");
        assertThat(TapLine.of("out", new Sample(Labels.of("__name__", "rate"), 5L, 0.25), 0).text()).isEqualTo("rate 0.25 5");
        assertThat(TapLine.of("out", new Sample(Labels.of("__name__", "gone", "job", "x"), 5L, Sample.STALE_NAN), 0).text())
                .isEqualTo("gone{job=\"x\"} NaN 5 # stale marker");
        assertThat(TapLine.of("out", new Sample(Labels.of("__name__", "inf"), 5L, Double.POSITIVE_INFINITY), 0).text()).isEqualTo("inf +Inf 5");
    }

    @Test
    void aNativeHistogramIsSummarised() {
        NativeHistogram h = new NativeHistogram(false, NativeHistogram.ResetHint.UNKNOWN, 3, 0.001, 1, 12, 3.5,
                null, null, new int[]{0, 2, 1, 1}, new double[]{4, 5, 2}, null);
        TapLine line = TapLine.of("in", Sample.ofHistogram(Labels.of("__name__", "rpc_seconds", "job", "api"), 9L, h), 0);
        assertThat(line.kind()).isEqualTo("sample");
        assertThat(line.text()).isEqualTo("rpc_seconds{job=\"api\"} histogram{count=12 sum=3.5 schema=3 buckets=3} 9");
    }

    @Test
    void aLogEntryIsItsLabelsTimeMetadataAndLineRedacted() {
        LogEntry e = new LogEntry(Labels.of("job", "audit", "filename", "/var/log/a.log"), 1_764_000_000_000_000_123L,
                "GET /login?password=hunter2 Authorization: Bearer eyJabc.def", Labels.of("trace_id", "abc", "session_token", "t"));
        assertThat(TapLine.of("in", e, 0).text()).isEqualTo("{filename=\"/var/log/a.log\", job=\"audit\"} 2025-11-24T16:00:00.000000123Z "
                + "metadata={session_token=\"***\", trace_id=\"abc\"} GET /login?password=*** Authorization: Bearer ***");
        assertThat(TapLine.of("in", new LogEntry(Labels.of("job", "x"), 0, "plain"), 0).text())
                .isEqualTo("{job=\"x\"} 1970-01-01T00:00:00Z plain");
    }

    @Test
    void aLongLineIsCut() {
        String text = TapLine.of("in", "x".repeat(TapLine.MAX_CHARS + 10), 0).text();
        assertThat(text).hasSize(TapLine.MAX_CHARS + "… (10 more characters)".length()).endsWith("x… (10 more characters)");
    }
}
