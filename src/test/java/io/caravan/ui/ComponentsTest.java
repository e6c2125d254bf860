package io.caravan.ui;

import io.caravan.component.ComponentStatus;
import io.caravan.component.LabelTracing;
import io.caravan.model.Labels;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The UI reaches discovery and relabel steps through the component contract only. */
class ComponentsTest {

    @TempDir
    Path dir;

    @Test
    void statusesAndTheRelabelDebuggerComeThroughTheContract() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                - source_labels: [__address__]
                  regex: "b:.*"
                  action: drop
                """);
        Path targets = dir.resolve("targets.yaml");
        Files.writeString(targets, "- targets: [c:3]\n");
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("static-targets:demo?addresses=a:1,b:2&file=" + targets + "&refreshInterval=50ms")
                            .to("relabel:demo?rules=" + rules)
                            .to("mock:out");
                }
            });
            camel.start();
            Components components = new Components(camel);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                LabelTracing t = components.find("relabel", LabelTracing.class);
                return t != null && t.lastInput("demo") != null && t.lastInput("demo").size() == 3;
            });

            ComponentStatus source = components.statuses("static-targets").get(0);
            assertThat(source.name()).isEqualTo("demo");
            assertThat(source.health()).isEqualTo(ComponentStatus.Health.UP);
            assertThat(source.details()).containsEntry("targets", 3);
            ComponentStatus step = components.statuses("relabel").get(0);
            assertThat(step.details()).containsEntry("ruleCount", 1).containsEntry("lastInputCount", 3);

            LabelTracing tracing = components.find("relabel", LabelTracing.class);
            List<LabelTracing.Step> trace = tracing.trace("demo", Labels.fromMap(Map.of("__address__", "b:2")));
            assertThat(trace).singleElement().satisfies(s -> {
                assertThat(s.outcome()).isEqualTo("DROPPED");
                assertThat(s.after()).isNull();
            });
            assertThat(tracing.trace("nosuch", Labels.fromMap(Map.of()))).isNull();

            var health = new ComponentHealth(components, "static-targets").health();
            assertThat(health.getStatus()).isEqualTo(org.springframework.boot.actuate.health.Status.UP);
            assertThat(health.getDetails()).containsEntry("endpoints", 1).containsKey("demo");

            Files.writeString(targets, "- targets: [c:3\n"); // broken: the last good list stays, the status says why
            await().atMost(Duration.ofSeconds(10)).until(() -> components.statuses("static-targets").get(0).lastError() != null);
            ComponentStatus stale = components.statuses("static-targets").get(0);
            assertThat(stale.health()).isEqualTo(ComponentStatus.Health.DEGRADED);
            assertThat(stale.lastError()).contains(targets.toString()).contains("previous targets stay");
            assertThat(stale.details()).containsEntry("targets", 3);
            health = new ComponentHealth(components, "static-targets", "relabel").health();
            assertThat(health.getStatus()).as("a degraded endpoint: UNKNOWN, never DOWN").isEqualTo(org.springframework.boot.actuate.health.Status.UNKNOWN);
            assertThat(health.getDetails()).as("names repeat across the two components: keyed by URI").containsKey(stale.uri());
        }
    }
}
