package io.caravan.bench;

import io.caravan.model.Labels;
import io.caravan.relabel.RelabelRules;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * A typical pod target (41 discovery labels) through the seed's pod_metrics rules (keep on the scrape annotation,
 * path and address from annotations, namespace, pod) and pod_logs rules. "ManyPods" cycles through 4096 distinct
 * pods so that the general regex never finds its answer in the memo; the others repeat one pod, as a discovery
 * refresh of an unchanged target does.
 *
 * <p>Run (offline, from the worktree; exec-maven-plugin is not in the local repository, so the classpath is
 * written out and java started by hand):
 * <pre>
 * mvn -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) org.openjdk.jmh.Main RelabelBenchmark \
 *   -f 1 -wi 2 -w 2s -i 3 -r 3s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class RelabelBenchmark {

    static final String POD_METRICS = """
            - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
              regex: "true"
              action: keep
            - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
              regex: (.+)
              target_label: __metrics_path__
            - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_port, __meta_kubernetes_pod_ip]
              regex: (\\d+);(\\d+\\.\\d+\\.\\d+\\.\\d+)
              replacement: ${2}:${1}
              target_label: __address__
            - source_labels: [__meta_kubernetes_namespace]
              target_label: namespace
            - source_labels: [__meta_kubernetes_pod_name]
              target_label: pod
            """;

    static final String POD_LOGS = """
            - source_labels: [__meta_kubernetes_pod_phase]
              regex: Pending|Succeeded|Failed|Unknown
              action: drop
            - source_labels: [__meta_kubernetes_namespace]
              target_label: namespace
            - source_labels: [__meta_kubernetes_pod_name]
              target_label: pod
            - source_labels: [__meta_kubernetes_pod_container_name]
              target_label: container
            - source_labels: [__meta_kubernetes_pod_node_name]
              target_label: node
            - source_labels: [__meta_kubernetes_pod_label_app_kubernetes_io_name]
              target_label: app
            """;

    private RelabelRules podMetrics;
    private RelabelRules podLogs;
    private Labels pod;
    private Labels podNotScraped;
    private Labels.Builder scratch;
    /** Distinct pods (distinct IPs and names), more than a regex memo holds, so every regex call is a cold one. */
    private Labels[] manyPods;
    private int next;

    @Setup
    public void setUp() {
        podMetrics = RelabelRules.parse(POD_METRICS, "pod_metrics");
        podLogs = RelabelRules.parse(POD_LOGS, "pod_logs");
        pod = typicalPod().build();
        podNotScraped = typicalPod().set("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "false").build();
        scratch = new Labels.Builder();
        manyPods = new Labels[4096];
        for (int i = 0; i < manyPods.length; i++) {
            String ip = "10.244." + (i >> 8) + "." + (i & 255);
            manyPods[i] = typicalPod().set("__meta_kubernetes_pod_ip", ip).set("__address__", ip + ":8080")
                    .set("__meta_kubernetes_pod_name", "checkout-7d9f8b6c4-" + i).build();
        }
        if (podMetrics.apply(pod) == null || podMetrics.apply(podNotScraped) != null || pod.size() != 41) {
            throw new IllegalStateException("benchmark fixture is wrong");
        }
    }

    /** pod_metrics, kept: the common case on every discovery refresh. */
    @Benchmark
    public Labels podMetricsApply() {
        return podMetrics.apply(pod);
    }

    /** pod_metrics over 4096 different pods in turn: no help from the regex memo. */
    @Benchmark
    public Labels podMetricsManyPods() {
        Labels in = manyPods[next];
        next = (next + 1) & (manyPods.length - 1);
        return podMetrics.apply(in);
    }

    /** pod_metrics, dropped by the first (keep) rule, before any builder is touched. */
    @Benchmark
    public Labels podMetricsDropped() {
        return podMetrics.apply(podNotScraped);
    }

    /** pod_metrics on a caller-owned, reused builder (reset from the pod, relabel, build). */
    @Benchmark
    public Labels podMetricsReusedBuilder() {
        Labels.Builder b = scratch.reset(pod);
        return podMetrics.process(b) ? b.build() : null;
    }

    /** pod_logs, kept. */
    @Benchmark
    public Labels podLogsApply() {
        return podLogs.apply(pod);
    }

    static Labels.Builder typicalPod() {
        Labels.Builder b = Labels.builder()
                .set("__address__", "10.244.1.17:8080")
                .set("__meta_kubernetes_namespace", "shop")
                .set("__meta_kubernetes_pod_name", "checkout-7d9f8b6c4-x2x9k")
                .set("__meta_kubernetes_pod_ip", "10.244.1.17")
                .set("__meta_kubernetes_pod_uid", "4c586419-7f6c-448d-aeec-ca4fa5b05e60")
                .set("__meta_kubernetes_pod_phase", "Running")
                .set("__meta_kubernetes_pod_ready", "true")
                .set("__meta_kubernetes_pod_node_name", "worker-1")
                .set("__meta_kubernetes_pod_host_ip", "192.168.10.11")
                .set("__meta_kubernetes_pod_container_name", "checkout")
                .set("__meta_kubernetes_pod_container_image", "registry.example.com/shop/checkout:1.4.2")
                .set("__meta_kubernetes_pod_container_init", "false")
                .set("__meta_kubernetes_pod_container_port_name", "http-metrics")
                .set("__meta_kubernetes_pod_container_port_number", "8080")
                .set("__meta_kubernetes_pod_container_port_protocol", "TCP")
                .set("__meta_kubernetes_pod_controller_kind", "ReplicaSet")
                .set("__meta_kubernetes_pod_controller_name", "checkout-7d9f8b6c4");
        String[][] podLabels = {
                {"app_kubernetes_io_name", "checkout"}, {"app_kubernetes_io_instance", "checkout-prod"},
                {"app_kubernetes_io_version", "1.4.2"}, {"app_kubernetes_io_component", "api"},
                {"app_kubernetes_io_part_of", "shop"}, {"pod_template_hash", "7d9f8b6c4"}, {"team", "payments"}};
        for (String[] l : podLabels) {
            b.set("__meta_kubernetes_pod_label_" + l[0], l[1]).set("__meta_kubernetes_pod_labelpresent_" + l[0], "true");
        }
        String[][] annotations = {
                {"prometheus_io_scrape", "true"}, {"prometheus_io_port", "8080"}, {"prometheus_io_path", "/metrics"},
                {"kubectl_kubernetes_io_restartedAt", "2026-11-20T10:00:00Z"}, {"checksum_config", "9f2c1e"}};
        for (String[] a : annotations) {
            b.set("__meta_kubernetes_pod_annotation_" + a[0], a[1])
                    .set("__meta_kubernetes_pod_annotationpresent_" + a[0], "true");
        }
        return b;
    }
}
