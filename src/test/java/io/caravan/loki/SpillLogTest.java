package io.caravan.loki;

import io.caravan.loki.testing.LokiPushDecoder;
import io.caravan.wal.SegmentLog;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.xerial.snappy.Snappy;
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

    static final PushEncoder ENCODER = new PushEncoder(Labels.EMPTY);
    static final LokiMetrics METRICS = new LokiMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), "spill-log-test");

    static SegmentLog<LokiRecords.Piece> open(String name, Path dir, long segmentBytes, long maxBytes, long syncMs) throws Exception {
        return new SegmentLog<>(name, dir, segmentBytes, maxBytes, syncMs, new LokiRecords(new PushEncoder(Labels.EMPTY)), NO_EVENTS);
    }

    static void append(SegmentLog<LokiRecords.Piece> log, List<LogEntry> entries) throws Exception {
        LokiRecords.append(log, ENCODER, entries, 1 << 20, METRICS);
    }

    /** Every line the log holds, read as the sender reads it: piece by piece, each piece's entries taken at once. */
    static List<String> readAll(SegmentLog<LokiRecords.Piece> log) throws Exception {
        List<String> out = new ArrayList<>();
        LokiRecords.Piece p;
        while ((p = log.peek()) != null) {
            int skip = log.position().index() - p.firstIndex();
            List<String> lines = new ArrayList<>();
            byte[] body = Snappy.compress(java.util.Arrays.copyOfRange(p.bytes(), p.offset(), p.offset() + p.length()));
            for (LokiPushDecoder.Stream s : LokiPushDecoder.decode(body)) {
                s.entries().forEach(e -> lines.add(e.line()));
            }
            out.addAll(lines.subList(skip, lines.size()));
            for (int i = skip; i < p.entries(); i++) {
                log.advance();
            }
        }
        return out;
    }

    @Test
    void resumes_at_the_acknowledged_record_after_a_restart(@TempDir Path dir) throws Exception {
        try (SegmentLog<LokiRecords.Piece> log = open("t", dir, 1 << 20, 1 << 24, 1000)) {
            append(log, batch(0, 10));
            append(log, batch(10, 10));
            append(log, batch(20, 10));
            LokiRecords.Piece first = log.peek();
            for (int i = 0; i < first.entries(); i++) {
                log.advance();
            }
            log.ack(log.position(), 10);
            assertThat(log.pendingEntries()).isEqualTo(20);
        }
        try (SegmentLog<LokiRecords.Piece> log = open("t", dir, 1 << 20, 1 << 24, 1000)) {
            assertThat(log.pendingEntries()).isEqualTo(20);
            assertThat(readAll(log)).hasSize(20).startsWith("entry 10").endsWith("entry 29");
        }
    }

    @Test
    void records_an_older_agent_spilled_are_sent_after_an_upgrade_from_the_acknowledged_entry(@TempDir Path dir) throws Exception {
        // an old agent's spill: two records in the old format, acknowledged up to entry 13 (inside the second)
        try (SegmentLog<LogEntry> old = new SegmentLog<>("old", dir, 1 << 20, 1 << 24, 1000, OldSpillRecord::decode, NO_EVENTS)) {
            OldSpillWriter.append(old, batch(0, 10));
            OldSpillWriter.append(old, batch(10, 10));
            for (int i = 0; i < 13; i++) {
                old.peek();
                old.advance();
            }
            old.ack(old.position(), 13);
        }
        try (SegmentLog<LokiRecords.Piece> log = open("new", dir, 1 << 20, 1 << 24, 1000)) {
            append(log, batch(20, 5)); // the upgraded agent appends in the new format behind them
            assertThat(log.pendingEntries()).isEqualTo(12);
            List<String> lines = readAll(log);
            assertThat(lines).containsExactly("entry 13", "entry 14", "entry 15", "entry 16", "entry 17", "entry 18", "entry 19",
                    "entry 20", "entry 21", "entry 22", "entry 23", "entry 24");
        }
    }

    @Test
    void an_old_record_is_sent_under_the_sinks_stream_labels(@TempDir Path dir) throws Exception {
        try (SegmentLog<LogEntry> old = new SegmentLog<>("old", dir, 1 << 20, 1 << 24, 1000, OldSpillRecord::decode, NO_EVENTS)) {
            OldSpillWriter.append(old, List.of(new LogEntry(L, 5, "with metadata", Labels.of("trace_id", "t1"))));
        }
        LokiRecords codec = new LokiRecords(new PushEncoder(Labels.of("cluster", "c1")));
        try (SegmentLog<LokiRecords.Piece> log = new SegmentLog<>("new", dir, 1 << 20, 1 << 24, 1000, codec, NO_EVENTS)) {
            LokiRecords.Piece p = log.peek();
            List<LokiPushDecoder.Stream> streams = LokiPushDecoder.decode(Snappy.compress(
                    java.util.Arrays.copyOfRange(p.bytes(), p.offset(), p.offset() + p.length())));
            assertThat(streams).hasSize(1);
            assertThat(streams.get(0).labels()).isEqualTo("{app=\"x\", cluster=\"c1\"}");
            assertThat(streams.get(0).entries().get(0).line()).isEqualTo("with metadata");
            assertThat(streams.get(0).entries().get(0).timestampNanos()).isEqualTo(5);
            assertThat(streams.get(0).entries().get(0).metadata()).containsEntry("trace_id", "t1");
        }
    }

    static List<LogEntry> asTenant(String tenant, List<LogEntry> entries) {
        return entries.stream().map(e -> e.withLabels(e.labels().toBuilder().set(LogEntry.TENANT_LABEL, tenant).build())).toList();
    }

    @Test
    void each_tenant_of_an_append_is_a_record_of_its_own_that_keeps_its_tenant_across_a_restart(@TempDir Path dir) throws Exception {
        List<LogEntry> mixed = new ArrayList<>(asTenant("t1", batch(0, 2)));
        mixed.addAll(batch(2, 2));
        mixed.addAll(asTenant("t1", batch(4, 1)));
        try (SegmentLog<LokiRecords.Piece> log = open("t", dir, 1 << 20, 1 << 24, 1000)) {
            append(log, mixed);
        }
        try (SegmentLog<LokiRecords.Piece> log = open("t", dir, 1 << 20, 1 << 24, 1000)) {
            LokiRecords.Piece first = log.peek();
            assertThat(first.tenant()).isEqualTo("t1");
            assertThat(first.entries()).isEqualTo(3);
            List<LokiPushDecoder.Stream> streams = LokiPushDecoder.decode(Snappy.compress(
                    java.util.Arrays.copyOfRange(first.bytes(), first.offset(), first.offset() + first.length())));
            assertThat(streams).singleElement().satisfies(s -> {
                assertThat(s.labels()).as("the label is not in the stream").isEqualTo("{app=\"x\"}");
                assertThat(s.entries()).extracting(LokiPushDecoder.Entry::line).containsExactly("entry 0", "entry 1", "entry 4");
            });
            for (int i = 0; i < 3; i++) {
                log.advance();
            }
            LokiRecords.Piece second = log.peek();
            assertThat(second.tenant()).as("no label: the sink's own tenant").isNull();
            assertThat(readAll(log)).containsExactly("entry 2", "entry 3");
        }
    }

    @Test
    void an_old_record_keeps_a_tenant_label_as_its_tenant(@TempDir Path dir) throws Exception {
        try (SegmentLog<LogEntry> old = new SegmentLog<>("old", dir, 1 << 20, 1 << 24, 1000, OldSpillRecord::decode, NO_EVENTS)) {
            OldSpillWriter.append(old, List.of(new LogEntry(L, 1, "plain"), new LogEntry(L.toBuilder().set(LogEntry.TENANT_LABEL, "t7").build(), 2, "t7's")));
        }
        try (SegmentLog<LokiRecords.Piece> log = open("new", dir, 1 << 20, 1 << 24, 1000)) {
            assertThat(log.peek().tenant()).isNull();
            log.advance();
            LokiRecords.Piece p = log.peek();
            assertThat(p.tenant()).isEqualTo("t7");
            assertThat(LokiPushDecoder.decode(Snappy.compress(java.util.Arrays.copyOfRange(p.bytes(), p.offset(), p.offset() + p.length())))
                    .get(0).labels()).isEqualTo("{app=\"x\"}");
        }
    }

    @Test
    void a_tenant_record_cut_short_is_refused_as_damaged() {
        LokiRecords codec = new LokiRecords(ENCODER);
        byte[] noStreams = {0x12, 0x02, 't', '1'};
        assertThatThrownBy(() -> codec.decode(noStreams, 0, noStreams.length, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without its tenant or its streams");
        byte[] cut = {0x12, 0x05, 't', '1'};
        assertThatThrownBy(() -> codec.decode(cut, 0, cut.length, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rolls_segments_and_deletes_them_once_acknowledged(@TempDir Path dir) throws Exception {
        try (SegmentLog<LokiRecords.Piece> log = open("t", dir, 64 * 1024, 1 << 24, 0)) {
            for (int i = 0; i < 20_000; i += 100) {
                append(log, batch(i, 100));
            }
            assertThat(log.segmentCount()).isGreaterThan(2);
            List<String> lines = readAll(log);
            assertThat(lines).hasSize(20_000).startsWith("entry 0").endsWith("entry 19999");
            log.ack(log.position(), 20_000);
            assertThat(log.segmentCount()).isEqualTo(1);
            assertThat(log.pendingEntries()).isZero();
        }
    }

    /** Records are built outside the log's lock: appenders in parallel, across segment rolls, lose and mix nothing. */
    @Test
    void appends_from_several_threads_each_land_whole_and_in_each_threads_order(@TempDir Path dir) throws Exception {
        int threads = 4;
        int perThread = 5_000;
        try (SegmentLog<LokiRecords.Piece> log = open("t", dir, 64 * 1024, 1 << 26, 0)) {
            List<Thread> appenders = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                PushEncoder own = new PushEncoder(Labels.EMPTY); // one per thread, as LokiProducer keeps them
                Thread appender = new Thread(() -> {
                    try {
                        for (int i = 0; i < perThread; i += 50) {
                            LokiRecords.append(log, own, batch(base + i, 50), 1 << 20, METRICS);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                appender.start();
                appenders.add(appender);
            }
            for (Thread t : appenders) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertThat(log.segmentCount()).isGreaterThan(2);
            List<String> lines = readAll(log);
            assertThat(lines).hasSize(threads * perThread).doesNotHaveDuplicates();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                List<Integer> mine = lines.stream().map(l -> Integer.parseInt(l.substring("entry ".length())))
                        .filter(n -> n >= base && n < base + perThread).toList();
                assertThat(mine).isSorted().hasSize(perThread);
            }
        }
    }

    @Test
    void one_directory_serves_one_log(@TempDir Path dir) throws Exception {
        try (SegmentLog<LokiRecords.Piece> log = open("a", dir, 1 << 20, 1 << 24, 1000)) {
            assertThatThrownBy(() -> open("b", dir, 1 << 20, 1 << 24, 1000))
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
        try (SegmentLog<LokiRecords.Piece> log = open("after", dir, 64 * 1024, 64L << 20, 1000)) {
            List<String> lines = readAll(log);
            assertThat(lines.size()).isGreaterThanOrEqualTo((acknowledged + 1) * 10);
            for (int i = 0; i < lines.size(); i++) {
                assertThat(lines.get(i)).isEqualTo("entry " + i);
            }
        }
    }
}
