package io.caravan.logs.process;

import io.caravan.component.ComponentStatus;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loki-process component's status per endpoint, and the stage names README lists. */
class ProcessComponentTest {

    @Test
    void each_endpoint_reports_its_file_its_stages_and_what_failed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stages.yaml");
        Files.writeString(file, "- static_labels: {values: {a: b}}\n- drop: {expression: '^$'}\n");
        try (CamelContext ctx = new DefaultCamelContext()) {
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").to("loki-process:pods?stages=" + file);
                }
            });
            ctx.start();
            ProcessComponent component = ctx.getComponent("loki-process", ProcessComponent.class);
            ComponentStatus s = component.statuses().get(0);
            assertThat(component.statuses()).hasSize(1);
            assertThat(s.component()).isEqualTo("loki-process");
            assertThat(s.name()).isEqualTo("pods");
            assertThat(s.uri()).startsWith("loki-process://pods");
            assertThat(s.health()).isEqualTo(ComponentStatus.Health.UP);
            assertThat(s.lastError()).isNull();
            assertThat(s.details()).containsEntry("stagesFile", file.toString()).containsEntry("stageCount", 2)
                    .containsEntry("stages", List.of("static_labels", "drop"));

            ProducerTemplate t = ctx.createProducerTemplate();
            assertThat(t.requestBody("direct:in", List.of(new LogEntry(Labels.EMPTY, 1, "x")), List.class)).hasSize(1);
            assertThatThrownBy(() -> t.requestBody("direct:in", "not entries")).hasStackTraceContaining("InvalidPayloadException");
            ComponentStatus after = component.statuses().get(0);
            assertThat(after.lastError()).contains("java.util.List");
            assertThat(after.lastErrorAt()).isNotNull();
            assertThat(after.health()).as("the pipeline still runs").isEqualTo(ComponentStatus.Health.UP);
        }
    }

    @Test
    void a_file_that_does_not_load_is_reported_down_with_the_reason(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "- drop: {expresion: x}\n");
        try (CamelContext ctx = new DefaultCamelContext()) {
            ctx.start();
            assertThatThrownBy(() -> ctx.getEndpoint("loki-process:bad?stages=" + file))
                    .hasStackTraceContaining("unknown argument 'expresion'");
            ComponentStatus s = ctx.getComponent("loki-process", ProcessComponent.class).statuses().get(0);
            assertThat(s.health()).isEqualTo(ComponentStatus.Health.DOWN);
            assertThat(s.lastError()).isEqualTo(file + ": stage 1 (drop): unknown argument 'expresion' (line 1, column 10); "
                    + "drop takes source, separator, expression, value, older_than, longer_than, drop_counter_reason");
        }
    }

    @Test
    void readme_lists_the_stages_there_are() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        // the stage table: one row per stage, in StageType's order, naming every argument the stage takes
        Matcher row = Pattern.compile("(?m)^\\| `([a-z_]+)` \\| ([^|]*(?:\\\\\\|[^|]*)*) \\|").matcher(readme);
        List<String> listed = new java.util.ArrayList<>();
        while (row.find()) {
            StageType type = StageType.named(row.group(1));
            if (type == null) {
                continue; // another table's row
            }
            listed.add(row.group(1));
            for (String argument : type.argumentNames()) {
                assertThat(row.group(2)).as("README's row for " + row.group(1) + " names its argument " + argument)
                        .contains("`" + argument + "`");
            }
            if (type.argumentNames().isEmpty()) {
                assertThat(row.group(2)).as("README's row for " + row.group(1)).isEqualTo("none");
            }
        }
        assertThat(listed).containsExactlyElementsOf(Arrays.stream(StageType.values()).map(StageType::blockName).toList());
    }
}
