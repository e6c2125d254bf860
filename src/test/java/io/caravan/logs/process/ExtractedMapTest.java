package io.caravan.logs.process;

import io.caravan.model.Labels;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The extracted map reads as the HashMap seeded with the labels that it stands for, through every change. */
class ExtractedMapTest {

    @Test
    void behavesAsASeededHashMap() {
        Labels seed = Labels.of("app", "api", "namespace", "prod");
        ExtractedMap lazy = new ExtractedMap(seed);
        Map<String, Object> eager = new LinkedHashMap<>(Map.of("app", "api", "namespace", "prod"));
        assertThat(lazy).isEqualTo(eager);
        assertThat(lazy.get("app")).isEqualTo("api");
        assertThat(lazy.containsKey("nothere")).isFalse();

        assertThat(lazy.put("app", 1.5)).isEqualTo(eager.put("app", 1.5));
        assertThat(lazy.put("level", "info")).isEqualTo(eager.put("level", "info"));
        assertThat(lazy.put("n", Extracted.NULL)).isEqualTo(eager.put("n", Extracted.NULL));
        assertThat(lazy).isEqualTo(eager);
        assertThat(lazy.containsKey("n")).isTrue();

        assertThat(lazy.remove("namespace")).isEqualTo(eager.remove("namespace"));
        assertThat(lazy.remove("level")).isEqualTo(eager.remove("level"));
        assertThat(lazy.remove("nothere")).isEqualTo(eager.remove("nothere"));
        assertThat(lazy).isEqualTo(eager).hasSize(2);
        assertThat(lazy.get("namespace")).isNull();
        assertThat(lazy.put("namespace", "dev")).isNull();
        assertThat(lazy.get("namespace")).isEqualTo("dev");

        lazy.clear();
        assertThat(lazy).isEmpty();
        assertThat(lazy.get("app")).isNull();
    }

    @Test
    void nullIsNotAValue() {
        assertThatThrownBy(() -> new ExtractedMap(Labels.EMPTY).put("a", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Extracted.NULL");
    }
}
