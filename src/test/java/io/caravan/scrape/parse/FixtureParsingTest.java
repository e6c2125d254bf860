package io.caravan.scrape.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.scrape.parse.ExpositionParser.MetricType;
import io.caravan.scrape.parse.ParsedScrape.Sample;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Realistic scrape bodies: exact series counts, spot checks, and a text round trip. */
class FixtureParsingTest {

    private static ParsedScrape text(String fixture) throws ExpositionParseException {
        return ParsedScrape.parse(new PrometheusTextParser(), ParsedScrape.resource(fixture));
    }

    @ParameterizedTest
    @CsvSource({
        "kubelet.prom, 141, 13",
        "cadvisor.prom, 63, 10",
        "apiserver.prom, 432, 4",
        "etcd.prom, 101, 7",
        "coredns.prom, 104, 6",
        "node_exporter.prom, 44, 11",
    })
    void countsSeriesAndFamilies(String fixture, int series, int types) throws Exception {
        ParsedScrape scrape = text(fixture);
        assertThat(scrape.samples()).hasSize(series);
        assertThat(scrape.types()).hasSize(types);
    }

    @ParameterizedTest
    @CsvSource({"kubelet.prom", "cadvisor.prom", "apiserver.prom", "etcd.prom", "coredns.prom", "node_exporter.prom"})
    void roundTripsThroughTextFormat(String fixture) throws Exception {
        ParsedScrape first = text(fixture);
        byte[] rendered = first.toText().getBytes(StandardCharsets.UTF_8);
        ParsedScrape second = ParsedScrape.parse(new PrometheusTextParser(), rendered);
        assertThat(second.samples()).hasSameSizeAs(first.samples());
        for (int i = 0; i < first.samples().size(); i++) {
            Sample a = first.samples().get(i);
            Sample b = second.samples().get(i);
            assertThat(b.labels()).isEqualTo(a.labels());
            assertThat(Double.doubleToLongBits(b.value())).isEqualTo(Double.doubleToLongBits(a.value()));
            assertThat(b.timestampMs()).isEqualTo(a.timestampMs());
        }
    }

    @Test
    void kubelet() throws Exception {
        ParsedScrape s = text("kubelet.prom");
        assertThat(s.types()).containsEntry("kubelet_pod_worker_duration_seconds", MetricType.HISTOGRAM)
                .containsEntry("apiserver_audit_event_total", MetricType.COUNTER);
        assertThat(s.help().get("kubelet_running_pods")).isEqualTo("[ALPHA] Number of pods that have a running pod sandbox");
        // le normalised as Prometheus 3 does: "1" -> "1.0", "2.592e+06" stays, "0" -> "0.0"
        assertThat(s.samples()).anySatisfy(x -> assertThat(x.labels().toString())
                .isEqualTo("{__name__=\"kubelet_cgroup_manager_duration_seconds_bucket\", le=\"1.0\", operation_type=\"create\"}"));
        assertThat(s.samples()).anySatisfy(x -> assertThat(x.labels().get("le")).isEqualTo("2.592e+06"));
        assertThat(s.samples()).anySatisfy(x -> assertThat(x.labels().get("le")).isEqualTo("0.0"));
        Sample start = s.find("{__name__=\"process_start_time_seconds\"}");
        assertThat(start.value()).isEqualTo(1.71837294512e9);
        assertThat(start.timestampMs()).isNull();
        assertThat(s.find("{__name__=\"kubelet_node_name\", node=\"ip-10-0-3-17.eu-west-1.compute.internal\"}").value())
                .isEqualTo(1.0);
    }

    @Test
    void cadvisorSamplesCarryTimestamps() throws Exception {
        ParsedScrape s = text("cadvisor.prom");
        long withTs = s.samples().stream().filter(x -> x.timestampMs() != null).count();
        assertThat(withTs).isEqualTo(60);
        Sample cpu = s.samples().stream().filter(x -> x.name().equals("container_cpu_usage_seconds_total")).findFirst().orElseThrow();
        assertThat(cpu.labels().size()).isEqualTo(8);
        assertThat(cpu.labels().get("cpu")).isEqualTo("total");
        assertThat(cpu.labels().get("image")).isEqualTo("registry.k8s.io/coredns/coredns:v1.10.1");
        assertThat(cpu.timestampMs()).isEqualTo(1718372945123L);
        // empty label values mean "absent"
        Sample rx = s.samples().stream().filter(x -> x.name().equals("container_network_receive_bytes_total")).findFirst().orElseThrow();
        assertThat(rx.labels().has("container")).isFalse();
        assertThat(rx.labels().has("name")).isFalse();
        Sample info = s.find("{__name__=\"cadvisor_version_info\", kernelVersion=\"5.10.215-203.850.amzn2.x86_64\", osVersion=\"Amazon Linux 2\"}");
        assertThat(info.value()).isEqualTo(1.0);
        assertThat(s.find("{__name__=\"machine_memory_bytes\", boot_id=\"3f4e6a1c-0d35-4c7e-9c5b-2b1d4a5e6f70\", machine_id=\"ec2a1b2c3d4e5f60718293a4b5c6d7e8\", system_uuid=\"ec2a1b2c-3d4e-5f60-7182-93a4b5c6d7e8\"}").value())
                .isEqualTo(1.6397008896e10);
    }

