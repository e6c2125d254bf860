package io.caravan.remotewrite;

import io.caravan.component.SinkLedger;
import io.caravan.model.Labels;
import io.caravan.model.Sample;
import io.caravan.sink.SinkComponent;
import io.caravan.testing.LedgerSampler;
import io.caravan.testing.RecordingReceiver;
import io.caravan.testing.RecordingReceiver.Answer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The remote-write sink's ledger through Camel, as the agent runs it (source routes to direct:sink to remote-write:),
 * read thousands of times while several sources push and the receiver goes down and comes back, the WAL overflows
 * its bound, samples grow too old and the receiver refuses some: produced = acknowledged + dropped + queued at every
 * reading, and once drained the receiver holds exactly what the ledger calls acknowledged. Then a restart with
 * samples on disk, into fewer shards.
 */
class RemoteWriteLedgerTest {

    @TempDir
    Path dir;

    /** A context with source routes src-0..src-(n-1) to one remote-write sink. */
    static final class Agent implements AutoCloseable {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final CamelContext camel = new DefaultCamelContext();
        final ProducerTemplate template;

        Agent(String sinkUri, int sources) throws Exception {
            camel.getRegistry().bind("meterRegistry", registry);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (int i = 0; i < sources; i++) {
                        from("direct:src-" + i).routeId("src-" + i).to("direct:sink");
                    }
                    from("direct:sink").routeId("sink").to(sinkUri);
                }
            });
            camel.start();
            template = camel.createProducerTemplate();
        }

        SinkLedger ledger() {
            List<SinkLedger> all = camel.getComponent("remote-write", SinkComponent.class).ledgers();
            assertThat(all).hasSize(1);
            return all.get(0);
        }

        SinkComponent component() {
            return camel.getComponent("remote-write", SinkComponent.class);
        }

        @Override
        public void close() throws Exception {
            camel.close();
        }
    }

    String uri(String url, int shards, String more) {
        return "remote-write:test?url=" + url + "&queueDir=" + dir.resolve("wal") + "&shards=" + shards
                + "&maxSamplesPerSend=200&batchSendDeadline=20ms&minBackoff=20ms&maxBackoff=100ms&flushTimeout=200ms"
                + "&metadataSendInterval=0" + more;
    }

    /**
     * n samples of their own series each, with a label of random hex so the WAL cannot compress them away; the first,
     * when withRefused, of a series the test's receiver refuses (its request then 400, split until it is alone).
     */
    static List<Sample> samples(String source, long from, int n, boolean withRefused) {
        List<Sample> out = new ArrayList<>(n);
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            byte[] pad = new byte[48];
            ThreadLocalRandom.current().nextBytes(pad);
            Labels l = withRefused && i == 0 ? Labels.of("__name__", "ledger_load", "src", source, "refuse", "yes")
                    : Labels.of("__name__", "ledger_load", "src", source, "n", Long.toString(from + i), "pad", HexFormat.of().formatHex(pad));
            out.add(new Sample(l, now, i));
        }
        return out;
    }

    static void await(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void theLedgerBalancesAtEveryReadingThroughAnOutageAndTheReceiverHoldsWhatItCallsAcknowledged() throws Exception {
        AtomicLong outage = new AtomicLong(); // while set: every request answered 503
        try (RecordingReceiver rx = RecordingReceiver.byRequest(r -> outage.get() != 0 ? new Answer(503, Map.of())
                : r.samples().stream().anyMatch(s -> "yes".equals(s.labels().get("refuse"))) ? new Answer(400, Map.of()) : Answer.OK);
             Agent agent = new Agent(uri(rx.url(), 2, "&maxQueueBytes=2MiB&segmentSize=64KiB&maxWalAge=1s"), 3);
             LedgerSampler sampler = new LedgerSampler(agent.component())) {
            long[] pushed = new long[3];
            List<Thread> sources = new ArrayList<>();
            long start = System.currentTimeMillis();
            for (int t = 0; t < 3; t++) {
                int source = t;
                Thread th = new Thread(() -> {
                    long n = 0;
                    int round = 0;
                    // 5 s of 100-sample scrapes every 10 ms: 1 s up, 2.5 s down (503), 1.5 s up again
                    while (System.currentTimeMillis() - start < 5_000) {
                        List<Sample> batch = samples("src-" + source, n, 100, round++ % 25 == 0);
                        agent.template.sendBody("direct:src-" + source, batch);
                        n += batch.size();
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    pushed[source] = n;
                });
                sources.add(th);
                th.start();
            }
            Thread.sleep(1_000);
            outage.set(1);
            Thread.sleep(2_500);
            outage.set(0);
            for (Thread th : sources) {
                th.join();
            }
            await("the queue drained", 60_000, () -> agent.ledger().queued() == 0);
            SinkLedger end = agent.ledger();
            sampler.close();

            assertThat(sampler.readings()).as("readings taken while pushing").isGreaterThan(500);
            assertThat(sampler.maxQueued()).as("the outage kept samples queued").isGreaterThan(10_000);
            assertThat(sampler.unbalanced()).as("readings that did not balance").isEmpty();

            long total = pushed[0] + pushed[1] + pushed[2];
            assertThat(end.produced()).isEqualTo(total);
            assertThat(end.sources()).isEqualTo(Map.of("src-0", pushed[0], "src-1", pushed[1], "src-2", pushed[2]));
            assertThat(end.carriedOver()).isZero();
            assertThat(end.persisted()).as("nothing failed to be written").isEqualTo(total);
            assertThat(end.queued()).isZero();
            assertThat(end.acknowledged() + end.droppedTotal()).isEqualTo(end.produced());
            assertThat((long) rx.accepted().size()).as("the receiver's own count").isEqualTo(end.acknowledged());
            assertThat(end.dropped().keySet()).as("dropped for the reasons the test provokes, and no other")
                    .contains("wal_full", "rejected").isSubsetOf("wal_full", "too_old", "rejected");
            assertThat(end.acknowledged()).as("a good part delivered").isGreaterThan(total / 10);
            assertThat(agent.registry.get("caravan_remote_write_samples_sent").counter().count()).isEqualTo(end.acknowledged());
        }
    }

    @Test
    void afterARestartWhatTheQueueHeldIsCarriedOverAndStillBalances() throws Exception {
        AtomicLong outage = new AtomicLong(1);
        try (RecordingReceiver rx = RecordingReceiver.byRequest(r -> outage.get() != 0 ? new Answer(503, Map.of()) : Answer.OK)) {
            SinkLedger before;
            try (Agent first = new Agent(uri(rx.url(), 4, ""), 2)) {
                for (int i = 0; i < 10; i++) {
                    first.template.sendBody("direct:src-0", samples("src-0", i * 100L, 100, false));
                }
                before = first.ledger();
                assertThat(before.produced()).isEqualTo(1_000);
                assertThat(before.queued()).isEqualTo(1_000);
                assertThat(before.imbalance()).isZero();
            } // stopped while every request fails: all 1000 stay in the WAL

            outage.set(0);
            try (Agent second = new Agent(uri(rx.url(), 2, ""), 2); // fewer shards: two shard logs are inherited
                 LedgerSampler sampler = new LedgerSampler(second.component())) {
                SinkLedger start = second.ledger();
                assertThat(start.carriedOver()).as("what the queue held at the stop").isEqualTo(before.queued());
                assertThat(start.produced()).isEqualTo(1_000);
                assertThat(start.persisted()).isZero();
                assertThat(start.imbalance()).isZero();
                for (int i = 0; i < 5; i++) {
                    second.template.sendBody("direct:src-1", samples("src-1", i * 100L, 100, false));
                }
                await("the queue drained", 30_000, () -> second.ledger().queued() == 0);
                SinkLedger end = second.ledger();
                sampler.close();
                assertThat(sampler.unbalanced()).isEmpty();
                assertThat(sampler.readings()).isPositive();
                assertThat(end.produced()).isEqualTo(1_500);
                assertThat(end.carriedOver()).isEqualTo(1_000);
                assertThat(end.persisted()).isEqualTo(500);
                assertThat(end.sources()).as("this run's sources only").isEqualTo(Map.of("src-1", 500L));
                assertThat(end.acknowledged()).isEqualTo(1_500);
                assertThat(end.dropped()).isEmpty();
                assertThat(rx.accepted()).hasSize(1_500);
            }
        }
    }
}
