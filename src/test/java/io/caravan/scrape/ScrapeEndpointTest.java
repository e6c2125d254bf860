package io.caravan.scrape;

import io.caravan.model.Labels;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The metricRelabel file is read as every rule file is: a path or file:/classpath:, placeholders resolved, errors naming the option. */
class ScrapeEndpointTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void metricRelabelRulesComeFromAPlainPathWithPlaceholdersResolved(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                - target_label: node
                  replacement: "{{NODE_NAME:node-a}}"
                """);
        ScrapeEndpoint endpoint = camel.getEndpoint("scrape:j?metricRelabel=" + rules, ScrapeEndpoint.class);
        Labels relabelled = endpoint.settings().metricRelabel().apply(Labels.of("__name__", "up"));
        assertThat(relabelled.get("node")).isEqualTo("node-a");
    }

    @Test
    void convertClassicHistogramsToNhcbIsAnOptionOffByDefault() throws Exception {
        assertThat(camel.getEndpoint("scrape:a", ScrapeEndpoint.class).settings().exposition().convertClassicHistogramsToNhcb()).isFalse();
        ScrapeEndpoint on = camel.getEndpoint("scrape:b?convertClassicHistogramsToNhcb=true&alwaysScrapeClassicHistograms=true",
                ScrapeEndpoint.class);
        assertThat(on.settings().exposition().convertClassicHistogramsToNhcb()).isTrue();
        assertThat(on.settings().exposition().alwaysScrapeClassicHistograms()).isTrue();
    }

    @Test
    void aMissingMetricRelabelFileNamesTheJobAndTheOption() {
        assertThatThrownBy(() -> camel.getEndpoint("scrape:j?metricRelabel=/nonexistent/rules.yaml"))
                .hasStackTraceContaining("scrape:j metricRelabel: cannot read /nonexistent/rules.yaml");
    }
}
