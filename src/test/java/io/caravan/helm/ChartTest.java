package io.caravan.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The chart, linted and rendered by real Helm (helm-java), asserted on the rendered objects. */
class ChartTest {

    static final Path CHART = Path.of("helm/caravan");
    static final Path JAR_RESOURCES = Path.of("src/main/resources");
    static final ObjectMapper YAML = new YAMLMapper();

    @TempDir Path tmp;

    // ---------------------------------------------------------------- rendering helpers

    /** Renders the chart with the given values files (relative to the chart) and --set pairs. */
    static List<JsonNode> render(List<Path> valuesFiles, Map<String, Object> sets) throws IOException {
        TemplateCommand cmd = new Helm(CHART).template().withName("caravan").withNamespace("observability");
        for (Path f : valuesFiles) {
            cmd = cmd.withValuesFile(f.isAbsolute() ? f : CHART.resolve(f));
        }
        for (Map.Entry<String, Object> e : sets.entrySet()) {
            cmd = cmd.set(e.getKey(), e.getValue());
        }
        String out = cmd.call();
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class)
                .readValues(new YAMLFactory().createParser(out))) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode() && n.size() > 0) {
                    docs.add(n);
                }
            }
        }
        return docs;
    }

    static List<JsonNode> render(String... valuesFiles) throws IOException {
        return render(Stream.of(valuesFiles).map(Path::of).toList(), Map.of());
    }

    static List<JsonNode> kind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static JsonNode one(List<JsonNode> docs, String kind) {
        List<JsonNode> k = kind(docs, kind);
        assertThat(k).as("exactly one %s", kind).hasSize(1);
        return k.get(0);
    }

    static JsonNode one(List<JsonNode> docs, String kind, String name) {
        return kind(docs, kind).stream().filter(d -> name.equals(d.at("/metadata/name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static JsonNode pod(List<JsonNode> docs) {
        return one(docs, "DaemonSet").at("/spec/template/spec");
    }

    static JsonNode container(List<JsonNode> docs) {
        JsonNode cs = pod(docs).path("containers");
        assertThat(cs.size()).isEqualTo(1);
        return cs.get(0);
    }

    static JsonNode initContainer(List<JsonNode> docs, String name) {
        for (JsonNode c : pod(docs).path("initContainers")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        return null;
    }

    /** name -> the env entry (value or valueFrom), failing on a duplicate name. */
    static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new TreeMap<>();
        for (JsonNode e : container.path("env")) {
            assertThat(env.put(e.path("name").asText(), e)).as("duplicate env %s", e.path("name").asText()).isNull();
        }
        return env;
    }

    static String envValue(JsonNode container, String name) {
        JsonNode e = env(container).get(name);
        assertThat(e).as("env %s", name).isNotNull();
        return e.path("value").asText();
    }

    static JsonNode mount(JsonNode container, String mountPath) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (mountPath.equals(m.path("mountPath").asText())) {
                return m;
            }
        }
        throw new AssertionError("no volumeMount at " + mountPath);
    }

    static JsonNode volume(List<JsonNode> docs, String name) {
        for (JsonNode v : pod(docs).path("volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    static Set<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).collect(Collectors.toSet());
    }

    static Map<String, String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            Map<String, String> m = new TreeMap<>();
            for (Path p : s.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                m.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
            return m;
        }
    }

    Path valuesFile(String yaml) throws IOException {
        Path f = Files.createTempFile(tmp, "values", ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    // ---------------------------------------------------------------- lint

    @Test
    void lintIsCleanAndStrict() {
        LintResult r = new Helm(CHART).lint().strict().call();
        assertThat(r.isFailed()).as(String.join("\n", r.getMessages())).isFalse();
        assertThat(r.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @ParameterizedTest
    @CsvSource({"values.yaml", "values-proddc.yaml", "values-drdc.yaml"})
    void everyValuesFileRenders(String file) throws IOException {
        List<JsonNode> docs = render(file);
        assertThat(docs.stream().map(d -> d.path("kind").asText()).collect(Collectors.toSet()))
                .contains("DaemonSet", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
                        "ConfigMap", "Service");
    }

    // ---------------------------------------------------------------- routes, rules, stages: no drift

    /** The build copies the jar's routes, rules and stages into the chart (pom.xml, chart-files): exactly those. */
    @ParameterizedTest
    @CsvSource({"routes", "rules", "stages"})
    void chartFilesAreTheJarsAsBuilt(String kind) throws IOException {
        Map<String, String> jar = files(JAR_RESOURCES.resolve(kind));
        assertThat(jar).isNotEmpty();
        assertThat(files(CHART.resolve("files").resolve(kind)))
                .as("helm/caravan/files/%s/ is built from src/main/resources/%s/ by mvn generate-resources", kind, kind)
                .isEqualTo(jar);
        try (Stream<Path> s = Files.list(CHART.resolve("files").resolve(kind))) {
            assertThat(s.map(p -> p.getFileName().toString())).allMatch(n -> n.endsWith(".yaml"));
        }
    }

    @Test
    void aChartWithoutItsBuiltFilesFailsToRenderAndSaysWhatToRun() throws IOException {
        Path unbuilt = tmp.resolve("caravan");
        try (Stream<Path> s = Files.walk(CHART)) {
            for (Path p : s.filter(p -> !p.startsWith(CHART.resolve("files"))).toList()) {
                Path to = unbuilt.resolve(CHART.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        assertThatThrownBy(() -> new Helm(unbuilt).template().withName("caravan").call())
                .hasMessageContaining("files/routes/ is empty").hasMessageContaining("mvn -q generate-resources");
    }

    @Test
    void configMapsHoldEveryRouteRuleAndStageShippedInTheJarWhereTheRoutesReadThem() throws IOException {
        List<JsonNode> docs = render();
        assertThat(kind(docs, "ConfigMap")).hasSize(3);
        JsonNode c = container(docs);
        for (String kind : List.of("routes", "rules", "stages")) {
            JsonNode data = one(docs, "ConfigMap", "caravan-" + kind).path("data");
            Map<String, String> rendered = new TreeMap<>();
            data.fields().forEachRemaining(e -> rendered.put(e.getKey(), e.getValue().asText()));
            assertThat(rendered).as(kind).isEqualTo(files(JAR_RESOURCES.resolve(kind)));
            String mountPath = "/etc/caravan/" + kind;
            assertThat(mount(c, mountPath).path("readOnly").asBoolean()).isTrue();
            assertThat(volume(docs, mount(c, mountPath).path("name").asText()).at("/configMap/name").asText())
                    .isEqualTo("caravan-" + kind);
        }
        assertThat(envValue(c, "CARAVAN_ROUTES_DIR")).isEqualTo("/etc/caravan/routes");
        // the shipped routes read rules/<name>.yaml and stages/<name>.yaml at these locations (templates.yaml and the
        // log pipelines), so the pod reads the ConfigMaps' copies, and an overridden one
        assertThat(envValue(c, "CARAVAN_RULES_LOCATION")).isEqualTo("file:/etc/caravan/rules");
        assertThat(envValue(c, "CARAVAN_STAGES_LOCATION")).isEqualTo("file:/etc/caravan/stages");
        String routes = String.join("\n", files(JAR_RESOURCES.resolve("routes")).values());
        assertThat(routes).doesNotContain("classpath:rules/").doesNotContain("classpath:stages/")
                .contains("{{CARAVAN_RULES_LOCATION:classpath:rules}}/").contains("{{CARAVAN_STAGES_LOCATION:classpath:stages}}/");
    }

    @Test
    void routeRuleAndStageOverridesReplaceTheShippedFileOfTheSameNameAndRollNoPod() throws IOException {
        JsonNode before = one(render(), "DaemonSet").at("/spec/template");

        Path overrides = valuesFile("""
                routes:
                  files:
                    kubelet.yaml: |
                      - route:
                          id: kubelet
                          from:
                            uri: "k8s-discovery:node?nodeName={{NODE_NAME:}}"
                            steps:
                              - to: "relabel:kubelet?rules=file:/etc/caravan/rules/kubelet.yaml"
                    cnpg.yaml: ""
                rules:
                  files:
                    kubelet.yaml: |
                      - source_labels: [__meta_kubernetes_node_name]
                        regex: "{{NODE_NAME:}}"
                        action: keep
                stages:
                  files:
                    audit.yaml: |
                      - drop:
                          expression: "^$"
                """);
        List<JsonNode> docs = render(List.of(overrides), Map.of());
        JsonNode routes = one(docs, "ConfigMap", "caravan-routes").path("data");
        assertThat(routes.path("kubelet.yaml").asText()).contains("rules=file:/etc/caravan/rules/kubelet.yaml");
        assertThat(routes.path("cnpg.yaml").asText()).isEmpty();
        assertThat(routes.path("sinks.yaml").asText()).isEqualTo(files(JAR_RESOURCES.resolve("routes")).get("sinks.yaml"));
        JsonNode rules = one(docs, "ConfigMap", "caravan-rules").path("data");
        assertThat(rules.path("kubelet.yaml").asText()).contains("action: keep").doesNotContain("__metrics_path__");
        assertThat(rules.path("cadvisor.yaml").asText()).isEqualTo(files(JAR_RESOURCES.resolve("rules")).get("cadvisor.yaml"));
        JsonNode stages = one(docs, "ConfigMap", "caravan-stages").path("data");
        assertThat(stages.path("audit.yaml").asText()).contains("^$");
        assertThat(stages.path("pod-logs.yaml").asText()).isEqualTo(files(JAR_RESOURCES.resolve("stages")).get("pod-logs.yaml"));

        JsonNode c = container(docs);
        assertThat(mount(c, "/etc/caravan/rules").path("readOnly").asBoolean()).isTrue();
        assertThat(volume(docs, "rules").at("/configMap/name").asText()).isEqualTo("caravan-rules");

        // the agent reloads the mounted files in place (RouteReload): the pod template, and so every pod, stays as it is
        assertThat(one(docs, "DaemonSet").at("/spec/template")).isEqualTo(before);
        assertThat(mount(c, "/etc/caravan/routes").has("subPath")).as("a subPath mount would never see an update").isFalse();
    }

    // ---------------------------------------------------------------- pod spec

    @Test
    void securityContextIsTheSeedsStrictBaseline() throws IOException {
        List<JsonNode> docs = render();
        JsonNode psc = pod(docs).path("securityContext");
        assertThat(psc.path("runAsUser").asInt()).isEqualTo(473);
        assertThat(psc.path("runAsGroup").asInt()).isEqualTo(473);
        assertThat(psc.path("fsGroup").asInt()).isEqualTo(473);
        assertThat(psc.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(psc.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");

        JsonNode sc = container(docs).path("securityContext");
        assertThat(sc.path("runAsUser").asInt()).isEqualTo(473);
        assertThat(sc.path("runAsGroup").asInt()).isEqualTo(473);
        assertThat(sc.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(texts(sc.at("/capabilities/drop"))).containsExactly("ALL");
        assertThat(sc.at("/capabilities/add").isMissingNode()).isTrue();
        assertThat(sc.path("privileged").asBoolean(false)).isFalse();
        assertThat(sc.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");

        JsonNode spec = pod(docs);
        assertThat(spec.path("hostNetwork").asBoolean(false)).isFalse();
        assertThat(spec.path("hostPID").asBoolean(false)).isFalse();

        // Init containers: root only where a root-owned file must be read or chowned, never privileged.
        for (JsonNode ic : spec.path("initContainers")) {
            JsonNode isc = ic.path("securityContext");
            assertThat(isc.path("privileged").asBoolean(false)).isFalse();
            assertThat(isc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(texts(isc.at("/capabilities/drop"))).containsExactly("ALL");
            assertThat(texts(isc.at("/capabilities/add"))).isSubsetOf("CHOWN");
            assertThat(isc.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        }
    }

    @Test
    void hostMountsAreReadOnlyAndTheNodeExporterSeesTheHost() throws IOException {
        List<JsonNode> docs = render();
        JsonNode c = container(docs);
        for (String[] m : new String[][] {
                {"/var/log", "/var/log"}, {"/host/proc", "/proc"}, {"/host/sys", "/sys"}, {"/host/root", "/"}}) {
            JsonNode vm = mount(c, m[0]);
            assertThat(vm.path("readOnly").asBoolean()).as("%s read-only", m[0]).isTrue();
            JsonNode hp = volume(docs, vm.path("name").asText()).path("hostPath");
            assertThat(hp.path("path").asText()).isEqualTo(m[1]);
            assertThat(hp.path("type").asText()).isEqualTo("Directory");
        }
        assertThat(envValue(c, "CARAVAN_NODE_PROCFS")).isEqualTo("/host/proc");
        assertThat(envValue(c, "CARAVAN_NODE_SYSFS")).isEqualTo("/host/sys");
        assertThat(envValue(c, "CARAVAN_NODE_ROOTFS")).isEqualTo("/host/root");

        // State survives restarts: a hostPath at CARAVAN_DATA_DIR, writable, handed to 473 by an init container.
        String dataDir = envValue(c, "CARAVAN_DATA_DIR");
        JsonNode dm = mount(c, dataDir);
        assertThat(dm.path("readOnly").asBoolean(false)).isFalse();
        JsonNode data = volume(docs, dm.path("name").asText()).path("hostPath");
        assertThat(data.path("path").asText()).isEqualTo("/var/lib/caravan");
        assertThat(data.path("type").asText()).isEqualTo("DirectoryOrCreate");
        JsonNode chown = initContainer(docs, "data-dir");
        assertThat(chown).isNotNull();
        assertThat(texts(chown.path("command"))).contains("chown", "473:473");

        // Every hostPath but the data dir is mounted read-only in the agent.
        for (JsonNode v : pod(docs).path("volumes")) {
            if (v.has("hostPath") && !v.path("name").asText().equals(dm.path("name").asText())) {
                for (JsonNode m : c.path("volumeMounts")) {
                    if (m.path("name").asText().equals(v.path("name").asText())) {
                        assertThat(m.path("readOnly").asBoolean()).as("%s read-only", m).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void etcdCaInitContainerCopiesTheCaToAnEmptyDirReadableBy473() throws IOException {
        List<JsonNode> docs = render();
        JsonNode ic = initContainer(docs, "etcd-ca");
        assertThat(ic).isNotNull();
        String script = ic.path("command").get(ic.path("command").size() - 1).asText();
        assertThat(script).contains("server-ca.crt").contains("chmod 0644");
        assertThat(ic.at("/securityContext/runAsUser").asInt()).isZero();
        assertThat(mount(ic, "/host-etcd-tls").path("readOnly").asBoolean()).isTrue();
        assertThat(volume(docs, "host-etcd-tls").at("/hostPath/path").asText())
                .isEqualTo("/var/lib/rancher/rke2/server/tls/etcd");
        assertThat(volume(docs, "etcd-ca").has("emptyDir")).isTrue();
        assertThat(mount(container(docs), "/etc/caravan/etcd").path("readOnly").asBoolean()).isTrue();

        List<JsonNode> off = render(List.of(), Map.of("etcdCa.enabled", false));
        assertThat(initContainer(off, "etcd-ca")).isNull();
        assertThat(pod(off).path("volumes").toString()).doesNotContain("etcd");
    }

    @Test
    void envComesFromTheDownwardApiAndValues() throws IOException {
        JsonNode c = container(render());
        Map<String, JsonNode> env = env(c);
        assertThat(env.get("NODE_NAME").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("spec.nodeName");
        assertThat(env.get("POD_NAME").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
        assertThat(env.get("POD_NAMESPACE").at("/valueFrom/fieldRef/fieldPath").asText())
                .isEqualTo("metadata.namespace");
        assertThat(envValue(c, "OTEL_SERVICE_NAME")).isEqualTo("caravan-daemonset");
        assertThat(envValue(c, "CARAVAN_LEADER_ELECTION")).isEqualTo("kubernetes");
        assertThat(envValue(c, "CLUSTER_NAME")).isEqualTo("conveyor-platform");
        assertThat(envValue(c, "CARAVAN_HTTP_PORT")).isEqualTo("12345");
        assertThat(envValue(c, "CARAVAN_HTTP_ADDRESS")).as("probes reach the pod IP").isEqualTo("0.0.0.0");
        assertThat(envValue(c, "JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=75");
        // Empty values are left out, so the agent's own defaults apply.
        assertThat(env).doesNotContainKeys("MIMIR_WRITE_URL", "DC_LABEL", "OTEL_EXPORTER_OTLP_ENDPOINT");
        assertThat(env).doesNotContainKey("HOSTNAME");

        Path extra = valuesFile("""
                env:
                  OTEL_EXPORTER_OTLP_ENDPOINT: http://tempo-distributor.observability.svc:4318
                extraEnv:
                  - name: MIMIR_BEARER_TOKEN_FILE
                    value: /etc/caravan/mimir/token
                  - name: SOME_SECRET
                    valueFrom:
                      secretKeyRef: {name: caravan, key: token}
                """);
        JsonNode c2 = container(render(List.of(extra), Map.of()));
        assertThat(envValue(c2, "OTEL_EXPORTER_OTLP_ENDPOINT")).isEqualTo("http://tempo-distributor.observability.svc:4318");
        assertThat(envValue(c2, "MIMIR_BEARER_TOKEN_FILE")).isEqualTo("/etc/caravan/mimir/token");
        assertThat(env(c2).get("SOME_SECRET").at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("token");
    }

    @ParameterizedTest
    @CsvSource({
        "values-proddc.yaml, ProdDC, https://loki.drdc.conveyor.internal/loki/api/v1/push",
        "values-drdc.yaml,   DRDC,   https://loki.proddc.conveyor.internal/loki/api/v1/push"})
    void dcValuesSetOnlyEnv(String file, String dc, String remoteLoki) throws IOException {
        JsonNode values = YAML.readTree(CHART.resolve(file).toFile());
        assertThat(texts(fieldNames(values))).as("%s sets only env", file).containsExactly("env");

        JsonNode c = container(render(file));
        assertThat(envValue(c, "DC_LABEL")).isEqualTo(dc);
        assertThat(envValue(c, "LOKI_WRITE_URL_REMOTE")).isEqualTo(remoteLoki);
        assertThat(envValue(c, "LOKI_WRITE_URL_LOCAL")).startsWith("http");
        assertThat(envValue(c, "MIMIR_WRITE_URL")).endsWith("/api/v1/push");
        assertThat(envValue(c, "OTEL_SERVICE_NAME")).isEqualTo("caravan-daemonset");
    }

    @Test
    void theTwoDcsDifferOnlyInTheirEnvValues() throws IOException {
        List<JsonNode> prod = render("values-proddc.yaml");
        List<JsonNode> dr = render("values-drdc.yaml");
        Set<String> dcKeys = new HashSet<>();
        for (String f : List.of("values-proddc.yaml", "values-drdc.yaml")) {
            YAML.readTree(CHART.resolve(f).toFile()).path("env").fieldNames().forEachRemaining(dcKeys::add);
        }
        Consumer<List<JsonNode>> blank = docs -> {
            for (JsonNode e : container(docs).path("env")) {
                if (dcKeys.contains(e.path("name").asText())) {
                    ((ObjectNode) e).put("value", "<dc>");
                }
            }
        };
        blank.accept(prod);
        blank.accept(dr);
        assertThat(prod).isEqualTo(dr);
    }

    static JsonNode fieldNames(JsonNode n) {
        var arr = YAML.createArrayNode();
        n.fieldNames().forEachRemaining(arr::add);
        return arr;
    }

    @Test
    void probesPortToleratonsResourcesPriority() throws IOException {
        List<JsonNode> docs = render();
        JsonNode c = container(docs);
        assertThat(c.at("/ports/0/name").asText()).isEqualTo("http");
        assertThat(c.at("/ports/0/containerPort").asInt()).isEqualTo(12345);

        assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
        assertThat(c.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
        assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/readiness");
        assertThat(c.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
        assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
        int startupBudget = c.at("/startupProbe/failureThreshold").asInt() * c.at("/startupProbe/periodSeconds").asInt();
        assertThat(startupBudget).as("seconds a JVM may take to start").isGreaterThanOrEqualTo(120);

        JsonNode spec = pod(docs);
        assertThat(spec.path("tolerations").size()).isEqualTo(1);
        assertThat(spec.at("/tolerations/0").toString()).isEqualTo("{\"operator\":\"Exists\"}");
        assertThat(spec.path("priorityClassName").asText()).isEqualTo("platform-critical");
        assertThat(kind(docs, "PriorityClass")).isEmpty();

        JsonNode res = c.path("resources");
        assertThat(res.at("/requests/cpu").asText()).isEqualTo("100m");
        assertThat(res.at("/requests/memory").asText()).isEqualTo("384Mi");
        assertThat(res.at("/limits/cpu").asText()).isEqualTo("1000m");
        assertThat(res.at("/limits/memory").asText()).isEqualTo("1Gi");

        List<JsonNode> custom = render(List.of(), Map.of(
                "resources.limits.memory", "2Gi", "priorityClass.create", true));
        assertThat(container(custom).at("/resources/limits/memory").asText()).isEqualTo("2Gi");
        assertThat(container(custom).at("/resources/requests/cpu").asText()).isEqualTo("100m");
        JsonNode pc = one(custom, "PriorityClass");
        assertThat(pc.at("/metadata/name").asText()).isEqualTo("platform-critical");
        assertThat(pc.path("globalDefault").asBoolean()).isFalse();
    }

    @Test
    void imageDefaultsToTheAppVersion() throws IOException {
        String appVersion = YAML.readTree(CHART.resolve("Chart.yaml").toFile()).path("appVersion").asText();
        JsonNode c = container(render());
        assertThat(c.path("image").asText()).isEqualTo("caravan:" + appVersion);
        assertThat(c.path("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        JsonNode c2 = container(render(List.of(), Map.of(
                "image.repository", "registry.example/caravan", "image.tag", "1.2.3", "image.pullPolicy", "Always")));
        assertThat(c2.path("image").asText()).isEqualTo("registry.example/caravan:1.2.3");
        assertThat(c2.path("imagePullPolicy").asText()).isEqualTo("Always");
    }

    // ---------------------------------------------------------------- self metrics, service

    @Test
    void ownMetricsAreCollectedOnceByTheAnnotatedPodsPipeline() throws IOException {
        List<JsonNode> docs = render();
        JsonNode ann = one(docs, "DaemonSet").at("/spec/template/metadata/annotations");
        assertThat(ann.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(ann.path("prometheus.io/port").asText()).isEqualTo("12345");
        assertThat(ann.path("prometheus.io/path").asText()).isEqualTo("/actuator/prometheus");
        assertThat(envValue(container(docs), "CARAVAN_SELF_SCRAPE")).isEqualTo("false");

        JsonNode svc = one(docs, "Service");
        assertThat(svc.at("/spec/type").asText()).isEqualTo("ClusterIP");
        assertThat(svc.at("/spec/ports/0/name").asText()).isEqualTo("http");
        assertThat(svc.at("/spec/ports/0/port").asInt()).isEqualTo(12345);
        assertThat(svc.at("/spec/selector")).isEqualTo(one(docs, "DaemonSet").at("/spec/selector/matchLabels"));

        List<JsonNode> self = render(List.of(), Map.of("selfMetrics.viaPodAnnotations", false));
        assertThat(one(self, "DaemonSet").at("/spec/template/metadata/annotations").has("prometheus.io/scrape"))
                .isFalse();
        assertThat(envValue(container(self), "CARAVAN_SELF_SCRAPE")).isEqualTo("true");
    }

    // ---------------------------------------------------------------- RBAC

    /** Rules as "apiGroup|resource|verb" or "url|verb" strings. */
    static Set<String> grants(JsonNode role) {
        Set<String> out = new HashSet<>();
        for (JsonNode r : role.path("rules")) {
            for (JsonNode v : r.path("verbs")) {
                if (r.has("nonResourceURLs")) {
                    for (JsonNode u : r.path("nonResourceURLs")) {
                        out.add(u.asText() + "|" + v.asText());
                    }
                }
                for (JsonNode g : r.path("apiGroups")) {
                    for (JsonNode res : r.path("resources")) {
                        out.add(g.asText() + "|" + res.asText() + "|" + v.asText());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void rbacGrantsExactlyTheLeastVerbsThatWork() throws IOException {
        List<JsonNode> docs = render();
        JsonNode cr = one(docs, "ClusterRole");
        assertThat(grants(cr)).containsExactlyInAnyOrder(
                "|pods|get", "|pods|list", "|pods|watch",
                "|nodes|get", "|nodes|list", "|nodes|watch",
                "|nodes/metrics|get",
                "/metrics|get");
        JsonNode role = one(docs, "Role");
        assertThat(role.at("/metadata/namespace").asText()).isEqualTo("observability");
        // what the Lease election asks for (LeaseElectionTest checks it asks for nothing else): read, create, patch
        assertThat(grants(role)).containsExactlyInAnyOrder(
                "coordination.k8s.io|leases|get", "coordination.k8s.io|leases|create", "coordination.k8s.io|leases|patch");
        for (JsonNode r : List.of(cr, role)) {
            assertThat(r.path("rules").toString()).doesNotContain("*").doesNotContain("secrets");
        }

        String sa = one(docs, "ServiceAccount").at("/metadata/name").asText();
        assertThat(pod(docs).path("serviceAccountName").asText()).isEqualTo(sa);
        JsonNode crb = one(docs, "ClusterRoleBinding");
        assertThat(crb.at("/roleRef/name").asText()).isEqualTo(cr.at("/metadata/name").asText());
        assertThat(crb.at("/subjects/0/name").asText()).isEqualTo(sa);
        assertThat(crb.at("/subjects/0/namespace").asText()).isEqualTo("observability");
        JsonNode rb = one(docs, "RoleBinding");
        assertThat(rb.at("/roleRef/kind").asText()).isEqualTo("Role");
        assertThat(rb.at("/roleRef/name").asText()).isEqualTo(role.at("/metadata/name").asText());
        assertThat(rb.at("/subjects/0/name").asText()).isEqualTo(sa);
    }

    /** What each further discovery role reads, listed and watched only (SharedInformerTest: informers ask nothing else). */
    @Test
    void discoveryRolesGrantListAndWatchOnWhatEachRoleReads() throws IOException {
        Set<String> base = grants(one(render(), "ClusterRole"));
        Set<String> slices = grants(one(withDiscoveryRoles("[endpointslice]"), "ClusterRole"));
        assertThat(difference(slices, base)).containsExactlyInAnyOrder(
                "discovery.k8s.io|endpointslices|list", "discovery.k8s.io|endpointslices|watch",
                "|services|list", "|services|watch");
        Set<String> all = grants(one(withDiscoveryRoles("[service, endpoints, endpointslice, ingress]"), "ClusterRole"));
        assertThat(difference(all, base)).containsExactlyInAnyOrder(
                "|endpoints|list", "|endpoints|watch", "|services|list", "|services|watch",
                "discovery.k8s.io|endpointslices|list", "discovery.k8s.io|endpointslices|watch",
                "networking.k8s.io|ingresses|list", "networking.k8s.io|ingresses|watch");
        assertThatThrownBy(() -> withDiscoveryRoles("[secrets]"))
                .hasMessageContaining("rbac.discoveryRoles: unknown role \"secrets\"");
    }

    private static List<JsonNode> withDiscoveryRoles(String yamlList) throws IOException {
        return withValues("rbac:\n  discoveryRoles: " + yamlList + "\n");
    }

    private static List<JsonNode> withValues(String yaml) throws IOException {
        Path values = Files.createTempFile("values", ".yaml");
        try {
            Files.writeString(values, yaml);
            return render(List.of(values), Map.of());
        } finally {
            Files.delete(values);
        }
    }

    /** monitors.enabled: the route switched on, list and watch on the monitors and what their jobs discover. */
    @Test
    void monitorsAreOffByDefaultAndGrantListAndWatchOnWhatTheirJobsRead() throws IOException {
        List<JsonNode> off = render();
        assertThat(env(container(off))).doesNotContainKey("PROMETHEUS_OPERATOR_MONITORS");
        List<JsonNode> on = withValues("monitors:\n  enabled: true\n  selector: team=shop\n  namespaces: [shop]\n");
        assertThat(envValue(container(on), "PROMETHEUS_OPERATOR_MONITORS")).isEqualTo("true");
        assertThat(envValue(container(on), "MONITOR_SELECTOR")).isEqualTo("team=shop");
        assertThat(envValue(container(on), "MONITOR_NAMESPACES")).isEqualTo("shop");
        assertThat(difference(grants(one(on, "ClusterRole")), grants(one(off, "ClusterRole")))).containsExactlyInAnyOrder(
                "monitoring.coreos.com|servicemonitors|list", "monitoring.coreos.com|servicemonitors|watch",
                "monitoring.coreos.com|podmonitors|list", "monitoring.coreos.com|podmonitors|watch",
                "monitoring.coreos.com|probes|list", "monitoring.coreos.com|probes|watch",
                "networking.k8s.io|ingresses|list", "networking.k8s.io|ingresses|watch",
                "discovery.k8s.io|endpointslices|list", "discovery.k8s.io|endpointslices|watch",
                "|services|list", "|services|watch");
    }

    /** monitors.readSecrets: get (only) on secrets and configmaps, where the monitors are read; nothing by default. */
    @Test
    void monitorSecretsAreReadOnlyWhenTheChartIsToldTo() throws IOException {
        assertThat(withValues("monitors:\n  enabled: true\n").stream().filter(d -> d.path("kind").asText().endsWith("Role"))
                .flatMap(r -> grants(r).stream())).noneMatch(g -> g.contains("secrets") || g.contains("configmaps"));
        List<JsonNode> all = withValues("monitors:\n  enabled: true\n  readSecrets: true\n");
        assertThat(grants(one(all, "ClusterRole"))).contains("|secrets|get", "|configmaps|get")
                .noneMatch(g -> g.startsWith("|secrets|") && !g.endsWith("|get"));
        assertThat(envValue(container(all), "MONITOR_READ_SECRETS")).isEqualTo("true");
        List<JsonNode> some = withValues("monitors:\n  enabled: true\n  readSecrets: true\n  namespaces: [shop]\n");
        assertThat(kind(some, "ClusterRole").stream().filter(r -> r.at("/metadata/name").asText().equals("caravan"))
                .flatMap(r -> grants(r).stream())).noneMatch(g -> g.contains("secrets"));
        assertThat(kind(some, "RoleBinding").stream().filter(b -> b.at("/roleRef/name").asText().endsWith("-monitor-secrets"))
                .map(b -> b.at("/metadata/namespace").asText())).containsExactly("shop");
    }

    /** events.enabled: the route switched on, list and watch on events where it reads them, and nothing by default. */
    @Test
    void eventsAreOffByDefaultAndGrantListAndWatchWhereTheyAreRead() throws IOException {
        List<JsonNode> off = render();
        assertThat(env(container(off))).doesNotContainKey("K8S_EVENTS_ENABLED");
        assertThat(grants(one(off, "ClusterRole"))).noneMatch(g -> g.contains("|events|"));

        List<JsonNode> all = withValues("events:\n  enabled: true\n");
        assertThat(envValue(container(all), "K8S_EVENTS_ENABLED")).isEqualTo("true");
        assertThat(envValue(container(all), "K8S_EVENTS_LOG_FORMAT")).isEqualTo("logfmt");
        assertThat(difference(grants(one(all, "ClusterRole")), grants(one(off, "ClusterRole"))))
                .containsExactlyInAnyOrder("|events|list", "|events|watch");

        List<JsonNode> some = withValues("events:\n  enabled: true\n  namespaces: [shop, ops]\n  logFormat: json\n");
        assertThat(envValue(container(some), "K8S_EVENTS_NAMESPACES")).isEqualTo("shop,ops");
        assertThat(kind(some, "ClusterRole").stream().filter(r -> r.at("/metadata/name").asText().equals("caravan"))
                .flatMap(r -> grants(r).stream())).isNotEmpty().noneMatch(g -> g.contains("|events|"));
        List<JsonNode> eventRoles = kind(some, "ClusterRole").stream()
                .filter(r -> r.at("/metadata/name").asText().endsWith("-events")).toList();
        assertThat(eventRoles).hasSize(1);
        assertThat(grants(eventRoles.get(0))).containsExactlyInAnyOrder("|events|list", "|events|watch");
        assertThat(kind(some, "RoleBinding").stream().filter(b -> b.at("/roleRef/name").asText().endsWith("-events"))
                .map(b -> b.at("/metadata/namespace").asText())).containsExactlyInAnyOrder("shop", "ops");
        assertThatThrownBy(() -> withValues("events:\n  enabled: true\n  logFormat: yaml\n"))
                .hasMessageContaining("events.logFormat must be logfmt or json");
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.removeAll(b);
        return out;
    }

    @Test
    void podsLogIsGrantedOnlyInApiMode() throws IOException {
        assertThat(grants(one(render(), "ClusterRole"))).noneMatch(g -> g.contains("pods/log"));
        Set<String> api = grants(one(render(List.of(), Map.of("podLogs.mode", "api")), "ClusterRole"));
        assertThat(api).contains("|pods/log|get").noneMatch(g -> g.startsWith("|pods/log|") && !g.endsWith("|get"));
        assertThatThrownBy(() -> render(List.of(), Map.of("podLogs.mode", "sideways")))
                .hasMessageContaining("podLogs.mode must be file or api");
    }

    @Test
    void networkPolicyIsOptionalAndAdmitsTheAgents() throws IOException {
        assertThat(kind(render(), "NetworkPolicy")).isEmpty();
        List<JsonNode> docs = render(List.of(), Map.of("networkPolicy.enabled", true));
        JsonNode np = one(docs, "NetworkPolicy");
        assertThat(np.at("/spec/podSelector/matchLabels"))
                .isEqualTo(one(docs, "DaemonSet").at("/spec/selector/matchLabels"));
        assertThat(np.at("/spec/ingress/0/ports/0/port").asText()).isEqualTo("http");
        assertThat(np.at("/spec/ingress/0/from/0/podSelector/matchLabels"))
                .isEqualTo(one(docs, "DaemonSet").at("/spec/selector/matchLabels"));
    }
}
