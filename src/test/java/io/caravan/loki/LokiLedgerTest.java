package io.caravan.loki;

import io.caravan.component.SinkLedger;
import io.caravan.loki.testing.LokiReceiver;
import io.caravan.loki.testing.LokiReceiver.Answer;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.sink.SinkComponent;
import io.caravan.testing.LedgerSampler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.caravan.loki.SinkHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Loki sink's ledger through Camel: sources push while the receiver goes down (connection refused) and comes
 * back, the spill overflows its bound, lines over maxLineSize are dropped before the queue and the receiver refuses
 * some batches for good; the ledger balances at every reading, and once drained Loki holds exactly what it calls
 * acknowledged. Then a restart with entries on disk.
 */
class LokiLedgerTest {

    @TempDir
    Path dir;
    LokiReceiver loki;

    @BeforeEach
    void receiver() throws Exception {
        loki = new LokiReceiver();
    }

    @AfterEach
    void close() {
        loki.close();
    }

    /** A context with source routes src-0..src-(n-1) to one loki sink. */
    static final class Agent implements AutoCloseable {
        final CamelContext camel = new DefaultCamelContext();
        final ProducerTemplate template;

        Agent(String sinkUri, int sources) throws Exception {
            camel.getRegistry().bind("meterRegistry", new SimpleMeterRegistry());
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

        SinkComponent component() {
            return camel.getComponent("loki", SinkComponent.class);
        }

        SinkLedger ledger() {
            List<SinkLedger> all = component().ledgers();
            assertThat(all).hasSize(1);
            return all.get(0);
        }

        @Override
        public void close() throws Exception {
            camel.close();
        }
    }

    String uri(String more) {
        return "loki:test?url=" + loki.url() + "&queueDir=" + dir.resolve("spill") + "&batchWait=20ms&batchSize=16KB"
                + "&minBackoff=20ms&maxBackoff=100ms&flushTimeout=200ms&maxLineSize=1KB&maxLineSizePolicy=drop" + more;
    }

    /** n lines of one stream per source, in time order, each unique; every 50th over maxLineSize when oversized. */
    static List<LogEntry> lines(String source, long from, int n, boolean oversized) {
        List<LogEntry> out = new ArrayList<>(n);
        Labels stream = Labels.of("job", "ledger", "src", source);
        for (int i = 0; i < n; i++) {
            byte[] pad = new byte[60];
            ThreadLocalRandom.current().nextBytes(pad);
            long seq = from + i;
            String line = oversized && seq % 50 == 0 ? "x".repeat(2048) : "line " + seq + " " + HexFormat.of().formatHex(pad);
            out.add(new LogEntry(stream, 1_700_000_000_000_000_000L + seq, line));
        }
        return out;
    }

    @Test
    void theLedgerBalancesAtEveryReadingThroughAnOutageAndLokiHoldsWhatItCallsAcknowledged() throws Exception {
        // a batch now and then refused for good; 503 around the outage, so that no request the receiver took loses its
        // answer when it goes down (the sink would send it again: Loki would have it twice, or refuse it as out of order)
        AtomicBoolean failing = new AtomicBoolean();
        loki.script(n -> failing.get() ? Answer.status(503) : n % 40 == 7 ? Answer.status(400) : Answer.OK);
        try (Agent agent = new Agent(uri("&maxQueueBytes=1MiB&segmentSize=64KiB"), 3);
             LedgerSampler sampler = new LedgerSampler(agent.component())) {
            long[] pushed = new long[3];
            List<Thread> sources = new ArrayList<>();
            long start = System.currentTimeMillis();
            for (int t = 0; t < 3; t++) {
                int source = t;
                Thread th = new Thread(() -> {
                    long n = 0;
                    // 5 s of 100-line batches every 10 ms: 1 s up, 2.5 s down, 1.5 s up again
                    while (System.currentTimeMillis() - start < 5_000) {
                        agent.template.sendBody("direct:src-" + source, lines("src-" + source, n, 100, true));
                        n += 100;
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
            failing.set(true);
            Thread.sleep(100);
            loki.down(); // connections refused
            Thread.sleep(2_300);
            loki.up();
            Thread.sleep(100);
            failing.set(false);
            for (Thread th : sources) {
                th.join();
            }
            await("the queue drained", 60_000, () -> agent.ledger().queued() == 0);
            SinkLedger end = agent.ledger();
            sampler.close();

            assertThat(sampler.readings()).as("readings taken while pushing").isGreaterThan(500);
            assertThat(sampler.maxQueued()).as("the outage kept entries queued").isGreaterThan(5_000);
            assertThat(sampler.unbalanced()).as("readings that did not balance").isEmpty();

            long total = pushed[0] + pushed[1] + pushed[2];
            assertThat(end.produced()).isEqualTo(total);
            assertThat(end.sources()).isEqualTo(Map.of("src-0", pushed[0], "src-1", pushed[1], "src-2", pushed[2]));
            assertThat(end.dropped().get("line_too_long")).as("every 50th line, before the queue").isEqualTo(total / 50);
            assertThat(end.persisted()).isEqualTo(total - total / 50);
            assertThat(end.queued()).isZero();
            assertThat(end.acknowledged() + end.droppedTotal()).isEqualTo(end.produced());
            assertThat(loki.refusals()).isEmpty();
            assertThat((long) loki.accepted().size()).as("Loki's own count").isEqualTo(end.acknowledged());
            assertThat(end.dropped().keySet()).contains("line_too_long", "spill_full", "http_400")
                    .isSubsetOf("line_too_long", "spill_full", "http_400");
            assertThat(end.acknowledged()).as("a good part delivered").isGreaterThan(total / 10);
        }
    }

    @Test
    void afterARestartWhatTheSpillHeldIsCarriedOverAndStillBalances() throws Exception {
        loki.down();
        SinkLedger before;
        try (Agent first = new Agent(uri(""), 1)) {
            first.template.sendBody("direct:src-0", lines("src-0", 0, 300, false));
            before = first.ledger();
            assertThat(before.produced()).isEqualTo(300);
            assertThat(before.queued()).isEqualTo(300);
            assertThat(before.imbalance()).isZero();
        }
        loki.up();
        try (Agent second = new Agent(uri(""), 2)) {
            SinkLedger start = second.ledger();
            assertThat(start.carriedOver()).isEqualTo(300);
            assertThat(start.produced()).isEqualTo(300);
            assertThat(start.imbalance()).isZero();
            second.template.sendBody("direct:src-1", lines("src-1", 0, 200, false));
            await("the queue drained", 30_000, () -> second.ledger().queued() == 0);
            SinkLedger end = second.ledger();
            assertThat(end.produced()).isEqualTo(500);
            assertThat(end.persisted()).isEqualTo(200);
            assertThat(end.acknowledged()).isEqualTo(500);
            assertThat(end.dropped()).isEmpty();
            assertThat(end.sources()).isEqualTo(Map.of("src-1", 200L));
            assertThat(loki.accepted()).hasSize(500);
        }
    }
}
