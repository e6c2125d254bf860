package io.caravan.loki;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A Camel context with direct:NAME -> loki:NAME?options routes and its own meter registry. */
final class SinkHarness implements AutoCloseable {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final CamelContext ctx = new DefaultCamelContext();
    final ProducerTemplate template;

    SinkHarness(String... nameAndUriPairs) throws Exception {
        ctx.getRegistry().bind("meterRegistry", registry);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < nameAndUriPairs.length; i += 2) {
                    from("direct:" + nameAndUriPairs[i]).to(nameAndUriPairs[i + 1]);
                }
            }
        });
        ctx.start();
        template = ctx.createProducerTemplate();
    }

    void send(String name, List<LogEntry> entries) {
        template.sendBody("direct:" + name, entries);
    }

    double counter(String metric, String... tags) {
        Counter c = registry.find(metric).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() throws Exception {
        ctx.close();
    }

    static List<LogEntry> entries(Labels labels, int from, int count) {
        List<LogEntry> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(new LogEntry(labels, 1_700_000_000_000_000_000L + i, String.format("line %06d", i)));
        }
        return out;
    }

    static void await(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after " + timeoutMs + "ms waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
