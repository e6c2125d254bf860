package io.caravan.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Whole scrapes of fixture trees, compared byte for byte with their expected output:
 * "real" is this build machine's own /proc and /sys files; "edge" is the same tree with hand-made edge
 * cases (a CPU offline, throttle counters, isolated CPU, disks without stats or queue dir, udev ATA,
 * filesystem and device-mapper properties, a hung NFS mount, a mount whose statfs fails, missing
 * meminfo and snmp6 files).
 */
class FixtureScrapeTest {

    private static final Statfs.Result ROOT = new Statfs.Result(4096, 66053021, 60238988, 20779640, 16777216, 16367466);
    private static final Statfs.Result DATA = new Statfs.Result(4096, 262144, 131072, 131000, 65536, 65000);
    private static final Statfs.Result SMALL = new Statfs.Result(4096, 256, 256, 256, 3000000, 2999999);

    @Test
    void realMachineFixture() throws Exception {
        NodeExporterConfig config = Fixtures.config("real").statfs(Fixtures.table(Map.of("/", ROOT))).build();
        try (NodeExporter exporter = new NodeExporter(config)) {
            String actual = Fixtures.normalize(new String(exporter.scrape(), StandardCharsets.UTF_8));
            assertThat(actual).isEqualTo(Fixtures.expected("real", "expected.prom", actual));
        }
    }

    @Test
    void edgeCasesFixture() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Statfs statfs = new Statfs() {
            @Override
            public Result statfs(String path) throws IOException, InterruptedException {
                switch (path) {
                    case "/": return ROOT;
                    case "/data": return DATA;
                    case "/mnt/with space": return SMALL;
                    case "/mnt/nfs":
                        if (!release.await(30, TimeUnit.SECONDS)) {
                            throw new InterruptedIOException("never released");
                        }
                        return SMALL;
                    default: throw new IOException("no such file or directory");
                }
            }

            @Override
            public String describe() {
                return "test";
            }
        };
        NodeExporterConfig config = Fixtures.config("edge").statfs(statfs).mountTimeout(Duration.ofMillis(300)).build();
        try (NodeExporter exporter = new NodeExporter(config)) {
            long t0 = System.nanoTime();
            String first = Fixtures.normalize(new String(exporter.scrape(), StandardCharsets.UTF_8));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(first).isEqualTo(Fixtures.expected("edge", "expected.prom", first));

            // still hung: reported stuck again without another statfs call
            String second = Fixtures.normalize(new String(exporter.scrape(), StandardCharsets.UTF_8));
            assertThat(second).isEqualTo(first);

            // the call returns: the mount is statted again
            release.countDown();
            Thread.sleep(100);
            String third = new String(exporter.scrape(), StandardCharsets.UTF_8);
            assertThat(third)
                .contains("node_filesystem_device_error{device=\"server:/export\",device_error=\"\",fstype=\"nfs4\",mountpoint=\"/mnt/nfs\"} 0")
                .contains("node_filesystem_size_bytes{device=\"server:/export\",device_error=\"\",fstype=\"nfs4\",mountpoint=\"/mnt/nfs\"} 1.048576e+06");
        }
    }

    @Test
    void eachCollectorAloneMatchesItsPartOfTheWholeScrape() throws Exception {
        NodeExporterConfig whole = Fixtures.config("real").statfs(Fixtures.table(Map.of("/", ROOT))).build();
        String all;
        try (NodeExporter exporter = new NodeExporter(whole)) {
            all = Fixtures.normalize(new String(exporter.scrape(), StandardCharsets.UTF_8));
        }
        for (String c : NodeExporterConfig.DEFAULT_COLLECTORS) {
            NodeExporterConfig one = whole.toBuilder().collectors(List.of(c)).build();
            try (NodeExporter exporter = new NodeExporter(one)) {
                String part = Fixtures.normalize(new String(exporter.scrape(), StandardCharsets.UTF_8));
                for (String line : part.split("\n")) {
                    assertThat(all).as("collector %s", c).contains(line);
                }
                assertThat(part).contains("node_scrape_collector_success{collector=\"" + c + "\"} 1");
            }
        }
    }
}
