package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad stage files fail at load with file, stage number and name, and the reason; good ones run in a route. */
class PipelineConfigTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "- json: {expressions: {a: 'a[', b: b}}|stage 1 (json): could not compile JMESPath",
            "- static_labels: {values: {ok: x}}\\n- drop: {}|stage 2 (drop): drop needs at least one of",
            "- drop: {value: x, expression: y, source: s}|stage 1 (drop): value and expression cannot both be set",
            "- drop: {value: x}|stage 1 (drop): drop needs at least one of",
            "- drop: {value: x, longer_than: 10}|stage 1 (drop): value needs a source",
            "- drop: {expression: '(['}|stage 1 (drop): 'expression' is not a valid RE2",
            "- drop: {expression: 'x', sourec: a}|stage 1 (drop): unknown argument 'sourec'",
            "- labels: {values: {'bad-name': ''}}|stage 1 (labels): invalid label name 'bad-name'",
            "- nosuch: {}|stage 1 (nosuch): unknown stage 'nosuch'",
            "- timestamp: {source: t, format: RFC3339, location: Mars/Base}|stage 1 (timestamp): invalid location",
            "- timestamp: {source: t, format: RFC3339, action_on_failure: panic}|stage 1 (timestamp): invalid action_on_failure",
            "- limit: {rate: 0, burst: 1}|stage 1 (limit): rate and burst",
            "- limit: {rate: 1, burst: 1, by_label_name: x}|stage 1 (limit): when limiting by_label_name, drop must be true",
            "- match: {selector: '{a=\"b\"}'}|stage 1 (match): a match stage with action keep needs nested 'stages'",
            "- match: {selector: '{a=\"\"}', action: drop}|stage 1 (match): the selector matches every stream",
            "- match: {selector: 'a=b', action: drop}|stage 1 (match): invalid selector at position 1",
            "- match: {selector: '{a=\"b\"}', stages: [{json: {expressions: {}}}]}|stage 1 (match) > stage 1 (json): 'expressions' is empty",
            "- json: {expressions: {a: a}}\\n  drop: {expression: x}|stage 1: each stage is a mapping with exactly one block",
            "json: {}|expected a YAML list of stages",
    })
    void errors_name_file_stage_and_reason(String yaml, String expected) {
        assertThatThrownBy(() -> Pipeline.parse(yaml.replace("\\n", "\n"), "pipelines/audit.yaml", "t", new SimpleMeterRegistry()))
                .isInstanceOf(PipelineConfigException.class)
                .hasMessageStartingWith("pipelines/audit.yaml: ")
                .hasMessageContaining(expected);
    }

    @Test
    void component_loads_the_file_with_placeholders_and_runs_in_a_route(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stages.yaml");
        Files.writeString(file, "- static_labels: {values: {dc: '{{DC_LABEL}}'}}\n- drop: {expression: '^$'}\n");
        try (CamelContext ctx = new DefaultCamelContext()) {
            Properties p = new Properties();
            p.setProperty("DC_LABEL", "east");
            ctx.getPropertiesComponent().setInitialProperties(p);
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").to("loki-process:test?stages=" + file);
                }
            });
            ctx.start();
            ProducerTemplate t = ctx.createProducerTemplate();
            @SuppressWarnings("unchecked")
            List<LogEntry> out = t.requestBody("direct:in", List.of(new LogEntry(Labels.of("a", "b"), 1, "x"),
                    new LogEntry(Labels.of("a", "b"), 2, "")), List.class);
            assertThat(out).hasSize(1);
            assertThat(out.get(0).labels()).isEqualTo(Labels.of("a", "b", "dc", "east"));
        }
    }

    @Test
    void a_bad_file_fails_the_route_at_start(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "- drop: {expresion: x}\n");
        try (CamelContext ctx = new DefaultCamelContext()) {
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").to("loki-process:bad?stages=" + file);
                }
            });
            assertThatThrownBy(ctx::start).hasStackTraceContaining(file + ": stage 1 (drop): unknown argument 'expresion'");
        }
    }
}
