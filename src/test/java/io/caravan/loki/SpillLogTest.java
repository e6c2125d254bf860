package io.caravan.loki;

import io.caravan.wal.SegmentLog;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The disk queue on its own: order, acknowledgement across restarts, locking, and a real kill -9. */
class SpillLogTest {

    static final SegmentLog.Events NO_EVENTS = new SegmentLog.Events() {
        @Override
        public void overLimit(long entries) {
        }

        @Override
        public void corrupt(long bytes) {
        }
    };

    static final Labels L = Labels.of("app", "x");

    static List<LogEntry> batch(int from, int n) {
        List<LogEntry> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(new LogEntry(L, i, "entry " + i));
        }
        return out;
    }

    static List<String> readAll(SegmentLog<LogEntry> log) throws Exception {
        List<String> out = new ArrayList<>();
        LogEntry e;
        while ((e = log.peek()) != null) {
            out.add(e.line());
            log.advance();
        }
        return out;
    }

    @Test
    void resumes_at_the_acknowledged_entry_inside_a_record_after_a_restart(@TempDir Path dir) throws Exception {
        try (SegmentLog<LogEntry> log = new SegmentLog<>("t", dir, 1 << 20, 1 << 24, 1000, SpillCodec.CODEC, NO_EVENTS)) {
            SpillCodec.append(log, batch(0, 10));
            SpillCodec.append(log, batch(10, 10));
            for (int i = 0; i < 13; i++) {
                log.peek();
                log.advance();
            }
            log.ack(log.position(), 13);
            assertThat(log.pendingEntries()).isEqualTo(7);
        }
        try (SegmentLog<LogEntry> log = new SegmentLog<>("t", dir, 1 << 20, 1 << 24, 1000, SpillCodec.CODEC, NO_EVENTS)) {
            assertThat(log.pendingEntries()).isEqualTo(7);
            assertThat(readAll(log)).containsExactly("entry 13", "entry 14", "entry 15", "entry 16", "entry 17", "entry 18", "entry 19");
        }
    }

    @Test
    void rolls_segments_and_deletes_them_once_acknowledged(@TempDir Path dir) throws Exception {
        try (SegmentLog<LogEntry> log = new SegmentLog<>("t", dir, 64 * 1024, 1 << 24, 0, SpillCodec.CODEC, NO_EVENTS)) {
            for (int i = 0; i < 20_000; i += 100) {
                SpillCodec.append(log, batch(i, 100));
            }
            assertThat(log.segmentCount()).isGreaterThan(2);
            List<String> lines = readAll(log);
            assertThat(lines).hasSize(20_000).startsWith("entry 0").endsWith("entry 19999");
            log.ack(log.position(), 20_000);
            assertThat(log.segmentCount()).isEqualTo(1);
            assertThat(log.pendingEntries()).isZero();
        }
    }

    @Test
    void one_directory_serves_one_log(@TempDir Path dir) throws Exception {
        try (SegmentLog<LogEntry> log = new SegmentLog<>("a", dir, 1 << 20, 1 << 24, 1000, SpillCodec.CODEC, NO_EVENTS)) {
            assertThatThrownBy(() -> new SegmentLog<>("b", dir, 1 << 20, 1 << 24, 1000, SpillCodec.CODEC, NO_EVENTS))
                    .hasMessageContaining("is in use by another sink or agent");
        }
    }

    @Test
    void every_append_that_returned_survives_kill_9(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SpillAppender.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        int acknowledged = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ok ")) {
                    acknowledged = Integer.parseInt(line.substring(3));
                    if (acknowledged >= 300) {
                        child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no fsync
                        break;
                    }
                }
            }
        }
        child.waitFor();
        assertThat(acknowledged).as("child output").isGreaterThanOrEqualTo(300);
        try (SegmentLog<LogEntry> log = new SegmentLog<>("after", dir, 64 * 1024, 64L << 20, 1000, SpillCodec.CODEC, NO_EVENTS)) {
            List<String> lines = readAll(log);
            assertThat(lines.size()).isGreaterThanOrEqualTo((acknowledged + 1) * 10);
            for (int i = 0; i < lines.size(); i++) {
                assertThat(lines.get(i)).isEqualTo("entry " + i);
            }
        }
    }
}
