package io.caravan.sink;

import io.caravan.component.SinkLedger;
import io.caravan.wal.SegmentLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ledger's accounting, step by step on a real queue: what moves each count, when, and that a reading sees each step
 * whole. The sinks' own tests (RemoteWriteLedgerTest, LokiLedgerTest) hold it under load, outage and restart.
 */
class LedgerTest {

    @TempDir
    Path dir;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    SinkMeters meters() {
        return new SinkMeters(registry, "caravan_remote_write", "samples", "wal", "mimir");
    }

    SegmentLog<String> open(SinkMeters m) throws Exception {
        return new SegmentLog<>("ledger test", dir.resolve("q"), 64 * 1024, 16 << 20, 0, SenderTest.LINES, m);
    }

    static SinkLedger read(SinkMeters m, SegmentLog<String> log) {
        return m.gate().read(() -> m.ledger("remote-write", log.pendingEntries()));
    }

    /** One exchange as SinkProducer makes it a step: produced by its route, then appended. */
    static void hand(SinkMeters m, SegmentLog<String> log, String route, String... lines) throws Exception {
        long stamp = m.gate().enter();
        try {
            m.produced(route, lines.length);
            SenderTest.append(log, lines);
        } finally {
            m.gate().exit(stamp);
        }
    }

    @Test
    void eachCountMovesWithItsStepAndTheEquationHolds() throws Exception {
        SinkMeters m = meters();
        try (SegmentLog<String> log = open(m)) {
            hand(m, log, "kubelet-samples", "a", "b", "c", "d", "e");
            SinkLedger l = read(m, log);
            assertThat(l.produced()).isEqualTo(5);
            assertThat(l.persisted()).as("counted by the queue as it appends").isEqualTo(5);
            assertThat(l.queued()).isEqualTo(5);
            assertThat(l.acknowledged()).isZero();
            assertThat(l.imbalance()).isZero();

            // dropped before the queue: produced and dropped move together, nothing is persisted
            long stamp = m.gate().enter();
            m.produced("audit-logs", 2);
            m.dropped("line_too_long", 2);
            m.gate().exit(stamp);

            // a batch of all five comes back: 3 sent, 1 refused for good, 1 lost with a segment over the bound
            Settlement batch = new Settlement();
            for (int i = 0; i < 5; i++) {
                log.peek();
                log.advance();
            }
            batch.sent(3);
            batch.dropped("http_400", 1);
            batch.overLimit(1);
            assertThat(batch.entries()).isEqualTo(5);
            assertThat(read(m, log).acknowledged()).as("nothing counted before the acknowledgement").isZero();
            stamp = m.gate().enter();
            log.ack(log.position(), 5);
            batch.applyTo(m);
            m.gate().exit(stamp);
            assertThat(batch.entries()).as("a settlement starts over once counted").isZero();

            l = read(m, log);
            assertThat(l.produced()).isEqualTo(7);
            assertThat(l.persisted()).isEqualTo(5);
            assertThat(l.acknowledged()).isEqualTo(3);
            assertThat(l.dropped()).isEqualTo(Map.of("line_too_long", 2L, "http_400", 1L, "wal_full", 1L));
            assertThat(l.droppedTotal()).isEqualTo(4);
            assertThat(l.queued()).isZero();
            assertThat(l.imbalance()).isZero();
            assertThat(l.sources()).isEqualTo(Map.of("kubelet-samples", 5L, "audit-logs", 2L));
            assertThat(l.component()).isEqualTo("remote-write");
            assertThat(l.sink()).isEqualTo("mimir");
            // the same numbers as the sink's own meters
            assertThat(registry.get("caravan_remote_write_samples_in").counter().count()).isEqualTo(7);
            assertThat(registry.get("caravan_remote_write_samples_sent").counter().count()).isEqualTo(3);
            assertThat(registry.get("caravan_remote_write_samples_dropped").tag("reason", "http_400").counter().count()).isEqualTo(1);
        }
    }

    @Test
    void countsThatDisagreeWithTheQueueShowAsAnImbalance() throws Exception {
        SinkMeters m = meters();
        try (SegmentLog<String> log = open(m)) {
            hand(m, log, "r", "a", "b", "c");
            m.produced("r", 4); // handed over but neither queued nor counted as dropped: lost count of
            assertThat(read(m, log).imbalance()).isEqualTo(4);
            Settlement s = new Settlement();
            s.sent(3);
            s.dropped("http_400", 2); // two more settled than the batch held
            log.peek();
            log.advance();
            log.peek();
            log.advance();
            log.peek();
            log.advance();
            log.ack(log.position(), 3);
            s.applyTo(m);
            assertThat(read(m, log).imbalance()).isEqualTo(4 - 2);
        }
    }

