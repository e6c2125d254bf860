package io.caravan.sink;

import io.caravan.component.ComponentStatus;
import io.caravan.component.ComponentStatus.Health;
import io.caravan.component.DebugView;
import io.caravan.loki.LokiComponent;
import io.caravan.loki.testing.LokiReceiver;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.model.Sample;
import io.caravan.remotewrite.RemoteWriteComponent;
import io.caravan.testing.RecordingReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Both sinks report the same way: state, health, queue, last error, details; debug sinks as DebugViews of their component. */
class SinkStatusTest {

    @TempDir
    Path tmp;

    private static CamelContext camel(String... nameAndUri) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        ctx.getRegistry().bind("meterRegistry", new SimpleMeterRegistry());
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < nameAndUri.length; i += 2) {
                    from("direct:" + nameAndUri[i]).to(nameAndUri[i + 1]);
                }
            }
        });
        ctx.start();
        return ctx;
    }

    private static ComponentStatus await(Supplier<List<ComponentStatus>> statuses, String state) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            List<ComponentStatus> s = statuses.get();
            if (s.size() == 1 && state.equals(s.get(0).state())) {
                return s.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no sink reached " + state + ": " + statuses.get());
    }

    @Test
    void sinks_without_a_receiver_report_debug_and_hold_their_debug_views() throws Exception {
        try (CamelContext ctx = camel("m", "remote-write:dbg-m?externalLabels=cluster=c1", "l", "loki:dbg-l?externalLabels=cluster=c1")) {
            ProducerTemplate t = ctx.createProducerTemplate();
            t.sendBody("direct:m", List.of(new Sample(Labels.of("__name__", "up", "job", "j"), 1000, 1)));
            t.sendBody("direct:l", List.of(new LogEntry(Labels.of("app", "a"), 2_000_000_000L, "hello")));
            RemoteWriteComponent rw = ctx.getComponent("remote-write", RemoteWriteComponent.class);
            LokiComponent loki = ctx.getComponent("loki", LokiComponent.class);
            for (SinkComponent c : new SinkComponent[]{rw, loki}) {
                ComponentStatus s = c.statuses().get(0);
                assertThat(s.state()).isEqualTo("debug");
                assertThat(s.health()).isEqualTo(Health.UP);
                assertThat(s.details()).containsEntry("received", 1L).containsEntry("debugView", "/debug/sinks/" + s.name());
            }
            DebugView m = rw.debugViews().get(0);
            assertThat(m.name()).isEqualTo("dbg-m");
            assertThat(m.summary()).isEqualTo("series=1\treceived=1\tbatches=1\tnot_kept=0");
            assertThat(m.render()).isEqualTo("# sink dbg-m: latest sample per series; 1 samples received in 1 batches\n"
                    + "up{cluster=\"c1\",job=\"j\"} 1 1000\n");
            DebugView l = loki.debugViews().get(0);
            assertThat(l.summary()).isEqualTo("latest_entries=1\treceived=1");
            assertThat(l.render()).isEqualTo("# sink dbg-l: latest entries; 1 received\n1970-01-01T00:00:02Z {app=\"a\", cluster=\"c1\"} hello\n");
        }
    }

    @Test
    void both_sinks_report_ok_with_their_queue_and_details_once_the_receiver_takes_a_request() throws Exception {
        try (RecordingReceiver mimir = new RecordingReceiver(n -> RecordingReceiver.Answer.OK);
             LokiReceiver lokiRx = new LokiReceiver();
             CamelContext ctx = camel(
                     "m", "remote-write:m?url=" + mimir.url() + "&queueDir=" + tmp.resolve("m") + "&shards=2&batchSendDeadline=20ms",
                     "l", "loki:l?url=" + lokiRx.url() + "&queueDir=" + tmp.resolve("l") + "&batchWait=20ms")) {
            ProducerTemplate t = ctx.createProducerTemplate();
            t.sendBody("direct:m", List.of(new Sample(Labels.of("__name__", "up"), 1000, 1)));
            t.sendBody("direct:l", List.of(new LogEntry(Labels.of("app", "a"), 1, "hello")));
            ComponentStatus m = await(ctx.getComponent("remote-write", RemoteWriteComponent.class)::statuses, "ok");
            ComponentStatus l = await(ctx.getComponent("loki", LokiComponent.class)::statuses, "ok");
            for (ComponentStatus s : List.of(m, l)) {
                assertThat(s.health()).isEqualTo(Health.UP);
                assertThat(s.queue()).isNotNull();
                assertThat(s.lastError()).isNull();
                assertThat((String) s.details().get("url")).startsWith("http://127.0.0.1:");
            }
            assertThat(m.details()).containsEntry("shards", 2).containsEntry("queueDir", tmp.resolve("m").toString());
            assertThat(m.component()).isEqualTo("remote-write");
            assertThat(l.component()).isEqualTo("loki");
        }
    }

    @Test
    void a_failing_receiver_makes_both_sinks_degraded_with_the_error_and_the_waiting_queue() throws Exception {
        try (RecordingReceiver mimir = new RecordingReceiver(n -> new RecordingReceiver.Answer(503, java.util.Map.of()));
             LokiReceiver lokiRx = new LokiReceiver()) {
            lokiRx.script(n -> LokiReceiver.Answer.status(503));
            try (CamelContext ctx = camel(
                    "m", "remote-write:m?url=" + mimir.url() + "&walDir=" + tmp.resolve("m") + "&shards=1&batchSendDeadline=20ms&flushTimeout=100ms",
                    "l", "loki:l?url=" + lokiRx.url() + "&spillDir=" + tmp.resolve("l") + "&batchWait=20ms&minBackoff=20ms&flushTimeout=100ms")) {
                ProducerTemplate t = ctx.createProducerTemplate();
                t.sendBody("direct:m", List.of(new Sample(Labels.of("__name__", "up"), 1000, 1), new Sample(Labels.of("__name__", "x"), 1000, 1)));
                t.sendBody("direct:l", List.of(new LogEntry(Labels.of("app", "a"), 1, "hello")));
                ComponentStatus m = await(ctx.getComponent("remote-write", RemoteWriteComponent.class)::statuses, "retrying");
                ComponentStatus l = await(ctx.getComponent("loki", LokiComponent.class)::statuses, "retrying");
                assertThat(m.queue().entries()).isEqualTo(2);
                assertThat(l.queue().entries()).isEqualTo(1);
                for (ComponentStatus s : List.of(m, l)) {
                    assertThat(s.health()).isEqualTo(Health.DEGRADED);
                    assertThat(s.queue().diskBytes()).isPositive();
                    assertThat(s.lastError()).startsWith("HTTP 503 from http://127.0.0.1:");
                    assertThat(s.lastErrorAt()).isNotNull();
                }
            }
        }
    }
}
