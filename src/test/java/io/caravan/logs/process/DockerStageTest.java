package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * docker: Alloy's documented example and its stage tests, then how Go's json.Unmarshal reads the line (field names in
 * any case, other fields ignored, a field of another type refuses the line). Entries come in at time 1000; a row's
 * time is null where the entry keeps it; a line that is not taken is left as it came, with no extracted values.
 */
class DockerStageTest {

    static final String T = "2019-04-30T02:12:41.8443515Z";
    static final long T_NANOS = nanos(T);
    static final Labels OLD_STREAM = Labels.of("job", "docker", "stream", "old");

    static long nanos(String rfc3339) {
        Instant i = Instant.parse(rfc3339);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("docs: log, stream and time", "{\"log\":\"log message\\n\",\"stream\":\"stderr\",\"time\":\"" + T + "\"}",
                        Labels.EMPTY, Labels.of("stream", "stderr"), "log message\n", T_NANOS),
                arguments("escaped quotes in the log", "{\"log\":\"msg=\\\"Adding target\\\" key=\\\"{job=\\\\\\\"docker\\\\\\\"}\\\"\\n\","
                                + "\"stream\":\"stderr\",\"time\":\"" + T + "\"}",
                        Labels.EMPTY, Labels.of("stream", "stderr"), "msg=\"Adding target\" key=\"{job=\\\"docker\\\"}\"\n", T_NANOS),
                arguments("a time that does not read keeps the entry's", "{\"log\":\"log message\\n\",\"stream\":\"stderr\",\"time\":\"hi!\"}",
                        Labels.EMPTY, Labels.of("stream", "stderr"), "log message\n", null),
                arguments("not JSON passes", "i'm not json!", Labels.EMPTY, Labels.EMPTY, "i'm not json!", null),
                arguments("JSON without log passes", "{\"msg\": \"test\"}", Labels.EMPTY, Labels.EMPTY, "{\"msg\": \"test\"}", null),
                arguments("an empty or null log passes", "{\"log\":null,\"stream\":\"stdout\",\"time\":\"" + T + "\"}",
                        OLD_STREAM, OLD_STREAM, "{\"log\":null,\"stream\":\"stdout\",\"time\":\"" + T + "\"}", null),
                arguments("a field of another type refuses the line", "{\"log\":\"x\",\"stream\":1,\"time\":\"" + T + "\"}",
                        Labels.EMPTY, Labels.EMPTY, "{\"log\":\"x\",\"stream\":1,\"time\":\"" + T + "\"}", null),
                arguments("text after the object refuses the line", "{\"log\":\"x\"} {}", Labels.EMPTY, Labels.EMPTY, "{\"log\":\"x\"} {}", null),
                arguments("an array is not the object", "[{\"log\":\"x\"}]", Labels.EMPTY, Labels.EMPTY, "[{\"log\":\"x\"}]", null),
                arguments("field names in any case; attrs ignored", "{\"Log\":\"x\",\"attrs\":{\"tag\":[1]},\"STREAM\":\"stdout\",\"Time\":\"" + T + "\"}",
                        Labels.EMPTY, Labels.of("stream", "stdout"), "x", T_NANOS),
                arguments("a later field wins", "{\"log\":\"a\",\"log\":\"b\",\"stream\":\"stdout\",\"time\":\"" + T + "\"}",
                        Labels.EMPTY, Labels.of("stream", "stdout"), "b", T_NANOS),
                arguments("no stream removes the stream label", "{\"log\":\"x\",\"time\":\"" + T + "\"}",
                        OLD_STREAM, Labels.of("job", "docker"), "x", T_NANOS),
                arguments("a time with an offset", "{\"log\":\"x\",\"stream\":\"stdout\",\"time\":\"2019-04-30T04:12:41.8443515+02:00\"}",
                        Labels.EMPTY, Labels.of("stream", "stdout"), "x", T_NANOS)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void docker(String name, String line, Labels labels, Labels wantLabels, String wantLine, Long wantTime) {
        ProcessEntry out = new StageRunner("- docker: {}").through(new LogEntry(labels, 1000, line));
        assertThat(out.line).isEqualTo(wantLine);
        assertThat(out.labels.build()).isEqualTo(wantLabels);
        assertThat(out.timestampNanos).isEqualTo(wantTime == null ? 1000 : wantTime);
        if (wantLine.equals(line)) {
            assertThat(out.extracted).doesNotContainKeys("output", "timestamp");
        } else {
            assertThat(out.extracted).containsEntry("output", wantLine).containsEntry("stream", wantLabels.getOrEmpty("stream"))
                    .containsKey("timestamp");
        }
    }
}
