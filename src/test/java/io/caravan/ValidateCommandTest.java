package io.caravan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ValidateCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int validate(Map<String, String> env, String... args) {
        return ValidateCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void theShippedRoutesAreValid() {
        assertThat(validate(Map.of())).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("valid:");
    }

    @Test
    void reportsEachBrokenRouteWithFileLineAndReason(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("timeout.yaml"), """
                - route:
                    id: broken
                    from:
                      uri: "static-targets:x?addresses=a:1"
                      steps:
                        - to: "scrape:x?interval=5s&timeout=10s"
                """);
        Files.writeString(dir.resolve("option.yaml"), """
                - route:
                    id: typo
                    from:
                      uri: "static-targets:y"
                      steps:
                        - to: "scrape:y?intervall=5s"
                """);
        Files.writeString(dir.resolve("sink.yaml"), """
                - route:
                    id: lost
                    from:
                      uri: "static-targets:z"
                      steps:
                        - to: direct:mimirr
                """);
        Files.writeString(dir.resolve("syntax.yaml"), "- route:\n  id: [\n");
        assertThat(validate(Map.of(), dir.toString())).isEqualTo(1);
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).contains("timeout.yaml:6: route broken").contains("must be positive and no longer than the interval");
        assertThat(e).contains("option.yaml:6: route typo").contains("intervall");
        assertThat(e).contains("sink.yaml:6: route lost sends to direct:mimirr but no route reads it");
        assertThat(e).contains("syntax.yaml").contains("line 3");
        assertThat(e).contains("4 error(s) in 4 route file(s)");
    }

    @Test
    void aTemplatedRouteIsCheckedAgainstTheBuiltInTemplatesAndItsErrorsNameItsFileAndLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("extra.yaml"), """
                # a pipeline of the operator's, on the shipped templates
                - templatedRoute:
                    routeTemplateRef: scrape-samples
                    routeId: extra-samples
                    parameters:
                      - {name: name, value: extra}
                      - {name: sink, value: mimirr}
                - templatedRoute: {routeTemplateRef: scrape-samples, routeId: flow-samples, parameters: [{name: name, value: flow}, {name: sink, value: lost}]}
                - templatedRoute:
                    routeTemplateRef: scrape-jobb
                    routeId: typo
                """);
        assertThat(validate(Map.of(), dir.toString())).isEqualTo(1);
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).contains("extra.yaml:4: route extra-samples sends to direct:mimirr but no route reads it");
        assertThat(e).contains("extra.yaml:10: Cannot find RouteTemplate with id scrape-jobb");
        assertThat(e).contains("extra.yaml:8: route flow-samples sends to direct:lost but no route reads it");
        assertThat(e).contains("3 error(s) in 1 route file(s)");
    }

    @Test
    void anEmptyTemplatesFileInTheRoutesDirectorySwitchesTheTemplatesOffAndThePipelinesOnThemAreReported(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("templates.yaml"), "");
        assertThat(validate(Map.of("CARAVAN_ROUTES_DIR", dir.toString()))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("classpath:routes/kubelet.yaml:3: Cannot find RouteTemplate with id scrape-job");
    }

    @Test
    void aMissingPlaceholderWithoutDefaultIsReported(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("env.yaml"), """
                - route:
                    id: needs-env
                    from:
                      uri: "static-targets:e?addresses={{CARAVAN_TEST_SURELY_UNSET_VARIABLE}}"
                      steps:
                        - to: "log:x"
                """);
        assertThat(validate(Map.of(), dir.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("CARAVAN_TEST_SURELY_UNSET_VARIABLE");
    }

    @Test
    void badUsageExits2() {
        assertThat(validate(Map.of(), "--bogus")).isEqualTo(2);
        assertThat(validate(Map.of(), "/nonexistent/dir")).isEqualTo(2);
    }
}
