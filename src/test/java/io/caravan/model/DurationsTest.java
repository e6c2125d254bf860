package io.caravan.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"30s,30000", "1m30s,90000", "500ms,500", "2h,7200000", "1d,86400000", "0,0", "1h1m1s1ms,3661001"})
    void readsPrometheusDurations(String text, long ms) {
        assertThat(Durations.parseMillis("x", text)).isEqualTo(ms);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "s", "1.5s", "10 s", "-1s", "1x"})
    void rejectsWhatPrometheusRejects(String text) {
        assertThatThrownBy(() -> Durations.parseMillis("scrape interval", text))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scrape interval");
    }

    @ParameterizedTest
    @CsvSource({"90000,1m30s", "30000,30s", "500,500ms", "0,0s", "3600000,1h"})
    void formatsTheShortestSpelling(long ms, String text) {
        assertThat(Durations.format(ms)).isEqualTo(text);
    }
}
