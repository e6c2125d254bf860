package io.caravan.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelsTest {

    @Test
    void sortsByNameDropsEmptyValuesAndKeepsTheLastOfARepeatedName() {
        Labels l = Labels.of("b", "2", "a", "1", "empty", "", "b", "3");
        assertThat(l.size()).isEqualTo(2);
        assertThat(l.name(0)).isEqualTo("a");
        assertThat(l.get("b")).isEqualTo("3");
        assertThat(l.get("empty")).isNull();
        assertThat(l.getOrEmpty("missing")).isEmpty();
        assertThat(l).hasToString("{a=\"1\", b=\"3\"}");
    }

    @Test
    void equalSetsAreEqualWhateverTheBuildOrder() {
        Labels x = Labels.builder().set("z", "1").set("a", "2").set("m", "3").build();
        Labels y = Labels.of("a", "2", "m", "3", "z", "1");
        assertThat(x).isEqualTo(y).hasSameHashCodeAs(y);
        assertThat(x.compareTo(y)).isZero();
        assertThat(x.toBuilder().set("m", "").build()).isEqualTo(Labels.of("a", "2", "z", "1"));
    }

    @Test
    void builderIsReusable() {
        Labels.Builder b = Labels.builder();
        for (int i = 0; i < 40; i++) {
            b.set("l" + i, "v");
        }
        assertThat(b.build().size()).isEqualTo(40);
        assertThat(b.reset().set("x", "1").build()).isEqualTo(Labels.of("x", "1"));
    }

    @Test
    void escapesValuesInToString() {
        assertThat(Labels.of("p", "a\"b\\c\nd")).hasToString("{p=\"a\\\"b\\\\c\\nd\"}");
    }

    @Test
    void oddArgumentsAreRejected() {
        assertThatThrownBy(() -> Labels.of("a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builderGivesBackItsSetUntilSomethingChanges() {
        Labels base = Labels.of("a", "1", "b", "2");
        assertThat(base.toBuilder().set("a", "1").build()).isSameAs(base);
        assertThat(Labels.builder().reset(base).build()).isSameAs(base);
        assertThat(base.toBuilder().del("zz").build()).isSameAs(base);
        Labels changed = base.toBuilder().set("a", "9").build();
        assertThat(changed).isNotSameAs(base).isEqualTo(Labels.of("a", "9", "b", "2"));
        assertThat(base.toBuilder().set("a", "9").set("a", "1").build()).isNotSameAs(base).isEqualTo(base);
        assertThat(base.toBuilder().del("b").build()).isEqualTo(Labels.of("a", "1"));
        assertThat(base.toBuilder().set("c", "3").build()).isEqualTo(Labels.of("a", "1", "b", "2", "c", "3"));
        assertThat(base.toBuilder().reset().build()).isSameAs(Labels.EMPTY);
    }
}
