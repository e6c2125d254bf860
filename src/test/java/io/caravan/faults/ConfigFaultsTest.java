package io.caravan.faults;

import io.caravan.CaravanApplication;
import io.caravan.ValidateCommand;
import io.caravan.testing.FakeTarget;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad configuration fails `validate` (one line per error: file:line, route, endpoint, the reason and what to do;
 * the count of errors; the good files beside it pass) and fails start-up with the same words, never later.
 * Already covered: ValidateCommandTest (a bad option, a syntax error, the unknown sink in validate, the name of a
 * missing placeholder), RelabelRuleValidationTest and RelabelLoadingTest (each rule error in isolation).
 */
@Tag("fault")
class ConfigFaultsTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** validate DIR with a healthy route file beside the given ones; its exit code. */
    private int validate(Path routes) throws Exception {
        Files.writeString(routes.resolve("good.yaml"), route("good", "static-targets:good?addresses=127.0.0.1:1", "log:good"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return ValidateCommand.run(new String[]{routes.toString()}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<String> errors() {
        return Arrays.stream(err.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> !l.isBlank()).toList();
    }

    private static String route(String id, String from, String... to) {
        StringBuilder sb = new StringBuilder("- route:\n    id: " + id + "\n    from:\n      uri: \"" + from + "\"\n      steps:\n");
        for (String t : to) {
            sb.append("        - to: \"").append(t).append("\"\n");
        }
        return sb.toString();
    }

    private Path routes() throws Exception {
        return Files.createDirectories(dir.resolve("routes"));
    }

    /** Loads one route file into a plain Camel context and starts it, as the agent does at start-up. */
    private static void startCamel(Path routeFile) throws Exception {
        try (CamelContext ctx = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(ctx).loadRoutes(PluginHelper.getResourceLoader(ctx).resolveResource("file:" + routeFile));
            ctx.start();
        }
    }

    @Test
    void anInvalidRegexNamesTheRouteFileTheRulesFileTheRuleAndItsLine() throws Exception {
        Path rules = dir.resolve("pods.yaml");
        Files.writeString(rules, """
                - source_labels: [__meta_kubernetes_namespace]
                  target_label: namespace
                - source_labels: [__meta_kubernetes_pod_name]
                  regex: "web-(\\\\d+"
                  action: keep
                """);
        Path routes = routes();
        Files.writeString(routes.resolve("pods.yaml"), route("pods", "static-targets:p?addresses=127.0.0.1:1", "relabel:pods?rules=" + rules, "log:x"));
        assertThat(validate(routes)).isEqualTo(1);
        assertThat(errors()).hasSize(2).last().asString().isEqualTo("1 error(s) in 2 route file(s)");
        assertThat(errors().get(0)).startsWith("file:" + routes.resolve("pods.yaml") + ":6: route pods, endpoint relabel://pods")
                .contains(rules + ": rule 2 (line 4): invalid regex \"web-(\\d+\"").contains("missing closing )").contains("RE2 syntax");
        assertThatThrownBy(() -> startCamel(routes.resolve("pods.yaml"))).hasStackTraceContaining(rules + ": rule 2 (line 4): invalid regex");
    }

    @Test
    void labelNamesPrometheusAndLokiForbidAreNamedWithTheirPlaceAndAFix() throws Exception {
        Path rules = dir.resolve("map.yaml");
        Files.writeString(rules, """
                - action: labelmap
                  regex: "__meta_kubernetes_pod_label_(.+)"
                - action: labelmap
                  regex: "__meta_kubernetes_pod_annotation_(.+)"
                  replacement: ""
                """);
        Path routes = routes();
        Files.writeString(routes.resolve("map.yaml"), route("map", "static-targets:m?addresses=127.0.0.1:1", "relabel:map?rules=" + rules, "log:x"));
        Files.writeString(routes.resolve("audit.yaml"), route("audit", "tail:audit?path=/var/log/audit.log&labels=app.kubernetes.io/name=audit,job=audit", "log:x"));
        assertThat(validate(routes)).isEqualTo(1);
        assertThat(errors()).hasSize(3).last().asString().isEqualTo("2 error(s) in 3 route file(s)");
        assertThat(errors()).anySatisfy(e -> assertThat(e).startsWith("file:" + routes.resolve("map.yaml") + ":6: route map")
                .contains(rules + ": rule 2 (line 3): \"\" is invalid 'replacement' for labelmap action"));
        assertThat(errors()).anySatisfy(e -> assertThat(e).startsWith("file:" + routes.resolve("audit.yaml") + ":4: route audit")
                .contains("'app.kubernetes.io/name' is not a valid label name").contains("write e.g. 'app_kubernetes_io_name'"));
    }

    @Test
    void anEnvPlaceholderWithNoValueAndNoDefaultSaysWhereAndHowToSetIt() throws Exception {
        // That the name is reported: ValidateCommandTest.aMissingPlaceholderWithoutDefaultIsReported
        Path routes = routes();
        Files.writeString(routes.resolve("env.yaml"), route("needs-env",
                "static-targets:e?addresses={{CARAVAN_FAULTS_SURELY_UNSET}}", "log:x"));
        assertThat(validate(routes)).isEqualTo(1);
        assertThat(errors()).hasSize(2).last().asString().isEqualTo("1 error(s) in 2 route file(s)");
        assertThat(errors().get(0)).startsWith("file:" + routes.resolve("env.yaml") + ":4: route needs-env")
                .contains("CARAVAN_FAULTS_SURELY_UNSET")
                .endsWith("set the environment variable CARAVAN_FAULTS_SURELY_UNSET, or give the placeholder a default: {{CARAVAN_FAULTS_SURELY_UNSET:default}}");
        assertThatThrownBy(() -> startCamel(routes.resolve("env.yaml"))).hasStackTraceContaining("CARAVAN_FAULTS_SURELY_UNSET");
    }

    /** validate's side: ValidateCommandTest.reportsEachBrokenRouteWithFileLineAndReason. Here: the agent's start-up. */
    @Test
    void aRouteToAnUnknownSinkFailsTheAgentsStartUpNamingTheRouteAndTheSink() throws Exception {
        Path routes = routes();
        try (FakeTarget target = new FakeTarget("/metrics", n -> "a 1\n")) {
            Files.writeString(routes.resolve("typo.yaml"), route("typo", "static-targets:t?addresses=" + target.address(),
                    "scrape:typo?interval=1s&timeout=500ms") + route("typo-samples", "scrape:typo", "direct:mimirr"));
            assertThatThrownBy(() -> agent("classpath:routes/sinks.yaml,file:" + routes.resolve("typo.yaml")).close())
                    .hasStackTraceContaining("file:" + routes.resolve("typo.yaml") + ":12: route typo-samples sends to direct:mimirr but no route reads it")
                    .hasStackTraceContaining("check the sink name against sinks.yaml");
        }
        // the same file with the right sink starts; its target refuses connections, which the agent counts where
        // an operator looks: /actuator/prometheus
        int closed = freePort();
        Files.writeString(routes.resolve("typo.yaml"), route("fixed", "static-targets:t?addresses=127.0.0.1:" + closed,
                "scrape:fixed?interval=1s&timeout=500ms") + route("fixed-samples", "scrape:fixed", "direct:mimir"));
        int port = freePort();
        while (port == closed) { // a port just let go may be handed out again: the agent would answer its own scrapes
            port = freePort();
        }
        try (ConfigurableApplicationContext ok = agent("classpath:routes/sinks.yaml,file:" + routes.resolve("typo.yaml"), port)) {
            assertThat(ok.isRunning()).isTrue();
            HttpClient http = HttpClient.newHttpClient();
            java.util.regex.Pattern metric = java.util.regex.Pattern.compile(
                    "caravan_scrape_failures_total\\{[^}]*job=\"fixed\",reason=\"connection\"} [1-9]");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String page = "";
            while (!metric.matcher(page).find() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            }
            assertThat(page).containsPattern(metric);
            assertThat(ok.getBean(org.apache.camel.CamelContext.class).getComponent("scrape", io.caravan.scrape.ScrapeComponent.class)
                    .jobs().get(0).targets().get(0).lastError()).startsWith("cannot connect to 127.0.0.1:").contains("check that the target runs");
        }
    }

    private ConfigurableApplicationContext agent(String routes) throws Exception {
        return agent(routes, freePort());
    }

    private ConfigurableApplicationContext agent(String routes, int port) throws Exception {
        // command-line arguments, which win over application.yaml (default properties would not)
        return new SpringApplicationBuilder(CaravanApplication.class).run(
                "--camel.main.routes-include-pattern=" + routes,
                "--CARAVAN_HTTP_PORT=" + port,
                "--CARAVAN_DATA_DIR=" + dir.resolve("data"),
                "--NODE_NAME=faults-node");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
