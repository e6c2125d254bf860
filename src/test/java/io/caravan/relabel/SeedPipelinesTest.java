package io.caravan.relabel;

import io.caravan.model.Labels;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's relabel pipelines (converted from Alloy to Prometheus YAML, in relabel/pipelines/) applied to
 * realistic Kubernetes discovery label sets. Expected results are stated as "the input plus these changes".
 */
class SeedPipelinesTest {

    /** A Running pod of app "checkout" on worker-1, annotated for scraping, as kubernetes_sd (role pod) reports it. */
    static Labels.Builder pod() {
        return Labels.builder()
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
                .set("__meta_kubernetes_pod_controller_name", "checkout-7d9f8b6c4")
                .set("__meta_kubernetes_pod_label_app_kubernetes_io_name", "checkout")
                .set("__meta_kubernetes_pod_labelpresent_app_kubernetes_io_name", "true")
                .set("__meta_kubernetes_pod_label_pod_template_hash", "7d9f8b6c4")
                .set("__meta_kubernetes_pod_labelpresent_pod_template_hash", "true")
                .set("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true")
                .set("__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape", "true")
                .set("__meta_kubernetes_pod_annotation_prometheus_io_port", "8080")
                .set("__meta_kubernetes_pod_annotationpresent_prometheus_io_port", "true")
                .set("__meta_kubernetes_pod_annotation_prometheus_io_path", "/metrics")
                .set("__meta_kubernetes_pod_annotationpresent_prometheus_io_path", "true");
    }

    /** A node as kubernetes_sd (role node) reports it. */
    static Labels.Builder node(String name) {
        return Labels.builder()
                .set("__address__", "192.168.10.11:10250")
                .set("__meta_kubernetes_node_name", name)
                .set("__meta_kubernetes_node_provider_id", "k3s://" + name)
                .set("__meta_kubernetes_node_address_InternalIP", "192.168.10.11")
                .set("__meta_kubernetes_node_address_Hostname", name)
                .set("__meta_kubernetes_node_label_kubernetes_io_hostname", name)
                .set("__meta_kubernetes_node_labelpresent_kubernetes_io_hostname", "true");
    }

    @Test
    void podLogsKeepsRunningPodsAndNamesThem() {
        Labels in = pod().build();
        assertThat(rules("pod-logs.yaml").apply(in)).isEqualTo(plus(in, Map.of(
                "namespace", "shop", "pod", "checkout-7d9f8b6c4-x2x9k", "container", "checkout",
                "node", "worker-1", "app", "checkout")));
    }

    @Test
    void podLogsDropsFinishedAndPendingPods() {
        RelabelRules r = rules("pod-logs.yaml");
        for (String phase : new String[] {"Pending", "Succeeded", "Failed", "Unknown"}) {
            assertThat(r.apply(pod().set("__meta_kubernetes_pod_phase", phase).build())).as(phase).isNull();
        }
    }

    @Test
    void podLogsWithoutAnAppLabelHasNoApp() {
        Labels in = pod().del("__meta_kubernetes_pod_label_app_kubernetes_io_name").build();
        Labels out = rules("pod-logs.yaml").apply(in);
        assertThat(out.has("app")).isFalse();
        assertThat(out.get("pod")).isEqualTo("checkout-7d9f8b6c4-x2x9k");
    }

    @Test
    void podMetricsTargetsTheAnnotatedPortAndPath() {
        Labels in = pod().set("__meta_kubernetes_pod_annotation_prometheus_io_port", "9102")
                .set("__meta_kubernetes_pod_annotation_prometheus_io_path", "/stats/prometheus").build();
        assertThat(rules("pod-metrics.yaml").apply(in)).isEqualTo(plus(in, Map.of(
                "__metrics_path__", "/stats/prometheus", "__address__", "10.244.1.17:9102",
                "namespace", "shop", "pod", "checkout-7d9f8b6c4-x2x9k")));
    }

