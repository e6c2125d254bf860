package io.caravan.scrape.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Float syntax as Go's ParseFloat under Prometheus' restrictions, canonical label floats, and Content-Type dispatch. */
class NumbersAndFormatsTest {

    private static double parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return ExpositionFloats.parse(b, 0, b.length);
    }

    @ParameterizedTest
    @CsvSource({
        "1, 1.0", "-1, -1.0", "+1, 1.0", "1.5, 1.5", ".5, 0.5", "5., 5.0", "1e3, 1000.0", "1E-3, 0.001",
        "1.5e+2, 150.0", "0.005, 0.005", "2.592e+06, 2592000.0", "1e-400, 0.0", "00012, 12.0",
        "123456789012345678901234567890, 1.2345678901234568E29", "4.9e-324, 4.9E-324",
    })
    void acceptsGoDecimalForms(String in, double expected) {
        assertThat(parse(in)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Inf", "+Inf", "inf", "+inf", "INF", "Infinity", "+infinity", "-Inf", "-infinity"})
    void acceptsInfinities(String in) {
        assertThat(parse(in)).isInfinite();
        assertThat(parse(in) < 0).isEqualTo(in.startsWith("-"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "NAN"})
    void acceptsNaNWithGoBits(String in) {
        assertThat(Double.doubleToRawLongBits(parse(in))).isEqualTo(0x7ff8000000000001L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", "+NaN", "-nan", "infin", "Infinityy", "0x10",
        "0x1p3", "1_000", "1d", "1f", " 1", "1 ", "1,5", "--1", "1e400", "-1e400", "NaN1"})
    void rejects(String in) {
        assertThatThrownBy(() -> parse(in)).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void fastPathMatchesDoubleParseDouble() {
        Random r = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            String s = switch (i % 4) {
                case 0 -> Long.toString(r.nextLong() % 1_000_000_000_000_000L);
                case 1 -> (r.nextInt(2_000_000) - 1_000_000) + "." + r.nextInt(1_000_000_000);
                case 2 -> r.nextInt(100_000) + "e" + (r.nextInt(60) - 30);
                default -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
            };
            assertThat(Double.doubleToRawLongBits(parse(s))).as(s).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
        }
        assertThat(Double.doubleToRawLongBits(parse("-0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @ParameterizedTest
    @CsvSource({
        "1, 1.0", "0, 0.0", "-0, -0.0", "0.5, 0.5", "2.5, 2.5", "10, 10.0", "100000, 100000.0", "1000000, 1e+06",
        "1e3, 1000.0", "2592000, 2.592e+06", "123456789, 1.23456789e+08", "0.0001, 0.0001", "0.00001, 1e-05",
        "0.00025, 0.00025", "+Inf, +Inf", "-Inf, -Inf", "NaN, NaN", "1.5e-7, 1.5e-07", "1e100, 1e+100",
        "0.1, 0.1", "0.30000000000000004, 0.30000000000000004", "-2.5, -2.5", "5e-324, 5e-324",
        "1.7976931348623157e308, 1.7976931348623157e+308",
    })
    void formatsLikeGoShortestG(String in, String expected) {
        assertThat(OpenMetricsFloatFormat.format(parse(in))).isEqualTo(expected);
    }

    @Test
    void normalisesOnlyFloats() {
        ClassicBucketLabels n = new ClassicBucketLabels();
        assertThat(n.normalize("1")).isEqualTo("1.0");
        assertThat(n.normalize("+Inf")).isEqualTo("+Inf");
        assertThat(n.normalize("Inf")).isEqualTo("+Inf");
        assertThat(n.normalize("fast")).isEqualTo("fast");
        assertThat(n.normalize("0.99")).isEqualTo("0.99");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/openmetrics-text; version=1.0.0; charset=utf-8 | true",
        "application/openmetrics-text | true",
        "Application/OpenMetrics-Text;version=0.0.1 | true",
        "text/plain; version=0.0.4; charset=utf-8 | false",
        "application/openmetrics-textual | false",
        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited | false",
        "'' | false",
    })
    void picksParserFromContentType(String contentType, boolean openMetrics) {
        assertThat(ExpositionParser.forContentType(contentType))
                .isInstanceOf(openMetrics ? OpenMetricsParser.class : PrometheusTextParser.class);
    }

    @Test
    void missingContentTypeMeansText() {
        assertThat(ExpositionParser.forContentType(null)).isInstanceOf(PrometheusTextParser.class);
    }
}
