package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Held multiline blocks in a running route ({@code source -> loki-process -> direct:sink}), as the log-pipeline
 * template wires it: a block leaves when its stream goes quiet although no exchange follows, and what is held when
 * the route stops goes to the sink rather than vanishing.
 */
class HeldEntriesReleaseTest {

    static final Labels APP = Labels.of("app", "api");

    final List<String> received = new CopyOnWriteArrayList<>();

    CamelContext route(Path dir, String maxWait) throws Exception {
        Path stages = dir.resolve("ml.yaml");
        Files.writeString(stages, "- multiline: {firstline: '^START', max_wait_time: " + maxWait + "}\n");
        CamelContext ctx = new DefaultCamelContext();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:sink").routeId("sink").process(e -> {
                    for (Object o : e.getMessage().getBody(List.class)) {
                        received.add(((LogEntry) o).line());
                    }
                });
                from("direct:logs").routeId("logs").to("loki-process:ml?stages=" + stages).to("direct:sink");
            }
        });
        ctx.start();
        return ctx;
    }

    void send(CamelContext ctx, String... lines) {
        List<LogEntry> batch = java.util.Arrays.stream(lines).map(l -> new LogEntry(APP, 1, l)).toList();
        ctx.createProducerTemplate().sendBody("direct:logs", batch);
    }

    @Test
    void a_block_leaves_after_max_wait_time_with_no_new_exchange(@TempDir Path dir) throws Exception {
        try (CamelContext ctx = route(dir, "300ms")) {
            send(ctx, "before", "START one", "  more");
            assertThat(received).as("the block is held; the line before any firstline is not").containsExactly("before");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (received.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(received).containsExactly("before", "START one\n  more");
            Thread.sleep(300 + 2 * HeldEntriesRelease.TICK_MILLIS);
            assertThat(received).as("released once").hasSize(2);
        }
    }

    @Test
    void what_is_held_when_the_route_stops_goes_to_the_sink(@TempDir Path dir) throws Exception {
        CamelContext ctx = route(dir, "1h");
        send(ctx, "START one", "  more", "START two");
        assertThat(received).containsExactly("START one\n  more");
        ctx.stop();
        assertThat(received).containsExactly("START one\n  more", "START two");
        ctx.close();
    }
}
