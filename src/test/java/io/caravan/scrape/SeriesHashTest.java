package io.caravan.scrape;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SeriesHashTest {

    @Test
    void nearlyIdenticalSeriesOfARealisticBodyAllHashApart() {
        // cAdvisor-like series that differ in one character, at every position of an 8-byte word
        Set<Long> seen = new HashSet<>();
        int n = 0;
        for (int pod = 0; pod < 1_000; pod++) {
            for (String cpu : new String[] {"cpu00", "cpu01", "cpu10", "total"}) {
                for (String mode : new String[] {"user", "system", "usr", "sys"}) {
                    String series = "container_cpu_usage_seconds_total{container=\"app\",cpu=\"" + cpu + "\",mode=\"" + mode
                            + "\",namespace=\"default\",pod=\"pod-" + pod + "\"}";
                    byte[] b = series.getBytes(StandardCharsets.ISO_8859_1);
                    seen.add(SeriesHash.of(b, 0, b.length));
                    n++;
                }
            }
        }
        assertThat(seen).hasSize(n);
    }

    @Test
    void hashesTheRangeOnlyWhereverItSits() {
        byte[] a = "xxxx{a=\"1\"}yyyy".getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = "{a=\"1\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(SeriesHash.of(a, 4, b.length)).isEqualTo(SeriesHash.of(b, 0, b.length));
        assertThat(SeriesHash.of(b, 0, b.length - 1)).isNotEqualTo(SeriesHash.of(b, 0, b.length));
        assertThat(SeriesHash.of(new byte[9], 0, 9)).isNotEqualTo(SeriesHash.of(new byte[8], 0, 8));
    }
}
