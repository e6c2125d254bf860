package io.caravan.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** One collector failing, hanging or missing its files never blocks or breaks the others. */
class NodeExporterIsolationTest {

    private static final Statfs.Result ROOT = new Statfs.Result(4096, 100, 50, 40, 1000, 500);

    private NodeExporterConfig.Builder base() {
        return Fixtures.config("real").statfs(Fixtures.table(Map.of("/", ROOT))).collectorTimeout(Duration.ofMillis(500));
    }

    @Test
    void hangingCollectorTimesOutAloneAndIsNotStartedTwice() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        int[] runs = {0};
        try (NodeExporter exporter = new NodeExporter(base().collectors(List.of("loadavg", "vmstat")).build())) {
            exporter.replaceCollector("vmstat", new Collector() {
                @Override
                public String name() {
                    return "vmstat";
                }

                @Override
                public void collect(MetricFamilies out) throws Exception {
                    runs[0]++;
                    out.family("node_vmstat_test", "x", MetricType.UNTYPED).add(1);
                    release.await();
                }
            });
            long t0 = System.nanoTime();
            String first = new String(exporter.scrape(), StandardCharsets.UTF_8);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            assertThat(first).contains("node_scrape_collector_success{collector=\"vmstat\"} 0")
                .contains("node_scrape_collector_success{collector=\"loadavg\"} 1")
                .contains("node_load1 ")
                .doesNotContain("node_vmstat_test");
            String second = new String(exporter.scrape(), StandardCharsets.UTF_8);
            assertThat(second).contains("node_scrape_collector_success{collector=\"vmstat\"} 0")
                .contains("node_scrape_collector_duration_seconds{collector=\"vmstat\"} 0\n");
            assertThat(runs[0]).isEqualTo(1);
            release.countDown();
            Thread.sleep(100);
            String third = new String(exporter.scrape(), StandardCharsets.UTF_8);
            assertThat(third).contains("node_scrape_collector_success{collector=\"vmstat\"} 1").contains("node_vmstat_test 1");
            assertThat(runs[0]).isEqualTo(2);
        }
    }

    @Test
    void failingCollectorKeepsWhatItSentBeforeItsErrorLikeNodeExporter() throws Exception {
        try (NodeExporter exporter = new NodeExporter(base().collectors(List.of("loadavg", "stat")).build())) {
            exporter.replaceCollector("stat", new Collector() {
                @Override
                public String name() {
                    return "stat";
                }

                @Override
                public void collect(MetricFamilies out) throws IOException {
                    out.family("node_forks_total", "Total number of forks.", MetricType.COUNTER).add(5);
                    throw new IOException("boom");
                }
            });
            String s = new String(exporter.scrape(), StandardCharsets.UTF_8);
            assertThat(s).contains("node_scrape_collector_success{collector=\"stat\"} 0")
                .contains("node_scrape_collector_success{collector=\"loadavg\"} 1")
                .contains("node_forks_total 5");
        }
    }

    @Test
    void missingTreesFailEachCollectorButTheScrapeCompletes() {
        NodeExporterConfig c = base().procfs("/nonexistent/proc").sysfs("/nonexistent/sys").build();
        try (NodeExporter exporter = new NodeExporter(c)) {
            String s = new String(exporter.scrape(), StandardCharsets.UTF_8);
            for (String name : List.of("cpu", "diskstats", "filesystem", "loadavg", "meminfo", "netdev", "netstat", "stat", "uname", "vmstat")) {
                assertThat(s).contains("node_scrape_collector_success{collector=\"" + name + "\"} 0");
            }
            // time needs no file: the clock always works
            assertThat(s).contains("node_scrape_collector_success{collector=\"time\"} 1").contains("node_time_seconds ");
        }
    }

    @Test
    void cpuCountersNeverGoBackwardsAndAHotplugResets() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("cpu");
        java.nio.file.Path proc = dir.resolve("proc");
        java.nio.file.Files.createDirectories(proc);
        java.nio.file.Files.createDirectories(dir.resolve("sys/devices/system/cpu"));
        NodeExporterConfig c = NodeExporterConfig.builder().procfs(proc.toString()).sysfs(dir.resolve("sys").toString())
            .collectors(List.of("cpu")).build();
        try (NodeExporter exporter = new NodeExporter(c)) {
            java.nio.file.Files.writeString(proc.resolve("stat"), "cpu  1 1 1 1 1 1 1 1 0 0\ncpu0 500 0 0 1000 0 0 0 0 0 0\n");
            assertThat(new String(exporter.scrape(), StandardCharsets.UTF_8)).contains("node_cpu_seconds_total{cpu=\"0\",mode=\"user\"} 5\n");
            // user goes back a little: the old value stays
            java.nio.file.Files.writeString(proc.resolve("stat"), "cpu  1 1 1 1 1 1 1 1 0 0\ncpu0 400 0 0 1100 0 0 0 0 0 0\n");
            String s = new String(exporter.scrape(), StandardCharsets.UTF_8);
            assertThat(s).contains("{cpu=\"0\",mode=\"user\"} 5\n").contains("{cpu=\"0\",mode=\"idle\"} 11\n");
            // idle drops by 3 s or more: hotplug, the CPU starts over
            java.nio.file.Files.writeString(proc.resolve("stat"), "cpu  1 1 1 1 1 1 1 1 0 0\ncpu0 100 0 0 200 0 0 0 0 0 0\n");
            s = new String(exporter.scrape(), StandardCharsets.UTF_8);
            assertThat(s).contains("{cpu=\"0\",mode=\"user\"} 1\n").contains("{cpu=\"0\",mode=\"idle\"} 2\n");
        }
    }
}
