package io.caravan.operator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;
import java.util.Map;

/**
 * The parts of a ServiceMonitor's or PodMonitor's spec (monitoring.coreos.com/v1) that Caravan turns into a scrape
 * job, in the CRD's own field names. Unknown fields are ignored; what a job would need and Caravan does not do is
 * found by {@link MonitorJobs} and said in the monitor's status.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record MonitorSpec(String jobLabel, List<String> targetLabels, List<String> podTargetLabels, Selector selector,
                   NamespaceSelector namespaceSelector, List<Endpoint> endpoints, List<Endpoint> podMetricsEndpoints,
                   Long sampleLimit) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Selector(Map<String, String> matchLabels, List<Expression> matchExpressions) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Expression(String key, String operator, List<String> values) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record NamespaceSelector(Boolean any, List<String> matchNames) {
    }

    /** A ServiceMonitor endpoint or a PodMonitor podMetricsEndpoint. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Endpoint(String port, Object targetPort, Integer portNumber, String path, String scheme,
                    Map<String, List<String>> params, String interval, String scrapeTimeout, Boolean honorLabels,
                    Boolean honorTimestamps, List<Map<String, Object>> relabelings, List<Map<String, Object>> metricRelabelings,
                    Boolean filterRunning, Map<String, Object> tlsConfig, Object bearerTokenSecret, String bearerTokenFile,
                    Object basicAuth, Object authorization, Object oauth2) {
    }
}