    @Test
    void podMetricsDropsPodsNotOptedIn() {
        RelabelRules r = rules("pod-metrics.yaml");
        assertThat(r.apply(pod().set("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "false").build())).isNull();
        assertThat(r.apply(pod().set("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "True").build())).isNull();
        assertThat(r.apply(pod().del("__meta_kubernetes_pod_annotation_prometheus_io_scrape").build())).isNull();
    }

    @Test
    void podMetricsLeavesAddressAndPathAloneWithoutAnnotations() {
        Labels in = pod().del("__meta_kubernetes_pod_annotation_prometheus_io_port")
                .del("__meta_kubernetes_pod_annotation_prometheus_io_path").build();
        Labels out = rules("pod-metrics.yaml").apply(in);
        assertThat(out.get("__address__")).isEqualTo("10.244.1.17:8080");
        assertThat(out.has("__metrics_path__")).isFalse();
    }

    @Test
    void podMetricsLeavesAnIpv6PodAddressAlone() {
        Labels in = pod().set("__meta_kubernetes_pod_ip", "fd00::17").set("__address__", "[fd00::17]:8080").build();
        assertThat(rules("pod-metrics.yaml").apply(in).get("__address__")).isEqualTo("[fd00::17]:8080");
    }

    @Test
    void kubeletKeepsOnlyItsOwnNode() {
        RelabelRules r = rules("kubelet.yaml");
        Labels in = node("worker-1").build();
        assertThat(r.apply(in)).isEqualTo(plus(in, Map.of("__metrics_path__", "/metrics", "node", "worker-1")));
        assertThat(r.apply(node("worker-2").build())).isNull();
        assertThat(r.apply(node("worker-10").build())).as("anchored, not a prefix match").isNull();
    }

    @Test
    void apiserverTargetsPort6443OnTheInternalIp() {
        RelabelRules r = rules("apiserver.yaml");
        Labels in = node("worker-1").build();
        assertThat(r.apply(in)).isEqualTo(plus(in, Map.of("__address__", "192.168.10.11:6443", "node", "worker-1")));
        Labels noIp = node("worker-1").del("__meta_kubernetes_node_address_InternalIP").build();
        assertThat(r.apply(noIp).get("__address__")).isEqualTo("192.168.10.11:10250");
    }

    @Test
    void corednsOnThisNodeOnly() {
        RelabelRules r = rules("coredns.yaml");
        Labels.Builder coredns = pod().set("__meta_kubernetes_namespace", "kube-system")
                .set("__meta_kubernetes_pod_container_name", "coredns")
                .set("__meta_kubernetes_pod_name", "coredns-6799fbcd5-abcde")
                .set("__meta_kubernetes_pod_ip", "10.42.0.5");
        Labels in = coredns.build();
        assertThat(r.apply(in)).isEqualTo(plus(in, Map.of(
                "__address__", "10.42.0.5:9153", "pod", "coredns-6799fbcd5-abcde", "node", "worker-1")));
        assertThat(r.apply(coredns.set("__meta_kubernetes_pod_node_name", "worker-2").build())).isNull();
        assertThat(r.apply(pod().set("__meta_kubernetes_pod_container_name", "coredns").build())).as("namespace").isNull();
        assertThat(r.apply(pod().set("__meta_kubernetes_namespace", "kube-system").build())).as("container").isNull();
    }

    @Test
    void cnpgNeedsTheClusterLabel() {
        RelabelRules r = rules("cnpg.yaml");
        Labels in = pod().set("__meta_kubernetes_namespace", "db")
                .set("__meta_kubernetes_pod_name", "pg-main-1")
                .set("__meta_kubernetes_pod_label_cnpg_io_cluster", "pg-main")
                .set("__meta_kubernetes_pod_labelpresent_cnpg_io_cluster", "true").build();
        assertThat(r.apply(in)).isEqualTo(plus(in, Map.of("__address__", "10.244.1.17:9187", "namespace", "db",
                "pod", "pg-main-1", "cluster_name", "pg-main")));
        assertThat(r.apply(pod().build())).isNull();
        assertThat(r.apply(pod().set("__meta_kubernetes_pod_label_cnpg_io_cluster", "").build())).isNull();
    }

    @Test
    void blackboxProbesThroughTheExporter() {
        RelabelRules r = rules("blackbox.yaml");
        Labels in = Labels.of("__address__", "https://shop.example.com/healthz", "module", "http_2xx", "job", "probes");
        assertThat(r.apply(in)).isEqualTo(Labels.of(
                "__address__", "blackbox-exporter-prometheus-blackbox-exporter.observability.svc.cluster.local:9115",
                "__param_target", "https://shop.example.com/healthz", "__param_module", "http_2xx",
                "module", "http_2xx", "job", "probes"));
        Labels noModule = Labels.of("__address__", "tcp://db:5432");
        assertThat(r.apply(noModule)).isEqualTo(Labels.of(
                "__address__", "blackbox-exporter-prometheus-blackbox-exporter.observability.svc.cluster.local:9115", "__param_target", "tcp://db:5432"));
    }

    private static Labels plus(Labels in, Map<String, String> changes) {
        Labels.Builder b = in.toBuilder();
        changes.forEach(b::set);
        return b.build();
    }

    /**
     * The shipped rule file (src/main/resources/rules/), for the agent on node worker-1: placeholders
     * resolved as the agent resolves them, NODE_NAME=worker-1 and the rest at their defaults.
     */
    static RelabelRules rules(String file) {
        try (var in = SeedPipelinesTest.class.getResourceAsStream("/rules/" + file)) {
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("{{NODE_NAME:}}", "worker-1")
                    .replaceAll("\\{\\{[A-Z_]+:([^}]*)}}", "$1");
            return RelabelRules.parse(text, "rules/" + file);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