    @Test
    void apiserverHistograms() throws Exception {
        ParsedScrape s = text("apiserver.prom");
        long infBuckets = s.samples().stream().filter(x -> "+Inf".equals(x.labels().get("le"))).count();
        assertThat(infBuckets).isEqualTo(16);
        long latencyBuckets = s.samples().stream().filter(x -> x.name().equals("apiserver_request_duration_seconds_bucket")).count();
        assertThat(latencyBuckets).isEqualTo(8 * 24);
        assertThat(s.samples()).anySatisfy(x -> assertThat(x.labels().toString()).isEqualTo(
                "{__name__=\"apiserver_request_duration_seconds_bucket\", component=\"apiserver\", le=\"60.0\", resource=\"pods\", scope=\"namespace\", verb=\"GET\", version=\"v1\"}"));
        // counters are not histograms: nothing to normalise, and "code" stays as written
        assertThat(s.samples()).anySatisfy(x -> assertThat(x.labels().get("code")).isEqualTo("200"));
    }

    @Test
    void etcdSummaries() throws Exception {
        ParsedScrape s = text("etcd.prom");
        assertThat(s.types()).containsEntry("go_gc_duration_seconds", MetricType.SUMMARY);
        assertThat(s.find("{__name__=\"go_gc_duration_seconds\", quantile=\"1.0\"}").value()).isEqualTo(0.004527881);
        assertThat(s.find("{__name__=\"go_gc_duration_seconds\", quantile=\"0.0\"}").value()).isEqualTo(3.2551e-05);
        assertThat(s.find("{__name__=\"etcd_disk_wal_fsync_duration_seconds_summary\", member=\"etcd-1\", quantile=\"0.9999\"}").value()).isNaN();
        assertThat(s.find("{__name__=\"etcd_server_proposals_committed_total\"}").value()).isEqualTo(12845619.0);
        // under a histogram TYPE, le="1" becomes "1.0" and le="1024" becomes "1024.0"
        assertThat(s.find("{__name__=\"etcd_debugging_mvcc_db_compaction_pause_duration_milliseconds_bucket\", le=\"1024.0\"}")).isNotNull();
        assertThat(s.find("{To=\"8e9e05c52164694d\", __name__=\"etcd_network_peer_round_trip_time_seconds_bucket\", le=\"0.0001\"}")).isNotNull();
    }

    @Test
    void coredns() throws Exception {
        ParsedScrape s = text("coredns.prom");
        assertThat(s.find("{__name__=\"coredns_cache_entries\", server=\"dns://:53\", type=\"denial\", zones=\".\"}").value()).isEqualTo(143);
        assertThat(s.samples()).anySatisfy(x -> assertThat(x.labels().get("le")).isEqualTo("0.00025"));
    }

