package io.caravan.scrape.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.scrape.parse.ExpositionParser.Entry;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each broken body must fail with the right line number and reason. */
class MalformedInputTest {

    static Stream<Arguments> text() {
        return Stream.of(
            Arguments.of("ok 1\n1bad 2\n", 2, "invalid metric name"),
            Arguments.of("ok 1\n\nfoo{a=\"b} 1\n", 3, "unterminated label value"),
            Arguments.of("foo{a=\"b\n\"} 1\n", 1, "unterminated label value"),
            Arguments.of("foo{a=\"1\",a=\"2\"} 1\n", 1, "duplicate label name \"a\""),
            Arguments.of("foo{__name__=\"bar\"} 1\n", 1, "duplicate label name \"__name__\""),
            Arguments.of("foo abc\n", 1, "bad value 'abc'"),
            Arguments.of("foo 0x1p3\n", 1, "bad value"),
            Arguments.of("foo 1_000\n", 1, "bad value"),
            Arguments.of("foo +NaN\n", 1, "bad value"),
            Arguments.of("foo 1e400\n", 1, "value out of range"),
            Arguments.of("foo\n", 1, "expected value after metric"),
            Arguments.of("foo{a=\"b\"}\n", 1, "expected value after metric"),
            Arguments.of("foo 1 -5\n", 1, "expected timestamp"),
            Arguments.of("foo 1 1.5\n", 1, "expected end of line after timestamp"),
            Arguments.of("foo 1 99999999999999999999\n", 1, "timestamp out of range"),
            Arguments.of("foo 1 2 3\n", 1, "expected end of line after timestamp"),
            Arguments.of("foo{a=\"1\",,b=\"2\"} 1\n", 1, "invalid label name"),
            Arguments.of("foo{a \"1\"} 1\n", 1, "expected '=' after label name"),
            Arguments.of("foo{a=1} 1\n", 1, "expected quoted label value"),
            Arguments.of("foo{a=\"1\"\n", 1, "expected label name or '}'"),
            Arguments.of("{a=\"1\"} 1\n", 1, "metric name not set"),
            Arguments.of("foo{\"bar\"} 1\n", 1, "metric name already set"),
            Arguments.of("{\"\"} 1\n", 1, "invalid metric name: empty quoted name"),
            Arguments.of("# TYPE foo countr\n", 1, "invalid metric type \"countr\""),
            Arguments.of("# TYPE foo info\n", 1, "invalid metric type \"info\""),
            Arguments.of("# HELP 9foo help\n", 1, "expected metric name after HELP"),
            Arguments.of("foo 1\r\n", 1, "bad value"),
            Arguments.of("# one\n# two\nfoo 1\nbar{x=\"y\"} 2 3 4\n", 4, "expected end of line after timestamp"));
    }