    @Test
    void aNewRunStartsItsCountsAtZeroAndCarriesOverWhatTheQueueHeld() throws Exception {
        SinkMeters first = meters();
        try (SegmentLog<String> log = open(first)) {
            hand(first, log, "r", "a", "b", "c", "d");
            log.peek();
            log.advance();
            Settlement s = new Settlement();
            s.sent(1);
            log.ack(log.position(), 1);
            s.applyTo(first);
            SinkLedger l = read(first, log);
            assertThat(l.produced()).isEqualTo(4);
            assertThat(l.queued()).isEqualTo(3);
        }
        // a restart of the sink (its route, or the agent): the registry keeps its meters, the disk keeps 3 entries
        SinkMeters second = meters();
        try (SegmentLog<String> log = open(second)) {
            SinkLedger l = read(second, log);
            assertThat(l.carriedOver()).isEqualTo(3);
            assertThat(l.produced()).as("carried over counts as produced").isEqualTo(3);
            assertThat(l.persisted()).isZero();
            assertThat(l.acknowledged()).as("this run's, not the meter's total").isZero();
            assertThat(l.queued()).isEqualTo(3);
            assertThat(l.imbalance()).isZero();
            assertThat(l.sources()).isEmpty();
            hand(second, log, "r", "e");
            for (int i = 0; i < 4; i++) {
                log.peek();
                log.advance();
            }
            Settlement s = new Settlement();
            s.sent(3);
            s.dropped("http_401", 1);
            log.ack(log.position(), 4);
            s.applyTo(second);
            l = read(second, log);
            assertThat(l.produced()).isEqualTo(4);
            assertThat(l.acknowledged()).isEqualTo(3);
            assertThat(l.dropped()).isEqualTo(Map.of("http_401", 1L));
            assertThat(l.queued()).isZero();
            assertThat(l.imbalance()).isZero();
            assertThat(l.sources()).isEqualTo(Map.of("r", 1L));
        }
        assertThat(registry.get("caravan_remote_write_samples_sent").counter().count()).as("the meter goes on across runs").isEqualTo(4);
    }

    @Test
    void anEntryTheBoundDeletesAfterItWasHandedOutIsDroppedAndNotAlsoSent() throws Exception {
        SinkMeters m = meters();
        String line = "x".repeat(300);
        // segments of about three 316-byte records, at most about three segments on disk
        try (SegmentLog<String> log = new SegmentLog<>("ledger test", dir.resolve("b"), 1_000, 3_000, 0, SenderTest.LINES, m)) {
            hand(m, log, "r", line, line);
            long trims = log.readerTrims();
            assertThat(log.peek()).isEqualTo(line); // the sender has it in hand, not yet advanced past
            for (int i = 0; i < 12; i++) {
                hand(m, log, "r", line); // the bound deletes the reader's segment (and more): their entries count as wal_full
            }
            SinkLedger l = read(m, log);
            long full = l.dropped().get("wal_full");
            assertThat(full).as("the two in the reader's segment at least").isGreaterThanOrEqualTo(2);
            assertThat(l.imbalance()).isZero();
            assertThat(log.advance(1, trims)).as("the entry in hand was dropped: the sender must not send it").isFalse();
            long again = log.readerTrims();
            assertThat(log.peek()).as("the next one on disk").isEqualTo(line);
            assertThat(log.advance(1, again)).isTrue();
            // the sender sends the rest; had it sent the dropped one too, the queue would count it out twice
            int rest = 1;
            while (log.peek() != null) {
                log.advance(1, log.readerTrims());
                rest++;
            }
            Settlement s = new Settlement();
            s.sent(rest);
            long stamp = m.gate().enter();
            log.ack(log.position(), rest);
            s.applyTo(m);
            m.gate().exit(stamp);
            l = read(m, log);
            assertThat(l.produced()).isEqualTo(14);
            assertThat(l.queued()).isZero();
            assertThat(l.acknowledged()).isEqualTo(14 - full);
            assertThat(l.imbalance()).isZero();
        }
    }

    @Test
    void aReadingWaitsForTheStepUnderWayAndSeesItWhole() throws Exception {
        SinkMeters m = meters();
        // threads of their own: the common pool may have a single one, which would make the reading wait anyway
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (SegmentLog<String> log = open(m)) {
            CountDownLatch inStep = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            CompletableFuture<Void> step = CompletableFuture.runAsync(() -> {
                long stamp = m.gate().enter();
                try {
                    m.produced("r", 2);
                    inStep.countDown();
                    finish.await(); // produced counted, not yet appended
                    SenderTest.append(log, "x", "y");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                } finally {
                    m.gate().exit(stamp);
                }
            }, threads);
            assertThat(inStep.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<SinkLedger> reading = CompletableFuture.supplyAsync(() -> read(m, log), threads);
            assertThatThrownBy(() -> reading.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            finish.countDown();
            SinkLedger l = reading.get(5, TimeUnit.SECONDS);
            step.get(5, TimeUnit.SECONDS);
            assertThat(l.produced()).isEqualTo(2);
            assertThat(l.queued()).isEqualTo(2);
            assertThat(l.imbalance()).isZero();
        } finally {
            threads.shutdownNow();
        }
    }
}
