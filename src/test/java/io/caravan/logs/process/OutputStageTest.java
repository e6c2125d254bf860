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
 * output: Alloy's documented example and its stage tests, then the values it takes: a string as it is, a number
 * or boolean as Go writes it, a missing key or a JSON null leaves the line.
 */
class OutputStageTest {

    static final Labels APP = Labels.of("app", "api");

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("docs: json, a label, then the message as the line", """
                        - json: {expressions: {user: user, message: message}}
                        - labels: {values: {user: user}}
                        - output: {source: message}""", Labels.EMPTY, "{\"user\": \"John Doe\", \"message\": \"hello, world!\"}",
                        Labels.of("user", "John Doe"), "hello, world!"),
                arguments("a value extracted under another name", """
                        - json: {expressions: {out: message}}
                        - output: {source: out}""", APP,
                        "{\"time\":\"2012-11-01T22:08:41+00:00\",\"nested\":{\"child\":\"value\"},\"message\":\"this is a log line\"}",
                        APP, "this is a log line"),
                arguments("a missing key leaves the line", """
                        - json: {expressions: {out: message}}
                        - output: {source: nothere}""", APP, "{\"level\":\"WARN\"}", APP, "{\"level\":\"WARN\"}"),
                arguments("a JSON null leaves the line", """
                        - json: {expressions: {out: message}}
                        - output: {source: out}""", APP, "{\"level\":\"WARN\"}", APP, "{\"level\":\"WARN\"}"),
                arguments("an empty string empties the line", """
                        - json: {expressions: {out: message}}
                        - output: {source: out}""", APP, "{\"message\":\"\"}", APP, ""),
                arguments("numbers as Go writes them", """
                        - json: {expressions: {a: a, b: b, c: c}}
                        - output: {source: a}""", APP, "{\"a\":201}", APP, "201"),
                arguments("a fraction as Go writes it", """
                        - json: {expressions: {a: a}}
                        - output: {source: a}""", APP, "{\"a\":1.50}", APP, "1.5"),
                arguments("a boolean", """
                        - json: {expressions: {a: a}}
                        - output: {source: a}""", APP, "{\"a\":true}", APP, "true"),
                arguments("an object as its JSON text", """
                        - json: {expressions: {a: a}}
                        - output: {source: a}""", APP, "{\"a\": {\"b\": [1, 2]}}", APP, "{\"b\":[1,2]}"),
                arguments("a label is an extracted value too", "- output: {source: app}", APP, "replaceme", APP, "api")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void output(String name, String yaml, Labels labels, String line, Labels wantLabels, String wantLine) {
        LogEntry out = new StageRunner(yaml).one(labels, line);
        assertThat(out.line()).isEqualTo(wantLine);
        assertThat(out.labels()).isEqualTo(wantLabels);
    }
}
