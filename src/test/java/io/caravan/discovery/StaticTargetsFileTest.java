package io.caravan.discovery;

import io.caravan.model.Target;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StaticTargetsFileTest {

    @Test
    void readsAlloyStyleLabelMaps() {
        List<Target> t = StaticTargetsFile.parse("""
                - __address__: http://grafana.observability.svc:80/api/health
                  module: http_2xx
                  instance: grafana
                - {__address__: "https://prism-east.conveyor.internal:9440", module: http_2xx_skip_verify, instance: nutanix-prism-east}
                """, "blackbox.yaml");
        assertThat(t).hasSize(2);
        assertThat(t.get(0).labels().get("module")).isEqualTo("http_2xx");
        assertThat(t.get(1).address()).isEqualTo("https://prism-east.conveyor.internal:9440");
    }

    @Test
    void readsPrometheusFileSdGroups() {
        List<Target> t = StaticTargetsFile.parse("""
                [{"targets": ["10.0.0.1:9100", "10.0.0.2:9100"], "labels": {"env": "prod"}}]
                """, "sd.json");
        assertThat(t).extracting(Target::address).containsExactly("10.0.0.1:9100", "10.0.0.2:9100");
        assertThat(t).allSatisfy(x -> assertThat(x.labels().get("env")).isEqualTo("prod"));
    }

    @Test
    void namesTheFileAndItemOfAnError() {
        assertThatThrownBy(() -> StaticTargetsFile.parse("- module: x\n", "blackbox.yaml"))
                .hasMessageContaining("blackbox.yaml item 1").hasMessageContaining("__address__");
        assertThatThrownBy(() -> StaticTargetsFile.parse("a: [", "broken.yaml")).hasMessageContaining("broken.yaml");
        assertThatThrownBy(() -> StaticTargetsFile.parse("- __address__: {nested: 1}\n", "x.yaml")).hasMessageContaining("plain value");
        assertThat(StaticTargetsFile.parse("", "empty.yaml")).isEmpty();
    }
}
