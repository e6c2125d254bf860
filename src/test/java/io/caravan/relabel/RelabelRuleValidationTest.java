package io.caravan.relabel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rules Prometheus accepts, and the legacy target shapes of Prometheus' TestTargetLabelLegacyValidity. */
class RelabelRuleValidationTest {

    @ParameterizedTest(name = "{0} legacy-template={1}")
    @CsvSource({
            "-label,false", "label,true", "label${1},true", "${1}label,true", "${1},true", "'${',false",
            "$,false", "${},false", "'foo${',false", "$1,true", "asd$2asd,true", "-foo${1}bar-,false",
            "bar.foo${1}bar,false", "_${1}_,true", "foo${bar}foo,true"})
    void legacyTargetTemplates(String template, boolean valid) {
        assertThat(NameValidation.LEGACY.isValidTemplate(template)).isEqualTo(valid);
    }

    @Test
    void namesUnderEachScheme() {
        assertThat(NameValidation.LEGACY.isValid("_a1")).isTrue();
        assertThat(NameValidation.LEGACY.isValid("1a")).isFalse();
        assertThat(NameValidation.LEGACY.isValid("a.b")).isFalse();
        assertThat(NameValidation.LEGACY.isValid("")).isFalse();
        assertThat(NameValidation.UTF8.isValid("a.b")).isTrue();
        assertThat(NameValidation.UTF8.isValid("名前")).isTrue();
        assertThat(NameValidation.UTF8.isValid("😀")).isTrue();
        assertThat(NameValidation.UTF8.isValid("")).isFalse();
        assertThat(NameValidation.UTF8.isValid("a\uD800")).as("lone surrogate").isFalse();
    }

    @Test
    void acceptsWhatPrometheusAccepts() {
        // With UTF-8 names, a lowercase target "${3}" is a plain (odd) name.
        valid(RelabelRule.builder().sourceLabels("a").action(RelabelAction.LOWERCASE).targetLabel("${3}"),
                NameValidation.UTF8);
        valid(RelabelRule.builder().sourceLabels("a").regex("some-([^-]+)-([^,]+)").replacement("${1}")
                .targetLabel("${3}"), NameValidation.UTF8);
        valid(RelabelRule.builder().sourceLabels("a").regex("some-([^-]+)-([^,]+)").replacement("${1}")
                .targetLabel("0${3}"), NameValidation.UTF8);
        valid(RelabelRule.builder().sourceLabels("a").regex("some-([^-]+)-([^,]+)").replacement("${1}")
                .targetLabel("-${3}"), NameValidation.UTF8);
        valid(RelabelRule.builder().regex("__meta_kubernetes_pod_label_(strimzi_io_.+)").action(RelabelAction.LABELMAP)
                .replacement("$1"), NameValidation.LEGACY);
        valid(RelabelRule.builder().regex("__meta_(.+)").action(RelabelAction.LABELMAP).replacement("${1}"),
                NameValidation.LEGACY);
        valid(RelabelRule.builder().sourceLabels("a").targetLabel("b").action(RelabelAction.KEEPEQUAL)
                .separator(";"), NameValidation.UTF8);
        valid(RelabelRule.builder().regex("x").action(RelabelAction.LABELDROP), NameValidation.LEGACY);
        valid(RelabelRule.builder().sourceLabels("a").regex("x").action(RelabelAction.DROP), NameValidation.LEGACY);
        valid(RelabelRule.builder().sourceLabels("a").targetLabel("b").modulus(-1L).action(RelabelAction.HASHMOD),
                NameValidation.UTF8);
    }

    @Test
    void codeBuiltRulesAreValidatedWithTheirPosition() {
        List<RelabelRule> rules = List.of(
                RelabelRule.builder().sourceLabels("a").targetLabel("b").build(),
                RelabelRule.builder().sourceLabels("a").action(RelabelAction.HASHMOD).targetLabel("h").build());
        assertThatThrownBy(() -> RelabelRules.of(rules))
                .isInstanceOf(RelabelConfigException.class)
                .hasMessage("rule 2: relabel configuration for hashmod requires non-zero modulus; add e.g. 'modulus: 8'");
    }

    @Test
    void badRegexInCodeIsAConfigError() {
        assertThatThrownBy(() -> RelabelRule.builder().regex("(a)\\1"))
                .isInstanceOf(RelabelConfigException.class)
                .hasMessageContaining("invalid escape sequence")
                .hasMessageContaining("RE2");
    }

    private static void valid(RelabelRule.Builder rule, NameValidation names) {
        assertThatCode(() -> rule.build().validate(names)).doesNotThrowAnyException();
    }
}
