package io.caravan.logs.pods;

import io.caravan.logs.LogSourceMetrics;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.caravan.logs.pods.CriParserTest.nanos;
import static org.assertj.core.api.Assertions.assertThat;

class ContainerLogDecoderTest {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final LogSourceMetrics metrics = new LogSourceMetrics(meters, "pod-logs", "t");
    final Labels base = Labels.of("namespace", "shop", "pod", "web-1", "filename", "/var/log/pods/x/web/0.log");
    final List<LogEntry> out = new ArrayList<>();

    ContainerLogDecoder decoder(int max) {
        return new ContainerLogDecoder(LogFormat.AUTO, base, max, metrics);
    }

    @Test
    void fromBytesAsFromText() {
        List<String> lines = List.of(
                "2024-01-01T00:00:01.123456789Z stdout F hello world",
                "2024-01-01T00:00:01Z stderr F ünïcödé ✓ and more",
                "2024-01-01T00:00:02Z stdout P first piece ",
                "2024-01-01T00:00:03Z stdout F:tag1,tag2 the rest",
                "2024-01-01T00:00:04Z stdout F ",
                "2024-01-01T00:00:05Z stdout F",
                "2024-01-01T00:00:06Z stdout F  two spaces kept",
                "2024-01-01T00:00:07Z stdin F not a stream",
                "2024-01-01T00:00:0Z stdout F short time",
                "2024-01-01T00:00:08Zé stdout F non-ASCII prefix",
                "not cri at all",
                "{\"log\":\"docker\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:09Z\"}",
                "");
        for (LogFormat format : LogFormat.values()) {
            ContainerLogDecoder text = new ContainerLogDecoder(format, base, 1 << 20, metrics);
            ContainerLogDecoder bytes = new ContainerLogDecoder(format, base, 1 << 20, metrics);
            List<LogEntry> fromText = new ArrayList<>();
            List<LogEntry> fromBytes = new ArrayList<>();
            long at = 0;
            for (String line : lines) {
                byte[] b = ("xx" + line + "yy").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                text.decode(line, at, at + 1, fromText);
                bytes.decode(b, 2, b.length - 4, at, at + 1, fromBytes);
                at += b.length;
            }
            text.flush(fromText);
            bytes.flush(fromBytes);
            assertThat(fromBytes).as(format.name()).isEqualTo(fromText).isNotEmpty();
        }
    }

    @Test
    void partialPiecesAreJoinedPerStreamWithTheFirstPiecesTime() {
        ContainerLogDecoder d = decoder(1 << 20);
        d.decode("2024-01-01T00:00:01Z stdout P first ", 0, 1, out);
        d.decode("2024-01-01T00:00:01.5Z stderr F an error", 40, 2, out);
        assertThat(d.heldSince()).isZero(); // the position may not pass the first piece yet
        d.decode("2024-01-01T00:00:02Z stdout P second ", 80, 3, out);
        d.decode("2024-01-01T00:00:03Z stdout F third", 120, 4, out);
        assertThat(d.heldSince()).isEqualTo(-1);
        assertThat(out).containsExactly(
                new LogEntry(base.toBuilder().set("stream", "stderr").build(), nanos("2024-01-01T00:00:01.5Z"), "an error"),
                new LogEntry(base.toBuilder().set("stream", "stdout").build(), nanos("2024-01-01T00:00:01Z"), "first second third"));
    }

    @Test
    void joinedLinesStopAtTheMaximumAndAreCounted() {
        ContainerLogDecoder d = decoder(10);
        d.decode("2024-01-01T00:00:01Z stdout P 123456", 0, 1, out);
        d.decode("2024-01-01T00:00:01Z stdout P 789012", 10, 2, out);
        d.decode("2024-01-01T00:00:01Z stdout F 345", 20, 3, out);
        assertThat(out).extracting(LogEntry::line).containsExactly("1234567890");
        assertThat(meters.get("caravan_logs_lines_truncated").counter().count()).isEqualTo(1);
    }

    @Test
    void malformedLinesAreCountedAndPassedOnRaw() {
        ContainerLogDecoder d = decoder(1 << 20);
        d.decode("not a container log line", 0, 42, out);
        d.decode("{\"log\":\"docker\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00Z\"}", 30, 43, out);
        assertThat(out).containsExactly(new LogEntry(base, 42, "not a container log line"),
                new LogEntry(base.toBuilder().set("stream", "stdout").build(), nanos("2024-01-01T00:00:00Z"), "docker"));
        assertThat(meters.get("caravan_logs_malformed_lines").counter().count()).isEqualTo(1);
    }

    @Test
    void flushHandsOnAnUnfinishedLineAndResetForgetsIt() {
        ContainerLogDecoder d = decoder(1 << 20);
        d.decode("2024-01-01T00:00:01Z stdout P cut short", 0, 1, out);
        d.reset();
        assertThat(d.heldSince()).isEqualTo(-1);
        d.decode("2024-01-01T00:00:01Z stdout P cut short", 0, 1, out);
        d.flush(out);
        assertThat(out).extracting(LogEntry::line).containsExactly("cut short");
    }
}
