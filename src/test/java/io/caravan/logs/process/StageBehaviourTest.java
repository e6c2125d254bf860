package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Stages whose behaviour spans several entries or calls: partial lines, rates, order, fudge, metrics. */
class StageBehaviourTest {

    static final Labels POD = Labels.of("pod", "web-1");

    @Test
    void cri_joins_partial_lines_per_stream() {
        StageRunner r = new StageRunner("- cri: {}");
        List<LogEntry> out = r.run(
                new LogEntry(POD, 1, "2024-01-01T00:00:00.1Z stdout P part one, "),
                new LogEntry(POD, 2, "2024-01-01T00:00:00.2Z stderr F an error"),
                new LogEntry(POD, 3, "2024-01-01T00:00:00.3Z stdout F and two"));
        assertThat(out).extracting(LogEntry::line).containsExactly("an error", "part one, and two");
        assertThat(out.get(1).labels()).isEqualTo(Labels.of("pod", "web-1", "stream", "stdout"));
        assertThat(out.get(1).timestampNanos()).isEqualTo(1_704_067_200_300_000_000L);
    }

    @Test
    void cri_holds_partial_lines_across_batches_and_flushes_past_the_limit() {
        StageRunner r = new StageRunner("- cri: {max_partial_lines: 2}");
        assertThat(r.run(new LogEntry(Labels.of("pod", "a"), 1, "t stdout P a1"))).isEmpty();
        assertThat(r.run(new LogEntry(Labels.of("pod", "b"), 2, "t stdout P b1"))).isEmpty();
        List<LogEntry> out = r.run(new LogEntry(Labels.of("pod", "c"), 3, "t stdout P c1"));
        assertThat(out).extracting(LogEntry::line).containsExactly("a1", "b1");
        assertThat(r.run(new LogEntry(Labels.of("pod", "c"), 4, "t stdout F c2"))).extracting(LogEntry::line).containsExactly("c1c2");
    }

    @Test
    void cri_truncates_joined_lines_when_asked() {
        StageRunner r = new StageRunner("- cri: {max_partial_line_size: 5, max_partial_line_size_truncate: true}");
        List<LogEntry> out = r.run(new LogEntry(POD, 1, "t stdout P 1234"), new LogEntry(POD, 2, "t stdout F 5678"));
        assertThat(out).extracting(LogEntry::line).containsExactly("12345");
    }

