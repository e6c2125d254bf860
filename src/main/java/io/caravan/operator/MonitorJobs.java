package io.caravan.operator;

import io.caravan.discovery.MetaLabels;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ServiceMonitor or PodMonitor as the scrape jobs prometheus-operator generates for it (pkg/prometheus/promcfg.go:
 * generateServiceMonitorConfig, generatePodMonitorConfig): one job per endpoint, named as the operator names it,
 * with its relabelings (the selector, the port, the namespace/service/pod/container/endpoint/job labels, the monitor's
 * own rules last) and metric relabelings. Two differences, both for a DaemonSet: targets come from a node-local
 * discovery (endpointslice or pod, with this node's name), so each agent scrapes its node's targets and no hashmod
 * sharding is needed; and the labels Prometheus sets before relabeling (job, scheme, metrics path, interval,
 * timeout, params) are set by the first rules, since Caravan's scrape adds its defaults after them.
 */
final class MonitorJobs {

    enum Kind {
        SERVICE_MONITOR("serviceMonitor", "servicemonitor", "endpointslice"),
        POD_MONITOR("podMonitor", "podmonitor", "pod"),
        /** Probes belong to no node: their jobs run on the elected agent (the route puts the source under master:). */
        PROBE("probe", "probe", "ingress");

        final String jobPrefix;
        final String idPrefix;
        final String role;

        Kind(String jobPrefix, String idPrefix, String role) {
            this.jobPrefix = jobPrefix;
            this.idPrefix = idPrefix;
            this.role = role;
        }
    }

    /** The defaults of a job whose endpoint does not say (Prometheus' global scrape_interval and scrape_timeout). */
    record Defaults(String nodeName, String interval, String timeout, boolean nodeless) {

        Defaults(String nodeName, String interval, String timeout) {
            this(nodeName, interval, timeout, false);
        }
    }

    private MonitorJobs() {
    }

    /** A job's route and endpoint name: the kind, namespace, name and what follows, in lower case, '-' for the rest. */
    static String id(Kind kind, String namespace, String name, String suffix) {
        return (kind.idPrefix + "-" + namespace + "-" + name + suffix).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }

    /** Where a Probe job's static targets are written, in the monitors' directory. */
    static Path targetsFile(Path monitorsDir, String id) {
        return monitorsDir.resolve(id + "-targets.json");
    }

    static List<MonitorJob> of(Kind kind, String namespace, String name, MonitorSpec spec, Defaults defaults) {
        List<MonitorSpec.Endpoint> endpoints = kind == Kind.SERVICE_MONITOR ? spec.endpoints() : spec.podMetricsEndpoints();
        List<MonitorJob> jobs = new ArrayList<>();
        if (endpoints == null) {
            return jobs;
        }
        for (int i = 0; i < endpoints.size(); i++) {
            jobs.add(job(kind, namespace, name, spec, endpoints.get(i), i, defaults));
        }
        return jobs;
    }

    /**
     * A Probe as the operator's job (generateProbeConfig): {@code probe/<namespace>/<name>}, each target sent to the
     * prober as {@code ?target=} (the module as {@code ?module=}), the prober's address as {@code __address__}, the target
     * as {@code instance}; static targets from a file_sd group written for the job, Ingress targets from the ingress
     * role (the rule's scheme, host and path as the target).
     */
    static MonitorJob probe(String namespace, String name, ProbeSpec spec, Defaults defaults, Path monitorsDir) {
        String jobName = "probe/" + namespace + "/" + name;
        String id = id(Kind.PROBE, namespace, name, "");
        Path targetsFile = targetsFile(monitorsDir, id);
        String interval = nonEmpty(spec.interval(), defaults.interval());
        String timeout = nonEmpty(spec.scrapeTimeout(), defaults.timeout());
        ProbeSpec.Prober prober = spec.prober() == null ? new ProbeSpec.Prober(null, null, null) : spec.prober();
        List<String> problems = new ArrayList<>();
        if (prober.url() == null || prober.url().isEmpty()) {
            problems.add("prober.url is empty");
        }
        for (Object needs : new Object[]{spec.authorization(), spec.basicAuth(), spec.oauth2(), spec.bearerTokenSecret()}) {
            if (needs != null) {
                problems.add("credentials from a Secret");
                break;
            }
        }
        ProbeSpec.Targets targets = spec.targets() == null ? new ProbeSpec.Targets(null, null) : spec.targets();
        if (targets.staticConfig() == null && targets.ingress() == null) {
            problems.add("targets has neither staticConfig nor ingress");
        }

        List<Map<String, Object>> rules = new ArrayList<>();
        rules.add(set("job", jobName));
        rules.add(set("__scheme__", nonEmpty(prober.scheme(), "http").toLowerCase(Locale.ROOT)));
        rules.add(set("__metrics_path__", nonEmpty(prober.path(), "/probe")));
        rules.add(set("__scrape_interval__", interval));
        rules.add(set("__scrape_timeout__", timeout));
        if (spec.module() != null && !spec.module().isEmpty()) {
            rules.add(set("__param_module", spec.module()));
        }
        for (ProbeSpec.Param p : nonNull(spec.params())) {
            boolean module = "module".equals(p.name()) && spec.module() != null && !spec.module().isEmpty();
            if (!module && p.values() != null && !p.values().isEmpty()) {
                rules.add(set("__param_" + p.name(), p.values().get(0)));
            }
        }
        rules.add(rule("source_labels", List.of("job"), "target_label", "__tmp_prometheus_job_name"));
        if (spec.jobName() != null && !spec.jobName().isEmpty()) {
            rules.add(set("job", spec.jobName()));
        }
        String discovery;
        Map<String, Object> staticTargets = null;
        if (targets.staticConfig() != null) {
            Map<String, String> labels = new TreeMap<>(targets.staticConfig().labels() == null ? Map.of() : targets.staticConfig().labels());
            labels.putIfAbsent("namespace", namespace);
            staticTargets = new LinkedHashMap<>();
            staticTargets.put("targets", nonNull(targets.staticConfig().targets()));
            staticTargets.put("labels", labels);
            discovery = "static-targets:" + id + "?file=file:" + targetsFile;
            rules.add(copy("__address__", "__param_target"));
            rules.add(copy("__param_target", "instance"));
            rules.add(set("__address__", nonEmpty(prober.url(), "")));
            nonNull(targets.staticConfig().relabelingConfigs()).forEach(r -> rules.add(prometheusRule(r)));
        } else if (targets.ingress() != null) {
            selectorRules(rules, "ingress", targets.ingress().selector());
            discovery = discoveryUri(Kind.PROBE, namespace, targets.ingress().namespaceSelector(), "");
            rules.add(rule("source_labels", List.of("__meta_kubernetes_ingress_scheme", "__address__", "__meta_kubernetes_ingress_path"),
                    "separator", ";", "regex", "(.+);(.+);(.+)", "target_label", "__param_target",
                    "replacement", "${1}://${2}${3}", "action", "replace"));
            rules.add(copy("__meta_kubernetes_namespace", "namespace"));
            rules.add(copy("__meta_kubernetes_ingress_name", "ingress"));
            rules.add(rule("source_labels", List.of("__address__"), "separator", ";", "regex", "(.*)",
                    "target_label", "__tmp_ingress_address", "replacement", "$1", "action", "replace"));
            rules.add(copy("__param_target", "instance"));
            rules.add(set("__address__", nonEmpty(prober.url(), "")));
            nonNull(targets.ingress().relabelingConfigs()).forEach(r -> rules.add(prometheusRule(r)));
        } else {
            discovery = "";
        }
        List<Map<String, Object>> metricRules = new ArrayList<>();
        nonNull(spec.metricRelabelings()).forEach(r -> metricRules.add(prometheusRule(r)));
        Map<String, String> options = new LinkedHashMap<>();
        options.put("jobName", jobName);
        options.put("interval", interval);
        options.put("timeout", timeout);
        options.put("honorTimestamps", "true");
        if (spec.sampleLimit() != null && spec.sampleLimit() > 0) {
            options.put("sampleLimit", spec.sampleLimit().toString());
        }
        if (spec.tlsConfig() != null && Boolean.TRUE.equals(spec.tlsConfig().get("insecureSkipVerify"))) {
            options.put("insecureSkipVerify", "true");
        }
        String problem = problems.isEmpty() ? null : String.join("; ", problems) + ": the probe is not run";
        return new MonitorJob(id, jobName, discovery, rules, metricRules, options, problem, staticTargets, List.of());
    }

    private static MonitorJob job(Kind kind, String namespace, String name, MonitorSpec spec, MonitorSpec.Endpoint ep,
                                  int index, Defaults defaults) {
        String jobName = kind.jobPrefix + "/" + namespace + "/" + name + "/" + index;
        String id = id(kind, namespace, name, "-" + index + (defaults.nodeless() ? "-nodeless" : ""));
        List<MonitorJob.Credential> credentials = new ArrayList<>();
        String problem = unsupported(ep, namespace, credentials);
        String interval = nonEmpty(ep.interval(), defaults.interval());
        String timeout = nonEmpty(ep.scrapeTimeout(), defaults.timeout());

        List<Map<String, Object>> rules = new ArrayList<>();
        // what Prometheus sets before relabeling, so the monitor's rules can read and change it
        rules.add(set("job", jobName));
        rules.add(set("__scheme__", nonEmpty(ep.scheme(), "http").toLowerCase(Locale.ROOT)));
        rules.add(set("__metrics_path__", nonEmpty(ep.path(), "/metrics")));
        rules.add(set("__scrape_interval__", interval));
        rules.add(set("__scrape_timeout__", timeout));
        if (ep.params() != null) {
            new TreeMap<>(ep.params()).forEach((k, v) -> {
                if (v != null && !v.isEmpty()) {
                    rules.add(set("__param_" + k, v.get(0)));
                }
            });
        }
        rules.add(rule("source_labels", List.of("job"), "target_label", "__tmp_prometheus_job_name"));
        if (kind == Kind.SERVICE_MONITOR) {
            serviceMonitorRules(rules, namespace, name, spec, ep);
        } else {
            podMonitorRules(rules, namespace, name, spec, ep);
        }
        for (Map<String, Object> r : nonNull(ep.relabelings())) {
            rules.add(prometheusRule(r));
        }
        List<Map<String, Object>> metricRules = new ArrayList<>();
        for (Map<String, Object> r : nonNull(ep.metricRelabelings())) {
            metricRules.add(prometheusRule(r));
        }

        Map<String, String> options = new LinkedHashMap<>();
        options.put("jobName", jobName);
        options.put("interval", interval);
        options.put("timeout", timeout);
        if (Boolean.TRUE.equals(ep.honorLabels())) {
            options.put("honorLabels", "true");
        }
        if (ep.honorTimestamps() != null) {
            options.put("honorTimestamps", ep.honorTimestamps().toString());
        }
        if (spec.sampleLimit() != null && spec.sampleLimit() > 0) {
            options.put("sampleLimit", spec.sampleLimit().toString());
        }
        if (ep.bearerTokenFile() != null && !ep.bearerTokenFile().isEmpty()) {
            options.put("bearerTokenFile", ep.bearerTokenFile());
        }
        if (ep.tlsConfig() != null && Boolean.TRUE.equals(ep.tlsConfig().get("insecureSkipVerify"))) {
            options.put("insecureSkipVerify", "true");
        }
        if (ep.tlsConfig() != null && ep.tlsConfig().get("caFile") instanceof String caFile && !caFile.isEmpty()) {
            options.put("caFile", caFile); // a path in the agent's pod, as it was one in Prometheus'
        }
        String discovery = discoveryUri(kind, namespace, spec.namespaceSelector(), defaults.nodeName());
        if (defaults.nodeless()) {
            discovery += (discovery.contains("?") ? "&" : "?") + "nodelessOnly=true";
        }
        return new MonitorJob(id, jobName, discovery, rules, metricRules, options, problem, null, List.copyOf(credentials));
    }

    private static void serviceMonitorRules(List<Map<String, Object>> rules, String namespace, String name, MonitorSpec spec,
                                            MonitorSpec.Endpoint ep) {
        selectorRules(rules, "service", spec.selector());
        if (ep.port() != null && !ep.port().isEmpty()) {
            rules.add(rule("action", "keep", "source_labels", List.of("__meta_kubernetes_endpointslice_port_name"), "regex", ep.port()));
        } else if (targetPort(ep) != null) {
            String tp = targetPort(ep);
            String source = tp.chars().allMatch(Character::isDigit) ? "__meta_kubernetes_pod_container_port_number"
                    : "__meta_kubernetes_pod_container_port_name";
            rules.add(rule("action", "keep", "source_labels", List.of(source), "regex", tp));
        }
        List<String> target = List.of("__meta_kubernetes_endpointslice_address_target_kind",
                "__meta_kubernetes_endpointslice_address_target_name");
        rules.add(rule("source_labels", target, "separator", ";", "regex", "Node;(.*)", "replacement", "${1}", "target_label", "node"));
        rules.add(rule("source_labels", target, "separator", ";", "regex", "Pod;(.*)", "replacement", "${1}", "target_label", "pod"));
        rules.add(copy("__meta_kubernetes_namespace", "namespace"));
        rules.add(copy("__meta_kubernetes_service_name", "service"));
        rules.add(copy("__meta_kubernetes_pod_name", "pod"));
        rules.add(copy("__meta_kubernetes_pod_container_name", "container"));
        if (ep.filterRunning() == null || ep.filterRunning()) {
            rules.add(runningFilter());
        }
        for (String l : nonNull(spec.targetLabels())) {
            rules.add(copyIfSet("__meta_kubernetes_service_label_" + MetaLabels.sanitize(l), MetaLabels.sanitize(l)));
        }
        for (String l : nonNull(spec.podTargetLabels())) {
            rules.add(copyIfSet("__meta_kubernetes_pod_label_" + MetaLabels.sanitize(l), MetaLabels.sanitize(l)));
        }
        rules.add(rule("source_labels", List.of("__meta_kubernetes_service_name"), "target_label", "job", "replacement", "${1}"));
        if (spec.jobLabel() != null && !spec.jobLabel().isEmpty()) {
            rules.add(copyIfSet("__meta_kubernetes_service_label_" + MetaLabels.sanitize(spec.jobLabel()), "job"));
        }
        endpointLabel(rules, ep);
    }

    private static void podMonitorRules(List<Map<String, Object>> rules, String namespace, String name, MonitorSpec spec,
                                        MonitorSpec.Endpoint ep) {
        if (ep.filterRunning() == null || ep.filterRunning()) {
            rules.add(runningFilter());
        }
        selectorRules(rules, "pod", spec.selector());
        if (ep.port() != null && !ep.port().isEmpty()) {
            rules.add(rule("action", "keep", "source_labels", List.of("__meta_kubernetes_pod_container_port_name"), "regex", ep.port()));
        } else if (ep.portNumber() != null && ep.portNumber() != 0) {
            rules.add(rule("action", "keep", "source_labels", List.of("__meta_kubernetes_pod_container_port_number"),
                    "regex", ep.portNumber().toString()));
        } else if (targetPort(ep) != null) {
            String tp = targetPort(ep);
            String source = tp.chars().allMatch(Character::isDigit) ? "__meta_kubernetes_pod_container_port_number"
                    : "__meta_kubernetes_pod_container_port_name";
            rules.add(rule("action", "keep", "source_labels", List.of(source), "regex", tp));
        }
        rules.add(copy("__meta_kubernetes_namespace", "namespace"));
        rules.add(copy("__meta_kubernetes_pod_container_name", "container"));
        rules.add(copy("__meta_kubernetes_pod_name", "pod"));
        for (String l : nonNull(spec.podTargetLabels())) {
            rules.add(copyIfSet("__meta_kubernetes_pod_label_" + MetaLabels.sanitize(l), MetaLabels.sanitize(l)));
        }
        rules.add(set("job", namespace + "/" + name));
        if (spec.jobLabel() != null && !spec.jobLabel().isEmpty()) {
            rules.add(copyIfSet("__meta_kubernetes_pod_label_" + MetaLabels.sanitize(spec.jobLabel()), "job"));
        }
        endpointLabel(rules, ep);
    }

    /** The selector as keep/drop rules on the role's object labels (the operator's default "relabel" mechanism). */
    private static void selectorRules(List<Map<String, Object>> rules, String object, MonitorSpec.Selector selector) {
        if (selector == null) {
            return;
        }
        String label = "__meta_kubernetes_" + object + "_label_";
        String present = "__meta_kubernetes_" + object + "_labelpresent_";
        if (selector.matchLabels() != null) {
            new TreeMap<>(selector.matchLabels()).forEach((k, v) -> rules.add(rule("action", "keep",
                    "source_labels", List.of(label + MetaLabels.sanitize(k), present + MetaLabels.sanitize(k)),
                    "regex", "(" + v + ");true")));
        }
        for (MonitorSpec.Expression e : nonNull(selector.matchExpressions())) {
            String k = MetaLabels.sanitize(e.key());
            String values = "(" + String.join("|", nonNull(e.values())) + ");true";
            switch (e.operator() == null ? "" : e.operator()) {
                case "In" -> rules.add(rule("action", "keep", "source_labels", List.of(label + k, present + k), "regex", values));
                case "NotIn" -> rules.add(rule("action", "drop", "source_labels", List.of(label + k, present + k), "regex", values));
                case "Exists" -> rules.add(rule("action", "keep", "source_labels", List.of(present + k), "regex", "true"));
                case "DoesNotExist" -> rules.add(rule("action", "drop", "source_labels", List.of(present + k), "regex", "true"));
                default -> throw new IllegalArgumentException("selector operator '" + e.operator()
                        + "' is not In, NotIn, Exists or DoesNotExist");
            }
        }
    }

    private static void endpointLabel(List<Map<String, Object>> rules, MonitorSpec.Endpoint ep) {
        if (ep.port() != null && !ep.port().isEmpty()) {
            rules.add(rule("target_label", "endpoint", "replacement", ep.port()));
        } else if (targetPort(ep) != null) {
            rules.add(rule("target_label", "endpoint", "replacement", targetPort(ep)));
        }
    }

    /** The namespaces the discovery watches: any, the listed ones, or (by default) the monitor's own. */
    private static String discoveryUri(Kind kind, String namespace, MonitorSpec.NamespaceSelector ns, String nodeName) {
        String namespaces;
        if (ns != null && Boolean.TRUE.equals(ns.any())) {
            namespaces = "";
        } else if (ns != null && ns.matchNames() != null && !ns.matchNames().isEmpty()) {
            namespaces = String.join(",", ns.matchNames());
        } else {
            namespaces = namespace;
        }
        StringBuilder uri = new StringBuilder("k8s-discovery:").append(kind.role);
        List<String> query = new ArrayList<>();
        if (!nodeName.isEmpty()) {
            query.add("nodeName=" + nodeName);
        }
        if (!namespaces.isEmpty()) {
            query.add("namespaces=" + namespaces);
        }
        return query.isEmpty() ? uri.toString() : uri.append('?').append(String.join("&", query)).toString();
    }

    /**
     * The endpoint's credentials: a bearer token (authorization of type Bearer, or the older bearerTokenSecret) and a
     * CA (tlsConfig.ca from a Secret or ConfigMap) become credentials to read; what Caravan's scrape cannot present
     * (basic auth, OAuth 2, a client certificate, another authorization type) makes the endpoint unscrapable, said so.
     */
    @SuppressWarnings("unchecked")
    private static String unsupported(MonitorSpec.Endpoint ep, String namespace, List<MonitorJob.Credential> credentials) {
        List<String> cannot = new ArrayList<>();
        if (ep.basicAuth() != null) {
            cannot.add("basicAuth");
        }
        if (ep.oauth2() != null) {
            cannot.add("oauth2");
        }
        if (ep.authorization() instanceof Map<?, ?> auth) {
            Object type = auth.get("type");
            if (type != null && !"Bearer".equalsIgnoreCase(type.toString())) {
                cannot.add("authorization of type " + type);
            } else if (auth.get("credentials") instanceof Map<?, ?> ref) {
                credentials.add(credential(namespace, true, (Map<String, Object>) ref, "bearerTokenFile"));
            }
        }
        if (ep.bearerTokenSecret() instanceof Map<?, ?> ref && ref.get("name") != null) {
            credentials.add(credential(namespace, true, (Map<String, Object>) ref, "bearerTokenFile"));
        }
        if (ep.tlsConfig() != null) {
            if (ep.tlsConfig().get("ca") instanceof Map<?, ?> ca) {
                if (ca.get("secret") instanceof Map<?, ?> ref) {
                    credentials.add(credential(namespace, true, (Map<String, Object>) ref, "caFile"));
                } else if (ca.get("configMap") instanceof Map<?, ?> ref) {
                    credentials.add(credential(namespace, false, (Map<String, Object>) ref, "caFile"));
                }
            }
            for (String key : List.of("cert", "keySecret", "certFile", "keyFile")) {
                if (ep.tlsConfig().get(key) != null) {
                    cannot.add("tlsConfig." + key + " (a client certificate)");
                }
            }
        }
        return cannot.isEmpty() ? null : "needs " + String.join(", ", cannot)
                + ", which Caravan's scrape does not present; the endpoint is not scraped";
    }

    private static MonitorJob.Credential credential(String namespace, boolean secret, Map<String, Object> ref, String option) {
        return new MonitorJob.Credential(namespace, secret, String.valueOf(ref.get("name")), String.valueOf(ref.get("key")), option);
    }

    private static String targetPort(MonitorSpec.Endpoint ep) {
        Object tp = ep.targetPort();
        if (tp == null || tp.toString().isEmpty() || "0".equals(tp.toString())) {
            return null;
        }
        return tp.toString();
    }

    /** A monitor's RelabelConfig (camelCase fields) as a Prometheus relabel_config (snake_case). */
    static Map<String, Object> prometheusRule(Map<String, Object> r) {
        Map<String, Object> out = new LinkedHashMap<>();
        r.forEach((k, v) -> {
            String key = switch (k) {
                case "sourceLabels" -> "source_labels";
                case "targetLabel" -> "target_label";
                default -> k;
            };
            out.put(key, "action".equals(k) && v != null ? v.toString().toLowerCase(Locale.ROOT) : v);
        });
        return out;
    }

    private static Map<String, Object> runningFilter() {
        return rule("action", "drop", "source_labels", List.of("__meta_kubernetes_pod_phase"), "regex", "(Failed|Succeeded)");
    }

    private static Map<String, Object> set(String label, String value) {
        return rule("target_label", label, "replacement", value);
    }

    private static Map<String, Object> copy(String from, String to) {
        return rule("source_labels", List.of(from), "target_label", to);
    }

    private static Map<String, Object> copyIfSet(String from, String to) {
        return rule("source_labels", List.of(from), "target_label", to, "regex", "(.+)", "replacement", "${1}");
    }

    private static Map<String, Object> rule(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String nonEmpty(String v, String otherwise) {
        return v == null || v.isEmpty() ? otherwise : v;
    }

    private static <T> List<T> nonNull(List<T> l) {
        return l == null ? List.of() : l;
    }
}
