package io.caravan.scrape;

import io.caravan.model.Labels;
import io.caravan.model.Target;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Prometheus' PopulateLabels: defaults, the URL, which labels the series keep. */
class ScrapeTargetTest {

    private static final ScrapeSettings JOB = new ScrapeSettings("kubelet", 30_000, 10_000, "https", "/metrics", false, true, 0,
            0, 7_200_000, true, Labels.of("format", "prometheus"), null);

    @Test
    void fillsDefaultsBuildsTheUrlAndKeepsOnlyPublicLabels() throws Exception {
        ScrapeTarget t = ScrapeTarget.of(Target.of("__address__", "10.0.0.1:10250", "__meta_kubernetes_node_name", "n1",
                "node", "n1", "__metrics_path__", "/metrics/cadvisor"), JOB);
        assertThat(t.url()).hasToString("https://10.0.0.1:10250/metrics/cadvisor?format=prometheus");
        assertThat(t.labels()).isEqualTo(Labels.of("job", "kubelet", "instance", "10.0.0.1:10250", "node", "n1"));
        assertThat(t.intervalMs()).isEqualTo(30_000);
        assertThat(t.timeoutMs()).isEqualTo(10_000);
    }

    @Test
    void labelsFromRelabelingWinOverTheJobsDefaults() throws Exception {
        ScrapeTarget t = ScrapeTarget.of(Target.of("__address__", "bb:9115", "__param_target", "https://x/health?a=b",
                "__scheme__", "http", "__scrape_interval__", "1m", "__scrape_timeout__", "15s", "job", "blackbox",
                "instance", "grafana"), JOB);
        assertThat(t.url().getScheme()).isEqualTo("http");
        assertThat(t.url().getRawQuery()).contains("target=https%3A%2F%2Fx%2Fhealth%3Fa%3Db").contains("format=prometheus");
        assertThat(t.labels()).isEqualTo(Labels.of("job", "blackbox", "instance", "grafana"));
        assertThat(t.intervalMs()).isEqualTo(60_000);
        assertThat(t.timeoutMs()).isEqualTo(15_000);
    }

    @Test
    void rejectsTargetsThatCannotBeScraped() {
        assertThatThrownBy(() -> ScrapeTarget.of(Target.of("a", "b"), JOB)).hasMessageContaining("no __address__");
        assertThatThrownBy(() -> ScrapeTarget.of(Target.of("__address__", "http://x/y"), JOB)).hasMessageContaining("host:port");
        assertThatThrownBy(() -> ScrapeTarget.of(Target.of("__address__", "x:1", "__scheme__", "ftp"), JOB)).hasMessageContaining("http or https");
        assertThatThrownBy(() -> ScrapeTarget.of(Target.of("__address__", "x:1", "__scrape_timeout__", "1m"), JOB))
                .hasMessageContaining("at most the interval");
    }
}