    @Test
    void nodeExporterCorners() throws Exception {
        ParsedScrape s = text("node_exporter.prom");
        assertThat(s.comments()).isEqualTo(3);
        assertThat(s.find("{__name__=\"node_filesystem_avail_bytes\", device=\"/dev/sdb1\", fstype=\"ext4\", mountpoint=\"/mnt/Photos \\\"2024\\\"\"}").value())
                .isEqualTo(1.073741824e9);
        Sample windows = s.samples().stream().filter(x -> "ntfs".equals(x.labels().get("fstype"))).findFirst().orElseThrow();
        assertThat(windows.labels().get("device")).isEqualTo("C:\\");
        assertThat(windows.labels().get("mountpoint")).isEqualTo("C:\\Data");
        assertThat(s.find("{__name__=\"node_hwmon_temp_celsius\", chip=\"platform_coretemp_0\", sensor=\"temp2\"}").value()).isNaN();
        assertThat(s.find("{__name__=\"node_hwmon_temp_celsius\", chip=\"platform_coretemp_0\", sensor=\"temp3\"}").value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(s.find("{__name__=\"node_hwmon_temp_celsius\", chip=\"platform_coretemp_0\", sensor=\"temp4\"}").value()).isEqualTo(Double.POSITIVE_INFINITY);
        Sample msg = s.samples().stream().filter(x -> "東京".equals(x.labels().get("site"))).findFirst().orElseThrow();
        assertThat(msg.labels().get("message")).isEqualTo("line one\nline two");
        assertThat(msg.labels().get("owner")).isEqualTo("Zoë Ångström");
        assertThat(s.help().get("backup_last_message"))
                .isEqualTo("Free text from a textfile collector.\nSecond line with a \\ backslash.");
        assertThat(s.samples().stream().filter(x -> x.name().equals("backup_duration_seconds_bucket")).map(x -> x.labels().get("le")))
                .containsExactly("0.5", "1.0", "10.0", "1000.0", "1e+06", "+Inf");
        assertThat(s.find("{__name__=\"untyped_metric\"}").value()).isEqualTo(1e-7);
        Sample empty = s.find("{__name__=\"empty_labels\"}");
        assertThat(empty.value()).isEqualTo(-0.5);
        assertThat(empty.timestampMs()).isEqualTo(1718372945000L);
        assertThat(empty.rawSeries()).isEqualTo("empty_labels{}");
        Sample spaced = s.find("{__name__=\"spaced_metric\", a=\"1\", b=\"2\"}");
        assertThat(spaced.value()).isEqualTo(0.5);
        assertThat(spaced.timestampMs()).isEqualTo(1718372945001L);
        assertThat(spaced.rawSeries()).isEqualTo("spaced_metric { a = \"1\" , b=\"2\", }");
        assertThat(s.types()).containsEntry("node.boot.time.seconds", MetricType.GAUGE);
        assertThat(s.find("{__name__=\"node.boot.time.seconds\"}").value()).isEqualTo(1.71e9);
        assertThat(s.find("{__name__=\"node.boot.time.seconds\", host.name=\"worker-3\", zone=\"eu-west-1a\"}")).isNotNull();
        assertThat(s.find("{__name__=\"node_time_seconds\", label.with.dots=\"x\"}").value()).isEqualTo(1.718372945e9);
        Sample last = s.samples().get(s.samples().size() - 1);
        assertThat(last.name()).isEqualTo("last_line_without_newline");
        assertThat(last.value()).isEqualTo(42);
        assertThat(last.line()).isEqualTo(69);
    }

    @Test
    void openMetrics() throws Exception {
        ParsedScrape s = ParsedScrape.parse(new OpenMetricsParser(), ParsedScrape.resource("openmetrics.om.txt"));
        assertThat(s.samples()).hasSize(30);
        assertThat(s.types()).hasSize(9).containsEntry("build", MetricType.INFO)
                .containsEntry("feature_state", MetricType.STATESET)
                .containsEntry("queue_wait_seconds", MetricType.GAUGEHISTOGRAM)
                .containsEntry("cluster.nodes.ready", MetricType.UNKNOWN);
        assertThat(s.units()).containsEntry("process_cpu_seconds", "seconds").containsEntry("temperature_celsius", "celsius").hasSize(4);
        assertThat(s.help().get("http_server_requests")).isEqualTo("Requests served, with \"quoted\" words and a \\ backslash.");
        Sample get = s.find("{__name__=\"http_server_requests_total\", code=\"200\", method=\"GET\"}");
        assertThat(get.value()).isEqualTo(1027);
        assertThat(get.timestampMs()).isEqualTo(1718372945123L);
        assertThat(s.find("{__name__=\"http_server_requests_created\", code=\"500\", method=\"POST\"}").value()).isEqualTo(1718000000.25);
        assertThat(s.find("{__name__=\"request_latency_seconds_bucket\", le=\"10.0\"}").value()).isEqualTo(94);
        assertThat(s.find("{__name__=\"request_latency_seconds_bucket\", le=\"0.1\"}").timestampMs()).isNull();
        // gaugehistogram buckets are not normalised (Prometheus only does it for histogram and summary)
        assertThat(s.find("{__name__=\"queue_wait_seconds_bucket\", le=\"1\"}").value()).isEqualTo(4);
        assertThat(s.find("{__name__=\"rpc_duration_seconds\", quantile=\"0.99\"}").value()).isEqualTo(0.15);
        assertThat(s.find("{__name__=\"temperature_celsius\", room=\"Küche\"}").timestampMs()).isEqualTo(1718372945000L);
        assertThat(s.find("{__name__=\"temperature_celsius\", room=\"cellar\"}").timestampMs()).isEqualTo(1718372945999L);
        assertThat(s.find("{__name__=\"cluster.nodes.ready\", k8s.cluster.name=\"prod-eu\"}").value()).isEqualTo(17);
        assertThat(s.samples().get(0).line()).isEqualTo(4);
        // exemplars: labels, value, and the timestamp in seconds truncated to milliseconds, or none
        assertThat(get.exemplars()).containsExactly(
                new Exemplar(Labels.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"), 1, 1718372944500L));
        assertThat(s.find("{__name__=\"http_server_requests_total\", code=\"500\", method=\"POST\"}").exemplars()).containsExactly(
                new Exemplar(Labels.of("trace_id", "00f067aa0ba902b7", "span_id", "b9c7c989f97918e1"), 1, Exemplar.NO_TIMESTAMP));
        assertThat(s.find("{__name__=\"request_latency_seconds_bucket\", le=\"0.1\"}").exemplars()).containsExactly(
                new Exemplar(Labels.of("trace_id", "a1"), 0.054, 1718372940000L));
        assertThat(s.find("{__name__=\"request_latency_seconds_bucket\", le=\"10.0\"}").exemplars()).containsExactly(
                new Exemplar(Labels.EMPTY, 7.5, Exemplar.NO_TIMESTAMP));
        assertThat(s.samples().stream().filter(x -> !x.exemplars().isEmpty())).hasSize(4);
    }
}