    static Stream<Arguments> openMetrics() {
        return Stream.of(
            Arguments.of("foo 1\n", 2, "data does not end with # EOF"),
            Arguments.of("", 1, "data does not end with # EOF"),
            Arguments.of("foo 1\n# EOF\nbar 2\n", 2, "unexpected data after # EOF"),
            Arguments.of("foo 1\n# EOF\n\n", 2, "unexpected data after # EOF"),
            Arguments.of("foo 1\n\nbar 2\n# EOF\n", 2, "blank lines are not allowed"),
            Arguments.of("# a comment\n# EOF\n", 1, "invalid comment"),
            Arguments.of("foo  1\n# EOF\n", 1, "expected value after metric"),
            Arguments.of("foo\t1\n# EOF\n", 1, "expected a single space and a value"),
            Arguments.of("foo{a=\"1\" ,b=\"2\"} 1\n# EOF\n", 1, "expected ',' or '}' after label value"),
            Arguments.of("foo{a=\"1\"}1\n# EOF\n", 1, "expected a single space and a value"),
            Arguments.of("foo 1 NaN\n# EOF\n", 1, "invalid timestamp"),
            Arguments.of("foo 1 1.5 \n# EOF\n", 1, "expected end of line or exemplar"),
            Arguments.of("foo 1 # {a=\"b\"}\n# EOF\n", 1, "expected a single space and a value after exemplar labels"),
            Arguments.of("foo 1 # {a=\"b\"} x\n# EOF\n", 1, "bad exemplar value"),
            Arguments.of("foo 1 # {a=\"b\"} 1 Inf\n# EOF\n", 1, "invalid exemplar timestamp"),
            Arguments.of("foo 1 # {\"q\"} 1\n# EOF\n", 1, "expected label name in exemplar"),
            Arguments.of("# TYPE foo gaugehist\n# EOF\n", 1, "invalid metric type"),
            Arguments.of("# TYPE foo untyped\n# EOF\n", 1, "invalid metric type \"untyped\""),
            Arguments.of("# UNIT foo_bytes seconds\n# EOF\n", 1, "unit \"seconds\" is not a suffix of metric \"foo_bytes\""),
            Arguments.of("# UNIT foobytes bytes\n# EOF\n", 1, "is not a suffix"),
            Arguments.of("# HELP foo\n# EOF\n", 1, "expected a space and text"),
            Arguments.of("ok 1\nfoo{a=\"1\",a=\"2\"} 1\n# EOF\n", 2, "duplicate label name"),
            Arguments.of("foo 1", 1, "data does not end with # EOF"));
    }

    @ParameterizedTest(name = "text {index}: {2}")
    @MethodSource("text")
    void textFormat(String body, int line, String reason) {
        expectFailure(new PrometheusTextParser(), body.getBytes(StandardCharsets.UTF_8), line, reason);
    }

    @ParameterizedTest(name = "openmetrics {index}: {2}")
    @MethodSource("openMetrics")
    void openMetricsFormat(String body, int line, String reason) {
        expectFailure(new OpenMetricsParser(), body.getBytes(StandardCharsets.UTF_8), line, reason);
    }

    @Test
    void invalidUtf8InLabelValue() {
        byte[] body = {'f', ' ', '0', '\n', 'f', '{', 'a', '=', '"', (byte) 0xC3, (byte) 0x28, '"', '}', ' ', '1', '\n'};
        expectFailure(new PrometheusTextParser(), body, 2, "invalid UTF-8 in label value");
        byte[] surrogate = "foo{a=\"\"} 1\n# EOF\n".getBytes(StandardCharsets.UTF_8);
        byte[] withSurrogate = new byte[surrogate.length + 3];
        System.arraycopy(surrogate, 0, withSurrogate, 0, 7);
        withSurrogate[7] = (byte) 0xED;
        withSurrogate[8] = (byte) 0xA0;
        withSurrogate[9] = (byte) 0x80;
        System.arraycopy(surrogate, 7, withSurrogate, 10, surrogate.length - 7);
        expectFailure(new OpenMetricsParser(), withSurrogate, 1, "invalid UTF-8 in label value");
    }

    @Test
    void messageShowsLineReasonAndExcerpt() {
        byte[] body = "ok 1\nfoo{a=\"1\"} nope 1\n".getBytes(StandardCharsets.UTF_8);
        ExpositionParser p = new PrometheusTextParser();
        p.reset(body, 0, body.length);
        assertThatThrownBy(() -> {
            while (p.next() != Entry.EOF) {
                // drain
            }
        }).isInstanceOf(ExpositionParseException.class)
                .hasMessage("line 2: bad value 'nope': invalid float 'nope' (near: 'foo{a=\"1\"} nope 1')");
    }

    private static void expectFailure(ExpositionParser parser, byte[] body, int line, String reason) {
        parser.reset(body, 0, body.length);
        assertThatThrownBy(() -> {
            while (parser.next() != Entry.EOF) {
                // drain
            }
        }).isInstanceOfSatisfying(ExpositionParseException.class, e -> {
            assertThat(e.getMessage()).startsWith("line " + line + ": ").contains(reason).contains("(near: '");
            assertThat(e.lineNumber()).isEqualTo(line);
        });
    }
}
