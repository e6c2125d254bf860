package io.caravan.logs.pods;

import io.caravan.logs.CriParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CriParserTest {

    static long nanos(String rfc3339) {
        Instant i = Instant.parse(rfc3339);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static ContainerLine cri(String line) {
        return LogFormat.CRI.parse(line, new CriParser(CriParser.Grammar.RUNTIME));
    }

    @Test
    void fullLineOfContainerd() {
        ContainerLine c = cri("2024-01-01T00:00:00.123456789Z stdout F hello world");
        assertThat(c).isEqualTo(new ContainerLine(nanos("2024-01-01T00:00:00.123456789Z"), "stdout", false, "hello world"));
    }

    @Test
    void partialLineOnStderrKeepsItsSpaces() {
        ContainerLine c = cri("2024-02-29T23:59:59.5Z stderr P   indented  ");
        assertThat(c).isEqualTo(new ContainerLine(nanos("2024-02-29T23:59:59.500Z"), "stderr", true, "  indented  "));
    }

    @Test
    void emptyLinesAndTagsAfterTheFlag() {
        assertThat(cri("2024-01-01T00:00:00Z stdout F").content()).isEmpty();
        assertThat(cri("2024-01-01T00:00:00Z stdout F ").content()).isEmpty();
        assertThat(cri("2024-01-01T00:00:00.000000001Z stdout F:x:y msg").content()).isEqualTo("msg");
    }

    @Test
    void crioOffsetTimestamps() {
        ContainerLine c = cri("2024-01-01T01:00:00.25+01:00 stdout F x");
        assertThat(c.timestampNanos()).isEqualTo(nanos("2024-01-01T00:00:00.250Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "hello", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z stdout", "2024-01-01T00:00:00Z stdin F x",
            "2024-01-01T00:00:00Z stdout X x", "2024-13-01T00:00:00Z stdout F x", "yesterday stdout F x",
            "2024-01-01T00:00:00.Z stdout F x", "2024-01-01T00:00:00Z stdout FF x", "{\"log\":\"x\\n\"}",
            "2024-01-01T00:00Z stdout F x", "2024-01-01T00:00:00Z  stdout F x", "2024-01-01T00:00:00Z stdout"})
    void notCri(String line) {
        assertThat(cri(line)).isNull();
    }

    @Test
    void timestampsAgreeWithJavaTime() {
        for (String s : new String[]{"1970-01-01T00:00:00Z", "1999-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00.1Z",
                "2038-01-19T03:14:08Z", "2100-03-01T00:00:00.000001Z"}) {
            assertThat(Rfc3339.parseNanos(s, 0, s.length())).as(s).isEqualTo(nanos(s));
        }
        assertThat(Rfc3339.formatSeconds(nanos("2024-01-01T00:00:05.9Z"))).isEqualTo("2024-01-01T00:00:05Z");
    }

    @Test
    void dockerJsonLines() {
        ContainerLine full = DockerJsonParser.parse("{\"log\":\"hello \\\"you\\\"\\n\",\"stream\":\"stderr\",\"time\":\"2024-01-01T00:00:00.000000001Z\"}");
        assertThat(full).isEqualTo(new ContainerLine(nanos("2024-01-01T00:00:00.000000001Z"), "stderr", false, "hello \"you\""));
        ContainerLine piece = DockerJsonParser.parse("{\"log\":\"no newline\",\"stream\":\"stdout\",\"attrs\":{\"a\":1},\"time\":\"2024-01-01T00:00:00Z\"}");
        assertThat(piece.partial()).isTrue();
        assertThat(piece.content()).isEqualTo("no newline");
        assertThat(DockerJsonParser.parse("{\"log\":\"x\\n\"}")).isNull(); // no time
        assertThat(DockerJsonParser.parse("{\"log\":\"x\\n\",\"time\":\"now\"}")).isNull();
        assertThat(DockerJsonParser.parse("{\"log\":\"x\\n\",")).isNull();
        assertThat(DockerJsonParser.parse("[1,2]")).isNull();
    }

    @Test
    void restartCountOfKubeletFileNames() {
        assertThat(ContainerLogDir.restartCount("0.log")).isZero();
        assertThat(ContainerLogDir.restartCount("12.log")).isEqualTo(12);
        assertThat(ContainerLogDir.restartCount("0.log.20240101-000000")).isEqualTo(-1);
        assertThat(ContainerLogDir.restartCount("app.log")).isEqualTo(-1);
        assertThat(ContainerLogDir.restartCount(".log")).isEqualTo(-1);
    }
}
