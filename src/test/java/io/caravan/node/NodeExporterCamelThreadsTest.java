package io.caravan.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** In the agent the exporter's collectors run on Camel's threads, with the same timeouts, and give them back on close. */
class NodeExporterCamelThreadsTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();

    @BeforeEach
    void start() {
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    /** A collector that notes the thread it ran on. */
    private static Collector recording(String name, AtomicReference<String> thread) {
        return new Collector() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void collect(MetricFamilies out) {
                thread.set(Thread.currentThread().getName());
                out.family("node_test_ran", "x", MetricType.GAUGE).add(1);
            }
        };
    }

    @Test
    void theBeanRunsItsCollectorsOnCamelsThreadsUntilItIsDestroyed() {
        NodeExporter exporter = new NodeExporterConfiguration().builtInNodeExporter("/proc", "/sys", "/", "/run/udev/data", "time", camel);
        AtomicReference<String> thread = new AtomicReference<>();
        exporter.replaceCollector("time", recording("time", thread));
        assertThat(new String(exporter.scrape(), StandardCharsets.UTF_8)).contains("node_scrape_collector_success{collector=\"time\"} 1");
        assertThat(thread.get()).startsWith("Camel (").endsWith("node-exporter");

        exporter.close(); // what Spring calls when the bean is destroyed
        assertThat(new String(exporter.scrape(), StandardCharsets.UTF_8)).as("its threads are gone")
                .contains("node_scrape_collector_success{collector=\"time\"} 0");
    }

    @Test
    void aHangingCollectorTimesOutAloneOnCamelsPoolAndCloseInterruptsIt() throws Exception {
        ExecutorServiceManager threads = camel.getExecutorServiceManager();
        NodeExporterConfig config = Fixtures.config("real").statfs(Fixtures.table(Map.of("/", new Statfs.Result(4096, 100, 50, 40, 1000, 500))))
                .collectorTimeout(Duration.ofMillis(500)).collectors(List.of("loadavg", "vmstat")).build();
        CountDownLatch interrupted = new CountDownLatch(1);
        NodeExporter exporter = new NodeExporter(config, threads.newCachedThreadPool(this, "node-exporter"), threads::shutdownNow);
        exporter.replaceCollector("vmstat", new Collector() {
            @Override
            public String name() {
                return "vmstat";
            }

            @Override
            public void collect(MetricFamilies out) {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            }
        });
        for (int scrape = 1; scrape <= 2; scrape++) {
            long t0 = System.nanoTime();
            String s = new String(exporter.scrape(), StandardCharsets.UTF_8);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("scrape %d", scrape).isLessThan(Duration.ofSeconds(3));
            assertThat(s).contains("node_scrape_collector_success{collector=\"vmstat\"} 0")
                    .contains("node_scrape_collector_success{collector=\"loadavg\"} 1");
        }
        exporter.close();
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the hung collector's thread was interrupted").isTrue();
    }
}
