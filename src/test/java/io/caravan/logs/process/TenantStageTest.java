package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * stage.tenant, one table: the stage file, the entry's labels and line before, and the tenant after (the
 * __tenant_id__ label; null when unset). Cases are the examples of Alloy's stage.tenant documentation and its stage
 * tests, in our words, and the edge cases they state; the refusals are in StageArgsTest.
 */
class TenantStageTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // the documented examples
                arguments("a fixed value", "- tenant: {value: team-a}", Labels.EMPTY, "hello world", "team-a"),
                arguments("from a JSON field", """
                        - json: {expressions: {customer_id: ''}}
                        - tenant: {source: customer_id}""", Labels.EMPTY, "{\"customer_id\": \"acme\", \"msg\": \"hi\"}", "acme"),
                arguments("from a label an earlier stage set", """
                        - json: {expressions: {k8s_namespace: ''}}
                        - labels: {values: {namespace: k8s_namespace}}
                        - tenant: {label: namespace}""", Labels.EMPTY, "{\"k8s_namespace\": \"payments\"}", "payments"),
                // Alloy's stage tests
                arguments("a source missing from extracted sets nothing", "- tenant: {source: tenant_id}", Labels.EMPTY, "hello world", null),
                arguments("a source missing from extracted keeps the tenant there was", "- tenant: {source: tenant_id}",
                        Labels.of(LogEntry.TENANT_LABEL, "foo"), "hello world", "foo"),
                arguments("a source in extracted (a label at the start is there too)", "- tenant: {source: tenant_id}",
                        Labels.of("tenant_id", "bar"), "hello world", "bar"),
                arguments("a label", "- tenant: {label: tenant_id}", Labels.of("tenant_id", "bar"), "hello world", "bar"),
                arguments("a source overrides the tenant there was", """
                        - json: {expressions: {tenant_id: ''}}
                        - tenant: {source: tenant_id}""", Labels.of(LogEntry.TENANT_LABEL, "foo"), "{\"tenant_id\": \"bar\"}", "bar"),
                arguments("a source that is not a string, number or boolean sets nothing", """
                        - json: {expressions: {customer_id: ''}}
                        - tenant: {source: customer_id}""", Labels.EMPTY, "{\"customer_id\": null, \"level\": \"WARN\"}", null),
                arguments("a fixed value overrides the tenant there was", "- tenant: {value: bar}",
                        Labels.of(LogEntry.TENANT_LABEL, "foo"), "hello world", "bar"),
                // edge cases
                arguments("a missing label sets nothing", "- tenant: {label: namespace}", Labels.of("app", "api"), "x", null),
                arguments("an empty extracted value sets nothing", """
                        - json: {expressions: {customer_id: ''}}
                        - tenant: {source: customer_id}""", Labels.EMPTY, "{\"customer_id\": \"\"}", null),
                arguments("a number is written as Go writes it", """
                        - json: {expressions: {org: ''}}
                        - tenant: {source: org}""", Labels.EMPTY, "{\"org\": 42}", "42")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tenant(String name, String yaml, Labels labels, String line, String wantTenant) {
        List<LogEntry> out = new StageRunner(yaml).run(new LogEntry(labels, 1_000L, line));
        assertThat(out).hasSize(1);
        LogEntry e = out.get(0);
        assertThat(e.labels().get(LogEntry.TENANT_LABEL)).isEqualTo(wantTenant);
        if (!yaml.contains("\n")) {
            assertThat(e.labels().toBuilder().del(LogEntry.TENANT_LABEL).build()).as("the stage changes no other label")
                    .isEqualTo(labels.toBuilder().del(LogEntry.TENANT_LABEL).build());
        }
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.timestampNanos()).isEqualTo(1_000L);
    }
}
