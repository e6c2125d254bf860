package io.caravan.relabel;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.caravan.model.Labels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The table-driven tests: relabel/cases.yaml (behaviour, after Prometheus' relabel_test.go) and
 * relabel/invalid.yaml (configurations Prometheus refuses, RE2 rejections). Each behaviour case runs through
 * both entry points, {@link RelabelRules#apply} and {@link RelabelRules#process}, which must agree.
 */
class RelabelCasesTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    static Stream<Arguments> behaviour() throws IOException {
        return load("/relabel/cases.yaml").stream().map(c -> Arguments.of(c.get("name"), c));
    }

    static Stream<Arguments> invalid() throws IOException {
        return load("/relabel/invalid.yaml").stream().map(c -> Arguments.of(c.get("name"), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("behaviour")
    @SuppressWarnings("unchecked")
    void relabelsLikePrometheus(String name, Map<String, Object> c) {
        RelabelRules rules = RelabelRules.parse((String) c.get("rules"), "cases.yaml", scheme(c));
        Labels input = Labels.fromMap((Map<String, String>) c.get("input"));
        Labels viaApply = rules.apply(input);

        Labels.Builder b = input.toBuilder();
        boolean kept = rules.process(b);

        if (Boolean.TRUE.equals(c.get("drop"))) {
            assertThat(viaApply).as("apply").isNull();
            assertThat(kept).as("process").isFalse();
        } else {
            Labels expected = Labels.fromMap((Map<String, String>) c.get("output"));
            assertThat(viaApply).as("apply").isEqualTo(expected);
            assertThat(kept).as("process").isTrue();
            assertThat(b.build()).as("process").isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesWhatPrometheusRefuses(String name, Map<String, Object> c) {
        assertThatThrownBy(() -> RelabelRules.parse((String) c.get("rules"), "invalid.yaml", scheme(c)))
                .isInstanceOfSatisfying(RelabelConfigException.class, e -> {
                    assertThat(e.getMessage()).contains((String) c.get("error")).startsWith("invalid.yaml");
                    if (c.containsKey("rule")) {
                        assertThat(e.ruleNumber()).as("rule number").isEqualTo(c.get("rule"));
                        assertThat(e.getMessage()).contains("rule " + c.get("rule"));
                    }
                    if (c.containsKey("line")) {
                        assertThat(e.line()).as("line").isEqualTo(c.get("line"));
                        assertThat(e.getMessage()).contains("(line " + c.get("line") + ")");
                    }
                });
    }

    private static NameValidation scheme(Map<String, Object> c) {
        return Boolean.TRUE.equals(c.get("legacy")) ? NameValidation.LEGACY : NameValidation.UTF8;
    }

    private static List<Map<String, Object>> load(String resource) throws IOException {
        try (InputStream in = RelabelCasesTest.class.getResourceAsStream(resource)) {
            return YAML.readValue(in, new TypeReference<>() {
            });
        }
    }
}
