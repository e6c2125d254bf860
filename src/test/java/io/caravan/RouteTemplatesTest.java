package io.caravan;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipelines as templated routes: what they create, what the model shows of them, and how parameters resolve. */
class RouteTemplatesTest {

    @Test
    void theShippedPipelinesCreateExactlyTheEndpointsTheWrittenRoutesDid(@TempDir Path scratch) throws Exception {
        try (ConfigurableApplicationContext agent = ValidateCommand.agentWithoutPipelines(scratch)) {
            CamelContext camel = agent.getBean(CamelContext.class);
            load(camel, RouteSources.includePattern(Map.of()).split(","));
            assertThat(describe(camel)).isEqualTo(expected());
        }
    }

    @Test
    void aTemplatedRouteShowsItsPipelineFileAndFilledUrisInTheModel(@TempDir Path scratch) throws Exception {
        try (ConfigurableApplicationContext agent = ValidateCommand.agentWithoutPipelines(scratch)) {
            ModelCamelContext camel = (ModelCamelContext) agent.getBean(CamelContext.class);
            load(camel, RouteSources.includePattern(Map.of()).split(","));
            // what the UI's graph and the unknown-sink check read
            RouteDefinition kubelet = camel.getRouteDefinition("kubelet");
            assertThat(kubelet.getResource().getLocation()).isEqualTo("classpath:routes/kubelet.yaml");
            assertThat(kubelet.getInput().getEndpointUri()).isEqualTo("k8s-discovery:node?nodeName={{NODE_NAME:}}");
            assertThat(sends(kubelet)).containsExactly(
                    "relabel:kubelet?rules={{CARAVAN_RULES_LOCATION:classpath:rules}}/kubelet.yaml",
                    "scrape:kubelet?interval={{SCRAPE_INTERVAL:30s}}&timeout={{SCRAPE_TIMEOUT:10s}}&{{caravan.scrape.kubernetes-auth}}");
            RouteDefinition samples = camel.getRouteDefinition("kubelet-samples");
            assertThat(samples.getResource().getLocation()).isEqualTo("classpath:routes/kubelet.yaml");
            assertThat(samples.getInput().getEndpointUri()).isEqualTo("scrape:kubelet");
            assertThat(sends(samples)).containsExactly("direct:mimir");
        }
    }

    @Test
    void aTemplateParameterWinsOverAPropertyOfTheSameNameAndOtherPlaceholdersAreProperties(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("templates.yaml"), """
                - routeTemplate:
                    id: probe
                    parameters:
                      - name: name
                      - name: port
                        defaultValue: "{{PROBE_PORT:9000}}"
                    route:
                      from:
                        uri: "static-targets:{{name}}?addresses=host:{{port}}"
                        steps:
                          - to: "log:{{name}}-{{level}}"
                """);
        Files.writeString(dir.resolve("probe.yaml"), """
                - templatedRoute:
                    routeTemplateRef: probe
                    routeId: probe
                    parameters:
                      - {name: name, value: probe-a}
                """);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Properties properties = new Properties();
            properties.setProperty("name", "from-a-property"); // loses to the parameter
            properties.setProperty("level", "warn");           // no parameter of that name: the property
            properties.setProperty("PROBE_PORT", "9115");      // a parameter's default may be a placeholder
            camel.getPropertiesComponent().setInitialProperties(properties);
            camel.getRegistry().bind("templatedRouteModel", new TemplatedRouteModel());
            camel.setAutoStartup(false);
            camel.start();
            load(camel, "file:" + dir.resolve("probe.yaml"), "file:" + dir.resolve("templates.yaml"));

            Route route = camel.getRoute("probe");
            assertThat(route.getEndpoint().getEndpointUri()).isEqualTo("static-targets://probe-a?addresses=host:9115");
            assertThat(camel.hasEndpoint("log://probe-a-warn")).isNotNull();
            RouteDefinition model = camel.getRouteDefinition("probe");
            assertThat(model.getResource().getLocation()).isEqualTo("file:" + dir.resolve("probe.yaml"));
            assertThat(sends(model)).containsExactly("log:probe-a-{{level}}");
        }
    }

    @Test
    void aTemplatesFileInTheRoutesDirectoryReplacesTheBuiltInOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(RouteSources.TEMPLATES), "- routeTemplate: {}\n");
        String pattern = RouteSources.includePattern(Map.of("CARAVAN_ROUTES_DIR", dir.toString()));
        assertThat(pattern.split(",")[0]).isEqualTo("file:" + dir.resolve(RouteSources.TEMPLATES));
        assertThat(pattern).doesNotContain(RouteSources.BUILT_IN_TEMPLATES);
    }

    private static void load(CamelContext camel, String... locations) throws Exception {
        List<Resource> resources = new ArrayList<>();
        for (String location : locations) {
            resources.add(PluginHelper.getResourceLoader(camel).resolveResource(location));
        }
        PluginHelper.getRoutesLoader(camel).loadRoutes(resources);
    }

    private static List<String> sends(RouteDefinition route) {
        return ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), SendDefinition.class).stream()
                .map(SendDefinition::getEndpointUri).toList();
    }

    /** Each route as the golden file lists it: input, autoStartup, file, then each endpoint it sends to. */
    private static String describe(CamelContext camel) {
        ModelCamelContext model = (ModelCamelContext) camel;
        Map<String, String> routes = new TreeMap<>();
        for (Route route : camel.getRoutes()) {
            RouteDefinition rd = model.getRouteDefinition(route.getRouteId());
            String autoStartup = rd.getAutoStartup() == null ? "true" : camel.resolvePropertyPlaceholders(rd.getAutoStartup());
            StringBuilder b = new StringBuilder(route.getRouteId()).append(" from ").append(route.getEndpoint().getEndpointUri())
                    .append(" autoStartup=").append(autoStartup)
                    .append(" src=").append(new File(rd.getResource().getLocation()).getName());
            for (SendDefinition<?> send : ProcessorDefinitionHelper.filterTypeInOutputs(rd.getOutputs(), SendDefinition.class)) {
                b.append("\n    to ").append(camel.getEndpoint(camel.resolvePropertyPlaceholders(send.getEndpointUri())).getEndpointUri());
            }
            routes.put(route.getRouteId(), b.toString());
        }
        return String.join("\n", routes.values());
    }

    private static String expected() throws Exception {
        try (InputStream in = RouteTemplatesTest.class.getResourceAsStream("/shipped-routes-endpoints.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#")).reduce((a, b) -> a + "\n" + b).orElseThrow();
        }
    }
}
