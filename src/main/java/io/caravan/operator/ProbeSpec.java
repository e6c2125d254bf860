package io.caravan.operator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * The parts of a Probe's spec (monitoring.coreos.com/v1) that Caravan turns into a probe job: the prober (a blackbox
 * exporter), the module, and static or Ingress targets, in the CRD's own field names.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ProbeSpec(String jobName, Prober prober, String module, Targets targets, String interval, String scrapeTimeout,
                 List<Map<String, Object>> metricRelabelings, List<Param> params, Long sampleLimit, Object authorization,
                 Object basicAuth, Object oauth2, Object bearerTokenSecret, Map<String, Object> tlsConfig) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Prober(String url, String scheme, String path) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Param(String name, List<String> values) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Targets(StaticTargets staticConfig, IngressTargets ingress) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record StaticTargets(@JsonProperty("static") List<String> targets, Map<String, String> labels,
                         List<Map<String, Object>> relabelingConfigs) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record IngressTargets(MonitorSpec.Selector selector, MonitorSpec.NamespaceSelector namespaceSelector,
                          List<Map<String, Object>> relabelingConfigs) {
    }
}