    @Test
    void limit_drops_over_the_burst_and_counts() {
        StageRunner r = new StageRunner("- limit: {rate: 1, burst: 3, drop: true}");
        List<LogEntry> in = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            in.add(new LogEntry(POD, i, "l" + i));
        }
        assertThat(r.pipeline.process(in)).hasSize(3);
        assertThat(r.dropped("ratelimit_drop_stage")).isEqualTo(7);
    }

    @Test
    void limit_by_label_keeps_one_bucket_per_value() {
        StageRunner r = new StageRunner("- limit: {rate: 1, burst: 1, drop: true, by_label_name: pod}");
        List<LogEntry> out = r.run(new LogEntry(Labels.of("pod", "a"), 1, "1"), new LogEntry(Labels.of("pod", "a"), 2, "2"),
                new LogEntry(Labels.of("pod", "b"), 3, "3"), new LogEntry(Labels.of("x", "y"), 4, "4"), new LogEntry(Labels.of("x", "y"), 5, "5"));
        assertThat(out).extracting(LogEntry::line).containsExactly("1", "3", "4", "5");
    }

    @Test
    void limit_without_drop_waits() {
        StageRunner r = new StageRunner("- limit: {rate: 20, burst: 1}");
        long start = System.nanoTime();
        List<LogEntry> in = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            in.add(new LogEntry(POD, i, "x"));
        }
        assertThat(r.pipeline.process(in)).hasSize(5);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(150); // 4 waits of 50ms
    }

    @Test
    void match_keeps_time_order_when_branches_change_timestamps() {
        StageRunner r = new StageRunner("""
                - match:
                    selector: '{pod="web-1"} |= "ts="'
                    stages:
                      - regex: {expression: 'ts=(?P<ts>\\d+)'}
                      - timestamp: {source: ts, format: UnixNs}
                """);
        List<LogEntry> out = r.run(new LogEntry(POD, 10, "ts=30"), new LogEntry(POD, 20, "plain"), new LogEntry(POD, 25, "ts=5"));
        assertThat(out).extracting(LogEntry::timestampNanos).containsExactly(5L, 20L, 30L);
    }

    @Test
    void nested_match_reseeds_extracted_with_new_labels() {
        StageRunner r = new StageRunner("""
                - static_labels: {values: {tier: gold}}
                - match:
                    selector: '{tier="gold"}'
                    stages:
                      - output: {source: tier}
                """);
        assertThat(r.one(POD, "x").line()).isEqualTo("gold");
    }

    @Test
    void timestamp_fudges_after_the_last_good_time_of_the_stream() {
        StageRunner r = new StageRunner("""
                - regex: {expression: '^(?P<ts>\\S+)'}
                - timestamp: {source: ts, format: UnixMs}
                """);
        List<LogEntry> out = r.run(new LogEntry(POD, 1, "1000 ok"), new LogEntry(POD, 2, "bad line"), new LogEntry(POD, 3, "bad again"));
        assertThat(out).extracting(LogEntry::timestampNanos).containsExactly(1_000_000_000L, 1_000_000_001L, 1_000_000_002L);
        StageRunner skip = new StageRunner("""
                - regex: {expression: '^(?P<ts>\\S+)'}
                - timestamp: {source: ts, format: UnixMs, action_on_failure: skip}
                """);
        assertThat(skip.run(new LogEntry(POD, 1, "1000 ok"), new LogEntry(POD, 7, "bad"))).extracting(LogEntry::timestampNanos)
                .containsExactly(1_000_000_000L, 7L);
    }

    @Test
    void timestamp_fallback_formats_are_tried_in_order() {
        StageRunner r = new StageRunner("""
                - regex: {expression: '^(?P<ts>\\S+)'}
                - timestamp: {source: ts, format: RFC3339, fallback_formats: [UnixMs, Unix], action_on_failure: skip}
                """);
        assertThat(r.run(new LogEntry(POD, 0, "1700000000 x"), new LogEntry(POD, 0, "2023-11-14T22:13:20Z y")))
                .extracting(LogEntry::timestampNanos).containsExactly(1_700_000_000_000_000L, 1_700_000_000_000_000_000L);
    }

    @Test
    void drop_counter_reason_names_the_metric() {
        StageRunner r = new StageRunner("- drop: {expression: 'x', drop_counter_reason: noisy}\n- match: {selector: '{pod=\"web-1\"} |= \"y\"', action: drop}");
        r.run(new LogEntry(POD, 1, "x"), new LogEntry(POD, 2, "x"), new LogEntry(POD, 3, "y"), new LogEntry(POD, 4, "z"));
        assertThat(r.dropped("noisy")).isEqualTo(2);
        assertThat(r.dropped("match_stage")).isEqualTo(1);
    }

    @Test
    void json_malformed_lines_are_counted() {
        StageRunner r = new StageRunner("- json: {expressions: {a: a}}");
        r.run(new LogEntry(POD, 1, "{"), new LogEntry(POD, 2, "{\"a\":1}"));
        assertThat(r.registry.find("caravan_logs_json_malformed_entries").counter().count()).isEqualTo(1);
    }

    @Test
    void structured_metadata_passes_through() {
        StageRunner r = new StageRunner("- static_labels: {values: {a: b}}");
        LogEntry out = r.pipeline.process(List.of(new LogEntry(POD, 1, "x", Labels.of("trace_id", "abc")))).get(0);
        assertThat(out.metadata()).isEqualTo(Labels.of("trace_id", "abc"));
    }
}
