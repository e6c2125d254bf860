package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * pack: Alloy's documented example and its stage tests (key order, escaping, values that are not strings, the
 * timestamp), in our words. An entry comes in at time 1000; {@code ingested} says whether it leaves at the time the
 * stage ran instead.
 */
class PackStageTest {

    static final Labels FOO_BAR = Labels.of("foo", "bar", "bar", "baz");

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("docs: two labels packed, the rest stay, time replaced", "- pack: {labels: [env, user_id]}",
                        Labels.of("level", "error", "env", "dev", "user_id", "f8fas0r"), "something went wrong",
                        Labels.of("level", "error"), "{\"env\":\"dev\",\"user_id\":\"f8fas0r\",\"_entry\":\"something went wrong\"}", true),
                arguments("an empty list packs the line alone", "- pack: {labels: [], ingest_timestamp: false}", FOO_BAR, "test line 1",
                        FOO_BAR, "{\"_entry\":\"test line 1\"}", false),
                arguments("one label", "- pack: {labels: [foo], ingest_timestamp: false}", FOO_BAR, "test line 1",
                        Labels.of("bar", "baz"), "{\"foo\":\"bar\",\"_entry\":\"test line 1\"}", false),
                arguments("keys sorted, _entry last", "- pack: {labels: [foo, bar], ingest_timestamp: false}", FOO_BAR, "test line 1",
                        Labels.EMPTY, "{\"bar\":\"baz\",\"foo\":\"bar\",\"_entry\":\"test line 1\"}", false),
                arguments("an extracted value and a label", """
                        - regex: {expression: '^(?P<extr1>\\w+)'}
                        - pack: {labels: [foo, extr1], ingest_timestamp: false}""", FOO_BAR, "etr1val line",
                        Labels.of("bar", "baz"), "{\"extr1\":\"etr1val\",\"foo\":\"bar\",\"_entry\":\"etr1val line\"}", false),
                arguments("a value that is not a string is left out; a missing one too", """
                        - json: {expressions: {n: n}}
                        - pack: {labels: [foo, n, nothere], ingest_timestamp: false}""", FOO_BAR, "{\"n\":null}",
                        Labels.of("bar", "baz"), "{\"foo\":\"bar\",\"_entry\":\"{\\\"n\\\":null}\"}", false),
                arguments("numbers as Go writes them", """
                        - json: {expressions: {code: code}}
                        - pack: {labels: [code], ingest_timestamp: false}""", Labels.EMPTY, "{\"code\":201}",
                        Labels.EMPTY, "{\"code\":\"201\",\"_entry\":\"{\\\"code\\\":201}\"}", false),
                arguments("quotes escaped in keys and values", """
                        - json: {expressions: {'ex"tr2': v}}
                        - pack: {labels: ['ex"tr2'], ingest_timestamp: false}""", Labels.EMPTY, "{\"v\":\"\\\"fd\\\"\"}",
                        Labels.EMPTY, "{\"ex\\\"tr2\":\"\\\"fd\\\"\",\"_entry\":\"{\\\"v\\\":\\\"\\\\\\\"fd\\\\\\\"\\\"}\"}", false),
                arguments("the line escaped as Alloy's encoder does", "- pack: {labels: []}", Labels.EMPTY,
                        "<b>&\n\r\t\u0001\u001b\b\f\u2028 é😀\\",
                        Labels.EMPTY, "{\"_entry\":\"\\u003cb\\u003e\\u0026\\n\\r\\t\\u0001\\u001b\\u0008\\u000c\\u2028 é😀\\\\\"}", true),
                arguments("code point order, as Go compares bytes", "- pack: {labels: [b, a, Z, é], ingest_timestamp: false}",
                        Labels.of("a", "1", "b", "2", "Z", "3", "é", "4"), "x",
                        Labels.EMPTY, "{\"Z\":\"3\",\"a\":\"1\",\"b\":\"2\",\"é\":\"4\",\"_entry\":\"x\"}", false)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pack(String name, String yaml, Labels labels, String line, Labels wantLabels, String wantLine, boolean ingested) {
        long before = PackStage.nowNanos();
        LogEntry out = new StageRunner(yaml).run(new LogEntry(labels, 1000, line)).get(0);
        long after = PackStage.nowNanos();
        assertThat(out.line()).isEqualTo(wantLine);
        assertThat(out.labels()).isEqualTo(wantLabels);
        if (ingested) {
            assertThat(out.timestampNanos()).isBetween(before, after);
        } else {
            assertThat(out.timestampNanos()).isEqualTo(1000);
        }
    }
}
