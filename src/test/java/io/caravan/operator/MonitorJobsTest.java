package io.caravan.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.caravan.model.Labels;
import io.caravan.model.Target;
import io.caravan.relabel.RelabelRules;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Monitors as the scrape jobs prometheus-operator generates (promcfg.go): the rules in its order, written here by hand
 * from generateServiceMonitorConfig and generatePodMonitorConfig, and what they do to a discovered target.
 */
class MonitorJobsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final MonitorJobs.Defaults DEFAULTS = new MonitorJobs.Defaults("node-a", "30s", "10s");

    static MonitorSpec spec(String yaml) throws Exception {
        return YAML.readValue(yaml, MonitorSpec.class);
    }

    @Test
    void aServiceMonitorEndpointIsTheOperatorsJobRuleForRule() throws Exception {
        MonitorSpec spec = spec("""
                jobLabel: app.kubernetes.io/name
                targetLabels: [team]
                podTargetLabels: [version]
                selector:
                  matchLabels: {app: web}
                  matchExpressions:
                    - {key: tier, operator: In, values: [front, edge]}
                    - {key: canary, operator: DoesNotExist}
                endpoints:
                  - port: http-metrics
                    path: /stats
                    scheme: HTTPS
                    params: {format: [prometheus]}
                    interval: 15s
                    honorLabels: true
                    relabelings:
                      - {sourceLabels: [__meta_kubernetes_pod_node_name], targetLabel: node_name, action: Replace}
                    metricRelabelings:
                      - {sourceLabels: [__name__], regex: go_.*, action: drop}
                """);
        MonitorJob job = MonitorJobs.of(MonitorJobs.Kind.SERVICE_MONITOR, "shop", "web", spec, DEFAULTS).get(0);
        assertThat(job.jobName()).isEqualTo("serviceMonitor/shop/web/0");
        assertThat(job.id()).isEqualTo("servicemonitor-shop-web-0");
        assertThat(job.discoveryUri()).isEqualTo("k8s-discovery:endpointslice?nodeName=node-a&namespaces=shop");
        assertThat(job.scrapeOptions()).containsEntry("jobName", "serviceMonitor/shop/web/0").containsEntry("interval", "15s")
                .containsEntry("timeout", "10s").containsEntry("honorLabels", "true");
        assertThat(YAML.writeValueAsString(job.relabelRules())).isEqualTo(YAML.writeValueAsString(YAML.readValue("""
                - {target_label: job, replacement: serviceMonitor/shop/web/0}
                - {target_label: __scheme__, replacement: https}
                - {target_label: __metrics_path__, replacement: /stats}
                - {target_label: __scrape_interval__, replacement: 15s}
                - {target_label: __scrape_timeout__, replacement: 10s}
                - {target_label: __param_format, replacement: prometheus}
                - {source_labels: [job], target_label: __tmp_prometheus_job_name}
                - {action: keep, source_labels: [__meta_kubernetes_service_label_app, __meta_kubernetes_service_labelpresent_app], regex: (web);true}
                - {action: keep, source_labels: [__meta_kubernetes_service_label_tier, __meta_kubernetes_service_labelpresent_tier], regex: (front|edge);true}
                - {action: drop, source_labels: [__meta_kubernetes_service_labelpresent_canary], regex: "true"}
                - {action: keep, source_labels: [__meta_kubernetes_endpointslice_port_name], regex: http-metrics}
                - {source_labels: [__meta_kubernetes_endpointslice_address_target_kind, __meta_kubernetes_endpointslice_address_target_name], separator: ;, regex: Node;(.*), replacement: "${1}", target_label: node}
                - {source_labels: [__meta_kubernetes_endpointslice_address_target_kind, __meta_kubernetes_endpointslice_address_target_name], separator: ;, regex: Pod;(.*), replacement: "${1}", target_label: pod}
                - {source_labels: [__meta_kubernetes_namespace], target_label: namespace}
                - {source_labels: [__meta_kubernetes_service_name], target_label: service}
                - {source_labels: [__meta_kubernetes_pod_name], target_label: pod}
                - {source_labels: [__meta_kubernetes_pod_container_name], target_label: container}
                - {action: drop, source_labels: [__meta_kubernetes_pod_phase], regex: (Failed|Succeeded)}
                - {source_labels: [__meta_kubernetes_service_label_team], target_label: team, regex: (.+), replacement: "${1}"}
                - {source_labels: [__meta_kubernetes_pod_label_version], target_label: version, regex: (.+), replacement: "${1}"}
                - {source_labels: [__meta_kubernetes_service_name], target_label: job, replacement: "${1}"}
                - {source_labels: [__meta_kubernetes_service_label_app_kubernetes_io_name], target_label: job, regex: (.+), replacement: "${1}"}
                - {target_label: endpoint, replacement: http-metrics}
                - {source_labels: [__meta_kubernetes_pod_node_name], target_label: node_name, action: replace}
                """, List.class)));
        assertThat(job.metricRelabelRules()).containsExactly(Map.of("source_labels", List.of("__name__"), "regex", "go_.*", "action", "drop"));
    }

    @Test
    void theRulesKeepAndLabelAnEndpointAsPrometheusWould() throws Exception {
        MonitorSpec spec = spec("""
                selector: {matchLabels: {app: web}}
                endpoints: [{port: http-metrics}]
                """);
        MonitorJob job = MonitorJobs.of(MonitorJobs.Kind.SERVICE_MONITOR, "shop", "web", spec, DEFAULTS).get(0);
        RelabelRules rules = RelabelRules.parse(YAML.writeValueAsString(job.relabelRules()), "test");
        Labels discovered = Labels.of("__address__", "10.0.0.5:9100", "__meta_kubernetes_namespace", "shop",
                "__meta_kubernetes_service_name", "web", "__meta_kubernetes_service_label_app", "web",
                "__meta_kubernetes_service_labelpresent_app", "true", "__meta_kubernetes_endpointslice_port_name", "http-metrics",
                "__meta_kubernetes_endpointslice_address_target_kind", "Pod", "__meta_kubernetes_endpointslice_address_target_name", "web-1",
                "__meta_kubernetes_pod_name", "web-1", "__meta_kubernetes_pod_container_name", "app", "__meta_kubernetes_pod_phase", "Running");
        Labels out = rules.apply(discovered);
        assertThat(out.toMap()).containsEntry("job", "web").containsEntry("namespace", "shop").containsEntry("service", "web")
                .containsEntry("pod", "web-1").containsEntry("container", "app").containsEntry("endpoint", "http-metrics")
                .containsEntry("__scheme__", "http").containsEntry("__metrics_path__", "/metrics");
        assertThat(rules.apply(discovered.toBuilder().set("__meta_kubernetes_endpointslice_port_name", "web").build())).isNull();
        assertThat(rules.apply(discovered.toBuilder().set("__meta_kubernetes_service_label_app", "api").build())).isNull();
        assertThat(rules.apply(discovered.toBuilder().set("__meta_kubernetes_pod_phase", "Succeeded").build())).isNull();
    }

    @Test
    void aPodMonitorsJobIsNamespaceSlashNameAndItsPortsArePodPorts() throws Exception {
        MonitorSpec spec = spec("""
                selector: {matchLabels: {app: web}}
                namespaceSelector: {any: true}
                podMetricsEndpoints: [{portNumber: 9100}, {targetPort: metrics}]
                """);
        List<MonitorJob> jobs = MonitorJobs.of(MonitorJobs.Kind.POD_MONITOR, "shop", "web", spec, DEFAULTS);
        assertThat(jobs).extracting(MonitorJob::jobName).containsExactly("podMonitor/shop/web/0", "podMonitor/shop/web/1");
        assertThat(jobs.get(0).discoveryUri()).isEqualTo("k8s-discovery:pod?nodeName=node-a");
        assertThat(jobs.get(0).relabelRules()).contains(
                Map.of("action", "keep", "source_labels", List.of("__meta_kubernetes_pod_container_port_number"), "regex", "9100"),
                Map.of("target_label", "job", "replacement", "shop/web"));
        assertThat(jobs.get(1).relabelRules()).contains(
                Map.of("action", "keep", "source_labels", List.of("__meta_kubernetes_pod_container_port_name"), "regex", "metrics"),
                Map.of("target_label", "endpoint", "replacement", "metrics"));
        MonitorSpec named = spec("""
                namespaceSelector: {matchNames: [a, b]}
                podMetricsEndpoints: [{port: m}]
                """);
        assertThat(MonitorJobs.of(MonitorJobs.Kind.POD_MONITOR, "shop", "x", named, DEFAULTS).get(0).discoveryUri())
                .isEqualTo("k8s-discovery:pod?nodeName=node-a&namespaces=a,b");
    }

    @Test
    void aProbeOverIngressesProbesEachRulesUrlThroughTheProber() throws Exception {
        ProbeSpec spec = YAML.readValue("""
                prober: {url: blackbox.observability.svc:9115}
                module: http_2xx
                targets:
                  ingress:
                    selector: {matchLabels: {probe: "yes"}}
                    namespaceSelector: {matchNames: [shop]}
                """, ProbeSpec.class);
        MonitorJob job = MonitorJobs.probe("observability", "ingresses", spec, DEFAULTS, java.nio.file.Path.of("unused"));
        assertThat(job.jobName()).isEqualTo("probe/observability/ingresses");
        assertThat(job.discoveryUri()).isEqualTo("k8s-discovery:ingress?namespaces=shop");
        RelabelRules rules = RelabelRules.parse(YAML.writeValueAsString(job.relabelRules()), "test");
        Labels out = rules.apply(Labels.of("__address__", "shop.example.com", "__meta_kubernetes_namespace", "shop",
                "__meta_kubernetes_ingress_name", "web", "__meta_kubernetes_ingress_scheme", "https",
                "__meta_kubernetes_ingress_path", "/cart", "__meta_kubernetes_ingress_label_probe", "yes",
                "__meta_kubernetes_ingress_labelpresent_probe", "true"));
        assertThat(out.toMap()).containsEntry("__address__", "blackbox.observability.svc:9115")
                .containsEntry("__param_target", "https://shop.example.com/cart").containsEntry("__param_module", "http_2xx")
                .containsEntry("instance", "https://shop.example.com/cart").containsEntry("__metrics_path__", "/probe")
                .containsEntry("namespace", "shop").containsEntry("ingress", "web").containsEntry("job", "probe/observability/ingresses");
        ProbeSpec noProber = YAML.readValue("targets: {staticConfig: {static: [a:1]}}", ProbeSpec.class);
        assertThat(MonitorJobs.probe("o", "p", noProber, DEFAULTS, java.nio.file.Path.of("t")).problem()).contains("prober.url is empty");
    }

    @Test
    void credentialsAreReadFromSecretsWhatCaravanCannotPresentIsReportedAndABadSelectorIsRefused() throws Exception {
        MonitorSpec spec = spec("""
                endpoints:
                  - {port: a, authorization: {credentials: {name: s, key: token}}}
                  - {port: b, scheme: https, tlsConfig: {ca: {configMap: {name: ca, key: ca.crt}}}, bearerTokenSecret: {name: t, key: k}}
                  - {port: c, tlsConfig: {insecureSkipVerify: true}, scheme: https}
                  - {port: d, basicAuth: {username: {name: u, key: user}}}
                  - {port: e, tlsConfig: {cert: {secret: {name: c, key: tls.crt}}}}
                """);
        List<MonitorJob> jobs = MonitorJobs.of(MonitorJobs.Kind.SERVICE_MONITOR, "shop", "web", spec, DEFAULTS);
        assertThat(jobs.get(0).runs()).isTrue();
        assertThat(jobs.get(0).credentials()).containsExactly(new MonitorJob.Credential("shop", true, "s", "token", "bearerTokenFile"));
        assertThat(jobs.get(1).credentials()).containsExactly(
                new MonitorJob.Credential("shop", true, "t", "k", "bearerTokenFile"),
                new MonitorJob.Credential("shop", false, "ca", "ca.crt", "caFile"));
        assertThat(jobs.get(2).credentials()).isEmpty();
        assertThat(jobs.get(2).scrapeOptions()).containsEntry("insecureSkipVerify", "true");
        assertThat(jobs.get(3).problem()).startsWith("needs basicAuth, which Caravan's scrape does not present");
        assertThat(jobs.get(4).problem()).contains("tlsConfig.cert (a client certificate)");
        MonitorSpec bad = spec("""
                selector: {matchExpressions: [{key: a, operator: Matches, values: [x]}]}
                endpoints: [{port: a}]
                """);
        assertThatThrownBy(() -> MonitorJobs.of(MonitorJobs.Kind.SERVICE_MONITOR, "shop", "web", bad, DEFAULTS))
                .hasMessageContaining("selector operator 'Matches' is not In, NotIn, Exists or DoesNotExist");
    }
}
