package io.caravan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteSourcesTest {

    @Test
    void withoutADirectoryTheBuiltInRoutesLoad() {
        assertThat(RouteSources.includePattern(Map.of())).startsWith(RouteSources.BUILT_IN_TEMPLATES + ",")
                .contains("classpath:routes/sinks.yaml", "classpath:routes/kubelet.yaml")
                .doesNotContain("*");
    }

    @Test
    void aFileInTheDirectoryReplacesTheBuiltInOfTheSameNameAndAnEmptyOneSwitchesItOff(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("sinks.yaml"), "- route: {}\n");
        Files.writeString(dir.resolve("extra.yaml"), "- route: {}\n");
        Files.writeString(dir.resolve("self-metrics.yaml"), "");
        String pattern = RouteSources.includePattern(Map.of("CARAVAN_ROUTES_DIR", dir.toString()));
        assertThat(pattern).contains("file:" + dir.resolve("sinks.yaml"))
                .contains("file:" + dir.resolve("extra.yaml"))
                .doesNotContain("classpath:routes/sinks.yaml")
                .doesNotContain("self-metrics.yaml");
    }

    @Test
    void aMissingDirectoryIsAClearError() {
        assertThatThrownBy(() -> RouteSources.includePattern(Map.of("CARAVAN_ROUTES_DIR", "/nonexistent/routes")))
                .hasMessageContaining("CARAVAN_ROUTES_DIR=/nonexistent/routes");
    }
}
