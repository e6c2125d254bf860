package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * logfmt: Alloy's documented example and its stage tests, then go-logfmt's rules (bare keys, quoted values and their
 * escapes, what counts as garbage, what ends the reading). Each row gives the whole extracted map the stages leave.
 */
class LogfmtStageTest {

    static final String DOCS_LINE = "time=2012-11-01T22:08:41+00:00 app=loki level=WARN duration=125 "
            + "message=\"this is a log line\" extra=\"user=example_name\"";

    static Map<String, Object> extracted(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("docs: a value read again from source", """
                        - logfmt: {mapping: {extra: ''}}
                        - logfmt: {mapping: {username: user}, source: extra}""", DOCS_LINE,
                        extracted("extra", "user=example_name", "username", "example_name")),
                arguments("mapping renames; a key not in the line is not set", "- logfmt: {mapping: {out: message, app: '', duration: '', unknown: ''}}",
                        DOCS_LINE, extracted("out", "this is a log line", "app", "loki", "duration", "125")),
                arguments("regex takes every key it finds, unanchored", "- logfmt: {regex: 'pod_'}",
                        "time=2012-11-01T22:08:41+00:00 pod_name=my-pod-123 pod_label=my-label",
                        extracted("pod_name", "my-pod-123", "pod_label", "my-label")),
                arguments("regex and mapping together", "- logfmt: {mapping: {out: message, app: ''}, regex: '(app|duration)'}",
                        DOCS_LINE, extracted("out", "this is a log line", "app", "loki", "duration", "125")),
                arguments("a missing source skips the entry", "- logfmt: {mapping: {app: ''}, source: nothere}", "app=loki", extracted()),
                arguments("a source that is JSON null skips the entry", """
                        - json: {expressions: {log: log}}
                        - logfmt: {mapping: {app: ''}, source: log}""", "{\"log\": null}", extracted("log", Extracted.NULL)),
                arguments("a bare key and an empty value are empty strings", "- logfmt: {regex: '.'}", "flag b= c=1",
                        extracted("flag", "", "b", "", "c", "1")),
                arguments("a later key wins", "- logfmt: {mapping: {a: ''}}", "a=1 a=2", extracted("a", "2")),
                arguments("escapes in a quoted value", "- logfmt: {mapping: {m: ''}}", "m=\"say \\\"hi\\\"\\tnow \\\\ \\/ \\'\"",
                        extracted("m", "say \"hi\"\tnow \\ / '")),
                arguments("\\u escapes, a surrogate pair and a lone one", "- logfmt: {regex: '.'}",
                        "a=\"caf\\u00e9\" b=\"\\ud83d\\ude00\" c=\"\\ud83dx\"", extracted("a", "café", "b", "😀", "c", "\uFFFDx")),
                arguments("a quoted value without escapes is taken as it is", "- logfmt: {mapping: {a: ''}}", "a=\"x\ty\u0001\"",
                        extracted("a", "x\ty\u0001")),
                arguments("a quoted value may be followed by the next key at once", "- logfmt: {regex: '.'}", "a=\"x y\"b=2",
                        extracted("a", "x y", "b", "2")),
                arguments("tabs and control characters are garbage between pairs", "- logfmt: {regex: '.'}", "\ta=1\u0001b=2  ",
                        extracted("a", "1", "b", "2")),
                arguments("every line is a record; CR before LF is dropped", "- logfmt: {regex: '.'}", "a=1\r\nb=2\r\n\nc=3",
                        extracted("a", "1", "b", "2", "c", "3")),
                arguments("an unknown escape ends the reading, earlier pairs stay", "- logfmt: {regex: '.'}", "a=1 b=\"\\x\" c=3",
                        extracted("a", "1")),
                arguments("a control character with escapes ends the reading", "- logfmt: {regex: '.'}", "a=1 b=\"\\n\u0001\" c=3",
                        extracted("a", "1")),
                arguments("an unterminated quote ends the reading", "- logfmt: {regex: '.'}", "a=1 b=\"open c=3", extracted("a", "1")),
                arguments("a quote in a key ends the reading", "- logfmt: {regex: '.'}", "a=1 b\"=2 c=3", extracted("a", "1")),
                arguments("'=' or a quote in a bare value ends the reading", "- logfmt: {regex: '.'}", "a=1 b=x=y c=3", extracted("a", "1")),
                arguments("a pair starting with '=' ends the reading", "- logfmt: {regex: '.'}", "=x a=1", extracted()),
                arguments("JSON is not logfmt", "- logfmt: {mapping: {expr1: ''}}", "{\"invalid\":\"logfmt\"}", extracted()),
                arguments("the error ends the later lines too", "- logfmt: {regex: '.'}", "a=1 \"\nb=2", extracted("a", "1")),
                arguments("a line just under 64 KiB is read", "- logfmt: {mapping: {a: ''}}", "a=1 b=" + "x".repeat(Logfmt.MAX_LINE_BYTES - 7),
                        extracted("a", "1")),
                arguments("a line of 64 KiB stops the reading, as Go's line scanner does", "- logfmt: {mapping: {a: '', c: ''}}",
                        "c=3\na=1 b=" + "é".repeat(Logfmt.MAX_LINE_BYTES / 2 - 3) + "\nc=4", extracted("c", "3"))
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void logfmt(String name, String yaml, String line, Map<String, Object> want) {
        ProcessEntry out = new StageRunner(yaml).through(new LogEntry(Labels.EMPTY, 1, line));
        assertThat(out.extracted).isEqualTo(want);
        assertThat(out.line).as("logfmt leaves the line").isEqualTo(line);
    }
}
