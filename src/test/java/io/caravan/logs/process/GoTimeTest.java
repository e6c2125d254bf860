package io.caravan.logs.process;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Go reference layouts and Alloy's named formats, with the instants Go's time.Parse gives. */
class GoTimeTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "RFC3339|2019-01-01T01:00:00.000000001Z|2019-01-01T01:00:00.000000001Z",
            "RFC3339|2019-01-01T01:00:00+01:00|2019-01-01T00:00:00Z",
            "RFC3339Nano|2019-04-30T02:12:41.8443515Z|2019-04-30T02:12:41.844351500Z",
            "RFC1123|Mon, 01 Jul 2019 08:30:00 UTC|2019-07-01T08:30:00Z",
            "RFC1123Z|Mon, 01 Jul 2019 08:30:00 +0200|2019-07-01T06:30:00Z",
            "ANSIC|Mon Jul  1 08:30:00 2019|2019-07-01T08:30:00Z",
            "UnixDate|Mon Jul  1 08:30:00 UTC 2019|2019-07-01T08:30:00Z",
            "RFC822Z|01 Jul 19 08:30 -0700|2019-07-01T15:30:00Z",
            "Unix|1562708916|2019-07-09T21:48:36Z",
            "Unix|1562708916.414123|2019-07-09T21:48:36.414123Z",
            "UnixMs|1562708916414|2019-07-09T21:48:36.414Z",
            "UnixUs|1562708916414123|2019-07-09T21:48:36.414123Z",
            "UnixNs|1562708916000000123|2019-07-09T21:48:36.000000123Z",
            "2006-01-02 15:04:05.000|2024-02-29 23:59:59.123|2024-02-29T23:59:59.123Z",
            "02/Jan/2006:15:04:05 -0700|10/Oct/2000:13:55:36 -0700|2000-10-10T20:55:36Z",
            "2006-01-02T15:04:05|2021-05-06T07:08:09.5|2021-05-06T07:08:09.500Z",
            "3:04PM 2006-01-02|1:15PM 2020-01-02|2020-01-02T13:15:00Z",
            "Jan 2 2006 15:04:05 MST|Feb 3 2020 10:00:00 GMT|2020-02-03T10:00:00Z",
    })
    void parses(String format, String value, String want) {
        long nanos = TimestampStage.parser(format, null).parse(value);
        Instant got = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        assertThat(got).isEqualTo(Instant.parse(want));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "RFC3339|2019-01-01 01:00:00Z",
            "2006-01-02|2019-1-02",
            "2006-01-02|2019-13-02",
            "2006-01-02|2019-02-30",
            "UnixMs|12ab",
            "RFC3339|2019-01-01T01:00:00Zextra",
    })
    void refuses(String format, String value) {
        assertThatThrownBy(() -> TimestampStage.parser(format, null).parse(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void location_applies_when_the_value_has_no_zone() {
        long nanos = TimestampStage.parser("2006-01-02 15:04:05", ZoneId.of("America/New_York")).parse("2020-07-01 12:00:00");
        assertThat(Instant.ofEpochSecond(nanos / 1_000_000_000L)).isEqualTo(Instant.parse("2020-07-01T16:00:00Z"));
    }

    @org.junit.jupiter.api.Test
    void layout_without_year_takes_the_year_near_now() {
        LocalDateTime dec = LocalDateTime.of(0, 12, 31, 23, 59);
        assertThat(GoTime.withYearNearNow(dec, LocalDate.of(2025, 1, 1)).getYear()).isEqualTo(2024);
        LocalDateTime jan = LocalDateTime.of(0, 1, 1, 0, 0);
        assertThat(GoTime.withYearNearNow(jan, LocalDate.of(2024, 12, 31)).getYear()).isEqualTo(2025);
        assertThat(GoTime.withYearNearNow(LocalDateTime.of(0, 6, 1, 0, 0), LocalDate.of(2024, 7, 1)).getYear()).isEqualTo(2024);
        // Go's AddDate: Feb 29 in a year without one rolls over to Mar 1
        assertThat(GoTime.withYearNearNow(LocalDateTime.of(0, 2, 29, 10, 0), LocalDate.of(2025, 6, 1))).isEqualTo(LocalDateTime.of(2025, 3, 1, 10, 0));
        assertThat(GoTime.withYearNearNow(LocalDateTime.of(0, 2, 29, 10, 0), LocalDate.of(2028, 6, 1))).isEqualTo(LocalDateTime.of(2028, 2, 29, 10, 0));
        long nanos = GoTime.parse("Jan _2 15:04:05", "Mar  7 10:00:00", null);
        assertThat(Instant.ofEpochSecond(nanos / 1_000_000_000L).toString()).endsWith("-03-07T10:00:00Z");
    }
}
