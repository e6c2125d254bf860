package io.caravan.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeMetricsCommandTest {

    @Test
    void defaults() {
        NodeExporterConfig c = NodeExporterConfig.fromArgs(new String[0]);
        assertThat(c.procfs()).isEqualTo("/proc");
        assertThat(c.sysfs()).isEqualTo("/sys");
        assertThat(c.rootfs()).isEqualTo("/");
        assertThat(c.udevData()).isEqualTo("/run/udev/data");
        assertThat(c.collectors()).containsExactly("cpu", "diskstats", "filesystem", "loadavg", "meminfo", "netdev", "netstat", "stat",
            "time", "uname", "vmstat");
    }

    @Test
    void bothFlagForms() {
        NodeExporterConfig c = NodeExporterConfig.fromArgs(new String[] {"--path.procfs", "/host/proc", "--path.sysfs=/host/sys/",
            "--path.rootfs", "/host/root", "--path.udev.data=/host/run/udev/data", "--collectors", "cpu,meminfo"});
        assertThat(c.procfs()).isEqualTo("/host/proc");
        assertThat(c.sysfs()).isEqualTo("/host/sys");
        assertThat(c.rootfs()).isEqualTo("/host/root");
        assertThat(c.udevData()).isEqualTo("/host/run/udev/data");
        assertThat(c.collectors()).isEqualTo(List.of("cpu", "meminfo"));
        assertThat(c.rootfsPath("/boot")).isEqualTo("/host/root/boot");
        assertThat(c.rootfsStripPrefix("/host/root/boot")).isEqualTo("/boot");
        assertThat(c.rootfsStripPrefix("/host/root")).isEqualTo("/");
    }

    @Test
    void badFlagsThrowWithUsage() {
        for (String[] args : new String[][] {{"--bogus"}, {"--path.procfs"}, {"--collectors", "cpu,nope"}, {"--collectors", "cpu,,stat"},
            {"--path.sysfs="}, {"positional"}}) {
            assertThatThrownBy(() -> NodeExporterConfig.fromArgs(args)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("usage: node-metrics");
        }
    }

    @Test
    void exitCodes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = NodeMetricsCommand.run(new String[] {"--nope"}, new PrintStream(out), new PrintStream(err));
        assertThat(rc).isEqualTo(2);
        assertThat(out.size()).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown flag --nope").contains("usage: node-metrics");

        out.reset();
        err.reset();
        String proc = Fixtures.root("real").resolve("proc").toString();
        String sys = Fixtures.root("real").resolve("sys").toString();
        rc = NodeMetricsCommand.run(new String[] {"--path.procfs", proc, "--path.sysfs", sys, "--collectors", "loadavg,stat"},
            new PrintStream(out), new PrintStream(err));
        assertThat(rc).isZero();
        String s = out.toString(StandardCharsets.UTF_8);
        assertThat(s).startsWith("# HELP node_boot_time_seconds Node boot time, in unixtime.\n# TYPE node_boot_time_seconds gauge\n")
            .contains("node_scrape_collector_success{collector=\"loadavg\"} 1").contains("node_scrape_collector_success{collector=\"stat\"} 1")
            .doesNotContain("collector=\"cpu\"");
    }

    @Test
    void labelValuesAndHelpAreEscaped() {
        MetricFamily f = new MetricFamily("x", "a \\ b\nc \"q\"", MetricType.GAUGE, "l");
        f.add1(1, "v\\1\n\"2\"");
        ByteOut out = new ByteOut(64);
        new TextFormat().write(List.of(f), out);
        assertThat(out.toString()).isEqualTo("# HELP x a \\\\ b\\nc \"q\"\n# TYPE x gauge\nx{l=\"v\\\\1\\n\\\"2\\\"\"} 1\n");
    }
}
