package io.caravan.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The names Go's time.Now().Zone() gives node_exporter for these zones and instants (tzdata 2025). */
class ZoneAbbreviationTest {

    @ParameterizedTest
    @CsvSource({
            "Europe/Berlin, 2025-03-01T12:00:00Z, CET",
            "Europe/Berlin, 2025-07-01T12:00:00Z, CEST",
            "CET, 2025-03-01T12:00:00Z, CET",
            "America/New_York, 2025-01-15T12:00:00Z, EST",
            "America/New_York, 2025-07-15T12:00:00Z, EDT",
            "Asia/Kolkata, 2025-07-15T12:00:00Z, IST",
            "America/Sao_Paulo, 2025-07-15T12:00:00Z, -03",
            "Etc/UTC, 2025-07-15T12:00:00Z, UTC",
            "UTC, 2025-07-15T12:00:00Z, UTC",
    })
    void namesAsGo(String zone, String at, String expected) {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("/usr/share/zoneinfo")),
                "tzdata is installed");
        assertThat(ZoneAbbreviation.of(ZoneId.of(zone), Instant.parse(at))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"Z, UTC", "+02:00, +02:00"})
    void fixedOffsetsWithoutAFile(String offset, String expected) {
        assertThat(ZoneAbbreviation.of(ZoneOffset.of(offset), Instant.parse("2025-07-15T12:00:00Z"))).isEqualTo(expected);
    }
}
