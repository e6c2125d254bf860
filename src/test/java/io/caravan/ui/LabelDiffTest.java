package io.caravan.ui;

import io.caravan.model.Labels;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a rule did, as the relabel debugger shows it: only the labels it added, changed or removed. */
class LabelDiffTest {

    @Test
    void addedChangedAndRemovedLabelsAndNothingElse() {
        Labels before = Labels.of("__address__", "10.0.0.1:8080", "team", "x", "app", "shop", "keep", "same");
        Labels after = Labels.of("__address__", "10.0.0.1:9090", "owner", "x", "app", "shop", "keep", "same");
        LabelDiff d = LabelDiff.between(before, after);
        assertThat(d.added()).containsExactly(Map.entry("owner", "x"));
        assertThat(d.changed()).containsExactly(Map.entry("__address__", Map.of("from", "10.0.0.1:8080", "to", "10.0.0.1:9090")));
        assertThat(d.removed()).containsExactly(Map.entry("team", "x"));
    }

    @Test
    void anUnchangedSetHasAnEmptyDiff() {
        Labels l = Labels.of("a", "1", "b", "2");
        assertThat(LabelDiff.between(l, l)).isEqualTo(LabelDiff.NONE);
    }
}
