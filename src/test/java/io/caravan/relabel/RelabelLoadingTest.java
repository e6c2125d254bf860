package io.caravan.relabel;

import io.caravan.model.Labels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** YAML loading details not covered by the case tables. */
class RelabelLoadingTest {

    @Test
    void emptyTextIsNoRules() {
        assertThat(RelabelRules.parse("", "empty.yaml").size()).isZero();
        assertThat(RelabelRules.parse("# only a comment\n", "c.yaml").size()).isZero();
        assertThat(RelabelRules.parse("[]", "list.yaml").size()).isZero();
    }

    @Test
    void noRulesPassTheSameInstance() {
        Labels in = Labels.of("a", "1");
        assertThat(RelabelRules.none().apply(in)).isSameAs(in);
    }

    @Test
    void filtersOnlyReturnTheInputItself() {
        RelabelRules r = RelabelRules.parse("- source_labels: [a]\n  regex: '1'\n  action: keep\n", "f.yaml");
        Labels in = Labels.of("a", "1");
        assertThat(r.apply(in)).isSameAs(in);
    }

    @Test
    void defaultsAreThoseOfPrometheus() {
        RelabelRule rule = RelabelRules.parse("- target_label: x\n", "d.yaml").rules().get(0);
        assertThat(rule.action()).isEqualTo(RelabelAction.REPLACE);
        assertThat(rule.separator()).isEqualTo(";");
        assertThat(rule.regex().source()).isEqualTo("(.*)");
        assertThat(rule.replacement()).isEqualTo("$1");
        assertThat(rule.modulus()).isZero();
        assertThat(rule.sourceLabels()).isEmpty();
    }

    @Test
    void flowAndBlockListsAndQuotedValuesAreRead() {
        RelabelRules r = RelabelRules.parse("""
                - source_labels:
                    - a
                    - "b"
                  separator: '-'
                  regex: "(.+)-(.+)"
                  replacement: '$2/$1'
                  target_label: c
                  action: REPLACE
                """, "flow.yaml");
        assertThat(r.apply(Labels.of("a", "x", "b", "y"))).isEqualTo(Labels.of("a", "x", "b", "y", "c", "y/x"));
    }

    @Test
    void errorsNameSourceRuleAndLine() {
        String yaml = """
                # rules for the test
                - source_labels: [a]
                  target_label: b

                - source_labels: [a]
                  action: hashmod
                  target_label: h
                """;
        assertThatThrownBy(() -> RelabelRules.parse(yaml, "team.yaml"))
                .isInstanceOfSatisfying(RelabelConfigException.class, e -> {
                    assertThat(e.source()).isEqualTo("team.yaml");
                    assertThat(e.ruleNumber()).isEqualTo(2);
                    assertThat(e.line()).isEqualTo(5);
                    assertThat(e.getMessage()).isEqualTo("team.yaml: rule 2 (line 5): relabel configuration for"
                            + " hashmod requires non-zero modulus; add e.g. 'modulus: 8'");
                });
    }

    @Test
    void modulusAcceptsTheFullUnsignedRange() {
        RelabelRule rule = RelabelRules.parse("""
                - source_labels: [a]
                  target_label: h
                  modulus: 18446744073709551615
                  action: hashmod
                """, "m.yaml").rules().get(0);
        assertThat(Long.toUnsignedString(rule.modulus())).isEqualTo("18446744073709551615");
        assertThatThrownBy(() -> RelabelRules.parse("""
                - source_labels: [a]
                  target_label: h
                  modulus: 18446744073709551616
                  action: hashmod
                """, "m.yaml")).hasMessageContaining("'modulus' must be a whole number");
    }
}
