package io.caravan.scrape.parse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Accept header and the scrape_protocols names, as Prometheus 3 has them (scrape_test.go's expected headers). */
class ScrapeProtocolTest {

    @Test
    void theDefaultAcceptHeaderIsPrometheus3s() {
        assertThat(ExpositionOptions.DEFAULT.acceptHeader()).isEqualTo(
                "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,"
                        + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2");
    }

    @Test
    void scrapingNativeHistogramsAsksForProtobufFirst() {
        assertThat(new ExpositionOptions(null, true, false, 0, 0, false, false).acceptHeader()).isEqualTo(
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,"
                        + "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,"
                        + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1");
    }

    @Test
    void aListOfNamesIsTakenInItsOrderAndBadOnesAreNamed() {
        List<ScrapeProtocol> p = ScrapeProtocol.parseList("PrometheusText0.0.4, PrometheusProto");
        assertThat(p).containsExactly(ScrapeProtocol.PROMETHEUS_TEXT_0_0_4, ScrapeProtocol.PROMETHEUS_PROTO);
        assertThat(new ExpositionOptions(p, false, false, 0, 0, false, false).acceptHeader()).isEqualTo(
                "text/plain;version=0.0.4;q=0.6,application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,"
                        + "*/*;q=0.4");
        assertThatThrownBy(() -> ScrapeProtocol.parseList("OpenMetricsText1.0.0,prometheusproto"))
                .hasMessageContaining("unknown scrape protocol 'prometheusproto'").hasMessageContaining("PrometheusProto, OpenMetricsText1.0.0");
        assertThatThrownBy(() -> ScrapeProtocol.parseList("PrometheusProto,PrometheusProto")).hasMessageContaining("listed twice");
    }

    @ParameterizedTest(name = "factor {0} gives schema {1}")
    @CsvSource({ // Prometheus' TestPickSchema
            "65536, -4", "256, -3", "16, -2", "4, -1", "2, 0", "1.4, 1", "1.1, 2", "1.09, 3", "1.04, 4", "1.02, 5", "1.01, 6",
            "1.005, 7", "1.002, 8", "0, 8", "1e9, -4"})
    void theMinBucketFactorPicksTheSchemaAsPrometheusDoes(double factor, int schema) {
        assertThat(new ExpositionOptions(null, true, false, 0, factor, false, false).nativeHistogramMaxSchema()).isEqualTo(schema);
    }

    @Test
    void aNegativeOrNanMinBucketFactorIsRefused() {
        assertThatThrownBy(() -> new ExpositionOptions(null, true, false, 0, -1, false, false))
                .hasMessageContaining("nativeHistogramMinBucketFactor");
        assertThatThrownBy(() -> new ExpositionOptions(null, true, false, 0, Double.NaN, false, false))
                .hasMessageContaining("nativeHistogramMinBucketFactor");
    }
}
