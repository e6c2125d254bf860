package io.caravan.helm;

import io.caravan.ShippedRoutes;
import io.caravan.discovery.NodeTargets;
import io.caravan.model.Labels;
import io.caravan.model.Target;
import io.caravan.relabel.RelabelRules;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped pipelines need from the kubelet only what the chart grants. The kubelet authorizes a request with a
 * SubjectAccessReview on the node's subresource its path falls under (Kubernetes' "Kubelet authentication/authorization"
 * page): /stats/* is nodes/stats, /metrics/* nodes/metrics, /logs/* nodes/log, /spec/* nodes/spec, /checkpoint/*
 * nodes/checkpoint, and everything else (/pods, /exec, /attach, /run, ...) nodes/proxy; a GET is the verb get.
 */
class KubeletAuthorizationTest {

    private static final int KUBELET_PORT = 10250;
    private static final Pattern RULES = Pattern.compile("rules=classpath:(rules/[A-Za-z0-9_.-]+\\.yaml)");
    private static final Pattern METRICS_PATH = Pattern.compile("[?&]metricsPath=([^&\"]+)");

    /** The kubelet's path-to-subresource mapping (pkg/kubelet/server/auth.go), for a GET. */
    static String subresource(String path) {
        for (String sub : List.of("stats", "metrics", "logs", "spec", "checkpoint")) {
            if (path.equals("/" + sub) || path.startsWith("/" + sub + "/")) {
                return "nodes/" + (sub.equals("logs") ? "log" : sub);
            }
        }
        return "nodes/proxy";
    }

    @ParameterizedTest
    @CsvSource({
            "/metrics, nodes/metrics", "/metrics/cadvisor, nodes/metrics", "/metrics/probes, nodes/metrics",
            "/metrics/resource, nodes/metrics", "/stats/summary, nodes/stats", "/logs/, nodes/log", "/spec/, nodes/spec",
            "/pods, nodes/proxy", "/exec/ns/pod/c, nodes/proxy", "/attach/ns/pod/c, nodes/proxy", "/metricsx, nodes/proxy"})
    void theKubeletsMapping(String path, String subresource) {
        assertThat(subresource(path)).isEqualTo(subresource);
    }

    @Test
    void everyShippedPipelineThatScrapesTheKubeletIsGrantedByTheChartAndNothingReachesNodesProxy() throws Exception {
        List<String> needed = new ArrayList<>();
        for (String path : kubeletPaths()) {
            needed.add("|" + subresource(path) + "|get");
        }
        assertThat(needed).as("the kubelet and cAdvisor pipelines are found").hasSizeGreaterThanOrEqualTo(2);
        Set<String> granted = ChartTest.grants(ChartTest.one(ChartTest.render(), "ClusterRole"));
        assertThat(granted).containsAll(needed);
        assertThat(granted).noneMatch(g -> g.contains("nodes/proxy"));
    }

    /** Each shipped route as one line: its endpoint URIs, quoted, with the defaults of their placeholders. */
    private static List<String> shippedRoutes() throws Exception {
        List<String> routes = new ArrayList<>();
        for (RouteDefinition rd : ShippedRoutes.definitions()) {
            StringBuilder b = new StringBuilder("\"" + rd.getInput().getEndpointUri() + "\"");
            for (SendDefinition<?> send : ProcessorDefinitionHelper.filterTypeInOutputs(rd.getOutputs(), SendDefinition.class)) {
                b.append(" \"").append(send.getEndpointUri()).append('"');
            }
            routes.add(ShippedRoutes.withDefaults(b.toString()));
        }
        return routes;
    }

    /** The paths the shipped node-role pipelines scrape on the kubelet's port, from their routes and relabel rules. */
    private static List<String> kubeletPaths() throws Exception {
        Node node = new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress("192.168.10.11").endAddress()
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(KUBELET_PORT).endKubeletEndpoint().endDaemonEndpoints()
                .endStatus().build();
        Target target = NodeTargets.of(node).get(0);
        List<String> paths = new ArrayList<>();
        for (String route : shippedRoutes()) {
            Matcher rules = RULES.matcher(route);
            if (!route.contains("k8s-discovery:node") || !rules.find()) {
                continue;
            }
            String text = Files.readString(Path.of("src/main/resources").resolve(rules.group(1)))
                    .replace("{{NODE_NAME:}}", "worker-1");
            Labels out = RelabelRules.parse(text, rules.group(1)).apply(target.labels());
            if (out == null || !out.get(Target.ADDRESS).endsWith(":" + KUBELET_PORT)) {
                continue;
            }
            Matcher uriPath = METRICS_PATH.matcher(route);
            String path = out.get("__metrics_path__") != null ? out.get("__metrics_path__")
                    : uriPath.find() ? uriPath.group(1) : "/metrics";
            paths.add(path);
        }
        return paths;
    }
}
