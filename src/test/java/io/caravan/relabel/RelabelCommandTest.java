package io.caravan.relabel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RelabelCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void relabelsEachLineAndPrintsNullForDropped() throws IOException {
        Path rules = write("rules.yaml", """
                - source_labels: [__meta_kubernetes_pod_phase]
                  regex: Pending|Succeeded
                  action: drop
                - source_labels: [__meta_kubernetes_namespace]
                  target_label: namespace
                """);
        int status = run(new String[] {"--rules", rules.toString()}, """
                {"__meta_kubernetes_pod_phase":"Running","__meta_kubernetes_namespace":"shop","b":"x"}
                {"__meta_kubernetes_pod_phase":"Pending","__meta_kubernetes_namespace":"shop"}

                {"z":"1","a":"2","empty":""}
                """);
        assertThat(status).isZero();
        assertThat(stdout()).isEqualTo("""
                {"__meta_kubernetes_namespace":"shop","__meta_kubernetes_pod_phase":"Running","b":"x","namespace":"shop"}
                null
                {"a":"2","z":"1"}
                """);
        assertThat(stderr()).isEmpty();
    }

    @Test
    void reportsBadLinesWithTheirNumberAndGoesOn() throws IOException {
        Path rules = write("rules.yaml", "- target_label: cluster\n  replacement: dev\n");
        int status = run(new String[] {"--rules=" + rules}, """
                {"a":"1"}
                not json
                {"a":1}
                ["a"]
                {"a":"2"} {"b":"3"}
                {"é":"ü \\" \\n"}
                """);
        assertThat(status).isEqualTo(1);
        assertThat(stdout()).isEqualTo("""
                {"a":"1","cluster":"dev"}
                {"cluster":"dev","é":"ü \\" \\n"}
                """);
        assertThat(stderr()).contains("line 2:", "line 3:", "value of \"a\" is not a string", "line 4:", "line 5:")
                .doesNotContain("line 1:", "line 6:");
    }

    @Test
    void badRulesExitWithTwoAndNameTheRule() throws IOException {
        Path rules = write("bad.yaml", """
                - source_labels: [a]
                  target_label: b
                - source_labels: [a]
                  action: hashmod
                  target_label: h
                """);
        assertThat(run(new String[] {"--rules", rules.toString()}, "{\"a\":\"1\"}\n")).isEqualTo(2);
        assertThat(stderr()).contains("bad.yaml: rule 2 (line 3): relabel configuration for hashmod requires non-zero modulus");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void legacyNamesFlagAppliesToTheRules() throws IOException {
        Path rules = write("utf8.yaml", "- source_labels: [a]\n  target_label: utf-8.label\n");
        assertThat(run(new String[] {"--rules", rules.toString()}, "{\"a\":\"1\"}\n")).isZero();
        assertThat(stdout()).isEqualTo("{\"a\":\"1\",\"utf-8.label\":\"1\"}\n");
        out.reset();
        assertThat(run(new String[] {"--rules", rules.toString(), "--legacy-names"}, "")).isEqualTo(2);
        assertThat(stderr()).contains("is invalid 'target_label'");
    }

    @Test
    void missingOrUnknownFlagsPrintUsage() {
        assertThat(run(new String[] {}, "")).isEqualTo(2);
        assertThat(stderr()).contains("--rules is required", "usage: relabel --rules RULES.yaml");
        err.reset();
        assertThat(run(new String[] {"--rules"}, "")).isEqualTo(2);
        assertThat(stderr()).contains("usage:");
        err.reset();
        assertThat(run(new String[] {"--rules", "x.yaml", "--frobnicate"}, "")).isEqualTo(2);
        assertThat(stderr()).contains("unknown argument '--frobnicate'", "usage:");
    }

    @Test
    void missingRulesFileExitsWithTwo() {
        assertThat(run(new String[] {"--rules", dir.resolve("nope.yaml").toString()}, "")).isEqualTo(2);
        assertThat(stderr()).contains("nope.yaml", "cannot read the rules file");
    }

    private int run(String[] args, String stdin) {
        return RelabelCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
