package io.caravan.loki;

import io.caravan.wire.ProtoWriter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class LineSizePolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "é", "€", "🚀"})
    void truncation_fits_the_limit_in_bytes_and_keeps_whole_characters(String unit) {
        String line = unit.repeat(300_000);
        String cut = LineSizePolicy.truncate(line, 256 * 1024);
        int bytes = ProtoWriter.utf8Length(cut);
        assertThat(bytes).isLessThanOrEqualTo(256 * 1024).isGreaterThan(256 * 1024 - 8);
        assertThat(cut).endsWith(" bytes]").contains("[truncated by caravan: " + ProtoWriter.utf8Length(line));
        assertThat(cut.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(bytes); // no broken surrogate
    }
}
