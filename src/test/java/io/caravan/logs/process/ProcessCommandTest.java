package io.caravan.logs.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code caravan process}: a table of stage files (the shipped ones and small ones of its own), input lines and the
 * exact stdout, stderr and exit status; then the cases whose time is the read time, which no table can spell.
 */
class ProcessCommandTest {

    static final String AUDIT = "src/main/resources/stages/audit.yaml";
    static final String POD_LOGS = "src/main/resources/stages/pod-logs.yaml";

    @TempDir
    static Path dir;

    /** A row: the arguments (a stage file written to the temp dir when {@code stagesYaml} is set), stdin, and what comes out. */
    record Case(String name, List<String> args, String stagesYaml, String stdin, String stdout, String stderr, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case shipped(String name, String stages, String stdin, String stdout) {
        return new Case(name, List.of("--stages", stages), null, stdin, stdout, "", 0);
    }

    static Case written(String name, String stagesYaml, String stdin, String stdout, String stderr, int status) {
        return new Case(name, List.of("--stages", "t.yaml"), stagesYaml, stdin, stdout, stderr, status);
    }

    static Stream<Case> cases() {
        return Stream.of(
                shipped("audit: an event keeps its fields as labels, a lease update is noise", AUDIT, """
                        {"line":"{\\"level\\":\\"Metadata\\",\\"verb\\":\\"get\\",\\"user\\":{\\"username\\":\\"alice\\"},\\"objectRef\\":{\\"resource\\":\\"pods\\",\\"namespace\\":\\"shop\\"},\\"responseStatus\\":{\\"code\\":200}}","labels":{"job":"kube-audit"},"timestamp":"2024-01-01T00:00:00.5Z"}
                        {"line":"{\\"level\\":\\"Metadata\\",\\"verb\\":\\"update\\",\\"objectRef\\":{\\"resource\\":\\"leases\\"}}","labels":{"job":"kube-audit"},"timestamp":"2024-01-01T00:00:01Z"}
                        """, """
                        {"line":"{\\"level\\":\\"Metadata\\",\\"verb\\":\\"get\\",\\"user\\":{\\"username\\":\\"alice\\"},\\"objectRef\\":{\\"resource\\":\\"pods\\",\\"namespace\\":\\"shop\\"},\\"responseStatus\\":{\\"code\\":200}}","labels":{"audit_level":"Metadata","audit_ns":"shop","job":"kube-audit","resource":"pods","status_code":"200","user":"alice","verb":"get"},"structured_metadata":{},"timestamp":"2024-01-01T00:00:00.5Z","tenant":null}
                        """),
                shipped("pod-logs: the static label is added, a blank line dropped", POD_LOGS, """
                        {"line":"started","labels":{"namespace":"shop","pod":"web-1"},"timestamp":"2024-01-01T00:00:00.123456789Z"}
                        {"line":"   ","labels":{"namespace":"shop","pod":"web-1"},"timestamp":"2024-01-01T00:00:00.2Z"}
                        {"line":"stopping","labels":{"namespace":"shop","pod":"web-1"},"timestamp":"2024-01-01T00:00:00.3Z"}
                        """, """
                        {"line":"started","labels":{"namespace":"shop","pod":"web-1","source":"kubernetes"},"structured_metadata":{},"timestamp":"2024-01-01T00:00:00.123456789Z","tenant":null}
                        {"line":"stopping","labels":{"namespace":"shop","pod":"web-1","source":"kubernetes"},"structured_metadata":{},"timestamp":"2024-01-01T00:00:00.3Z","tenant":null}
                        """),
                shipped("labels absent, the time in another offset: printed in UTC, whole seconds without a fraction", POD_LOGS, """
                        {"timestamp":"2024-01-01T02:00:00+02:00","line":"no labels"}
                        {"line":"null labels","labels":null,"timestamp":"2023-12-31T23:59:59.000001000-00:00"}
                        """, """
                        {"line":"no labels","labels":{"source":"kubernetes"},"structured_metadata":{},"timestamp":"2024-01-01T00:00:00Z","tenant":null}
                        {"line":"null labels","labels":{"source":"kubernetes"},"structured_metadata":{},"timestamp":"2023-12-31T23:59:59.000001Z","tenant":null}
                        """),
                shipped("blank input lines are layout, not entries", POD_LOGS, """

                        {"line":"one","timestamp":"2024-01-01T00:00:00Z"}

                        """, """
                        {"line":"one","labels":{"source":"kubernetes"},"structured_metadata":{},"timestamp":"2024-01-01T00:00:00Z","tenant":null}
                        """),
                new Case("a bad line between two good ones: both good ones go through", List.of("--stages", POD_LOGS), null, """
                        {"line":"first","timestamp":"2024-01-01T00:00:01Z"}
                        not json
                        {"line":"third","timestamp":"2024-01-01T00:00:03Z"}
                        """, """
                        {"line":"first","labels":{"source":"kubernetes"},"structured_metadata":{},"timestamp":"2024-01-01T00:00:01Z","tenant":null}
                        {"line":"third","labels":{"source":"kubernetes"},"structured_metadata":{},"timestamp":"2024-01-01T00:00:03Z","tenant":null}
                        """, """
                        stdin:2: not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')
                        """, 1),
                new Case("every kind of bad line is named and skipped", List.of("--stages", POD_LOGS), null, """
                        ["line"]
                        {"line":1}
                        {"labels":{"a":"b"}}
                        {"line":"x","labels":{"a":2}}
                        {"line":"x","labels":"a=b"}
                        {"line":"x","timestamp":"2024-01-01 00:00:00"}
                        {"line":"x","timestamp":1704067200}
                        {"line":"x","level":"info"}
                        {"line":"x","line":"y"}
                        {"line":"x"} {"line":"y"}
                        {"line":"kept","timestamp":"2024-01-01T00:00:00Z"}
                        """, """
                        {"line":"kept","labels":{"source":"kubernetes"},"structured_metadata":{},"timestamp":"2024-01-01T00:00:00Z","tenant":null}
                        """, """
                        stdin:1: not a JSON object
                        stdin:2: "line" is not a string
                        stdin:3: no "line" (a string)
                        stdin:4: the value of label "a" is not a string
                        stdin:5: "labels" is not a JSON object
                        stdin:6: "timestamp" "2024-01-01 00:00:00" is not an RFC 3339 time such as 2024-01-01T00:00:00.123456789Z (cannot parse " 00:00:00" at position 10)
                        stdin:7: "timestamp" is not a string
                        stdin:8: unknown field "level" (an entry has line, labels, timestamp)
                        stdin:9: not valid JSON: Duplicate field 'line'
                        stdin:10: extra content after the JSON object
                        """, 1),
                written("a placeholder's default is used when the environment has no value", """
                        - static_labels: {values: {dc: '{{CARAVAN_PROCESS_TEST_UNSET_DC:east}}'}}
                        """, """
                        {"line":"x","timestamp":"2024-01-01T00:00:00Z"}
                        """, """
                        {"line":"x","labels":{"dc":"east"},"structured_metadata":{},"timestamp":"2024-01-01T00:00:00Z","tenant":null}
                        """, "", 0),
                written("tenant and structured metadata: the tenant out of labels into its field, metadata moved from a label", """
                        - json: {expressions: {customer: '', trace_id: ''}}
                        - tenant: {source: customer}
                        - structured_metadata: {values: {trace_id: '', pod: ''}}
                        """, """
                        {"line":"{\\"customer\\":\\"acme\\",\\"trace_id\\":\\"t-1\\"}","labels":{"app":"web","pod":"web-1"},"timestamp":"2024-01-01T00:00:00Z"}
                        {"line":"{}","labels":{"app":"web"},"timestamp":"2024-01-01T00:00:01Z"}
                        """, """
                        {"line":"{\\"customer\\":\\"acme\\",\\"trace_id\\":\\"t-1\\"}","labels":{"app":"web"},"structured_metadata":{"pod":"web-1","trace_id":"t-1"},"timestamp":"2024-01-01T00:00:00Z","tenant":"acme"}
                        {"line":"{}","labels":{"app":"web"},"structured_metadata":{},"timestamp":"2024-01-01T00:00:01Z","tenant":null}
                        """, "", 0),
                written("limit keeps its bucket across lines, as one pipeline does", """
                        - limit: {rate: 0.001, burst: 2, drop: true}
                        """, """
                        {"line":"1","timestamp":"2024-01-01T00:00:01Z"}
                        {"line":"2","timestamp":"2024-01-01T00:00:02Z"}
                        {"line":"3","timestamp":"2024-01-01T00:00:03Z"}
                        """, """
                        {"line":"1","labels":{},"structured_metadata":{},"timestamp":"2024-01-01T00:00:01Z","tenant":null}
                        {"line":"2","labels":{},"structured_metadata":{},"timestamp":"2024-01-01T00:00:02Z","tenant":null}
                        """, "", 0),
                written("cri joins a partial line with its full one, and flushes a partial one left at the end", """
                        - cri: {}
                        - static_labels: {values: {after: cri}}
                        """, """
                        {"line":"2024-01-01T00:00:01.000000001Z stdout P hello ","labels":{"pod":"a"}}
                        {"line":"2024-01-01T00:00:02Z stdout F world","labels":{"pod":"a"}}
                        {"line":"2024-01-01T00:00:03Z stderr P never finished","labels":{"pod":"a"}}
                        """, """
                        {"line":"hello world","labels":{"after":"cri","pod":"a","stream":"stdout"},"structured_metadata":{},"timestamp":"2024-01-01T00:00:02Z","tenant":null}
                        {"line":"never finished","labels":{"after":"cri","pod":"a","stream":"stderr"},"structured_metadata":{},"timestamp":"2024-01-01T00:00:03Z","tenant":null}
                        """, "", 0),
                written("a partial line held inside a match is flushed through the match's later stages and the pipeline's", """
                        - match:
                            selector: '{pod="a"}'
                            stages:
                              - cri: {}
                              - static_labels: {values: {inside: match}}
                        - static_labels: {values: {after: match}}
                        """, """
                        {"line":"2024-01-01T00:00:03Z stderr P never finished","labels":{"pod":"a"}}
                        """, """
                        {"line":"never finished","labels":{"after":"match","inside":"match","pod":"a","stream":"stderr"},"structured_metadata":{},"timestamp":"2024-01-01T00:00:03Z","tenant":null}
                        """, "", 0),
                written("a refused stage file names the file, the stage, the line and column; nothing is read", """
                        - static_labels: {values: {source: kubernetes}}
                        - drop:
                            expresion: '^$'
                        """, """
                        {"line":"x"}
                        """, "", """
                        process: t.yaml: stage 2 (drop): unknown argument 'expresion' (line 3, column 5); drop takes source, separator, expression, value, older_than, longer_than, drop_counter_reason
                        """, 1),
                written("a placeholder with no value and no default is refused by name", """
                        - static_labels: {values: {dc: '{{CARAVAN_PROCESS_TEST_UNSET_DC}}'}}
                        """, "", "", """
                        process: t.yaml: stage 1 (static_labels): Property with key [CARAVAN_PROCESS_TEST_UNSET_DC] not found in properties from text: {{CARAVAN_PROCESS_TEST_UNSET_DC}} (line 1, column 28)
                        """, 1),
                new Case("a stage file that is not there", List.of("--stages", "no-such.yaml"), null, "", "", """
                        process: cannot read no-such.yaml (no such file); check the path, its prefix (classpath: or file:) and its permissions
                        """, 1),
                new Case("a stage file the jar does not have", List.of("--stages", "classpath:stages/no-such.yaml"), null, "", "", """
                        process: cannot read classpath:stages/no-such.yaml (not in the jar); check the path, its prefix (classpath: or file:) and its permissions
                        """, 1),
                shipped("the shipped file by its classpath location, as the routes name it", "classpath:stages/pod-logs.yaml", """
                        {"line":"x","timestamp":"2024-01-01T00:00:00Z"}
                        """, """
                        {"line":"x","labels":{"source":"kubernetes"},"structured_metadata":{},"timestamp":"2024-01-01T00:00:00Z","tenant":null}
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void table(Case c) throws IOException {
        List<String> args = c.args();
        if (c.stagesYaml() != null) {
            Path file = dir.resolve("t.yaml");
            Files.writeString(file, c.stagesYaml());
            args = args.stream().map(a -> a.equals("t.yaml") ? file.toString() : a).toList();
        }
        Run r = run(c.stdin(), args.toArray(String[]::new));
        assertThat(r.stdout()).isEqualTo(c.stdout());
        assertThat(r.stderr().replace(dir.resolve("t.yaml").toString(), "t.yaml")).isEqualTo(c.stderr());
        assertThat(r.status()).isEqualTo(c.status());
    }

    @Test
    void rawLinesHaveNoLabelsAndTheTimeTheyWereRead() {
        Instant before = Instant.now();
        Run r = run("plain text\n\n{\"line\":\"json is just text here\"}\n", "--raw", "--stages", POD_LOGS);
        Instant after = Instant.now();
        assertThat(r.status()).isZero();
        assertThat(r.stderr()).isEmpty();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).hasSize(2); // the blank line is an entry too, and pod-logs drops it
        assertThat(withoutTime(lines.get(0), before, after))
                .isEqualTo("{\"line\":\"plain text\",\"labels\":{\"source\":\"kubernetes\"},\"structured_metadata\":{},\"timestamp\":T,\"tenant\":null}");
        assertThat(withoutTime(lines.get(1), before, after))
                .isEqualTo("{\"line\":\"{\\\"line\\\":\\\"json is just text here\\\"}\",\"labels\":{\"source\":\"kubernetes\"},\"structured_metadata\":{},\"timestamp\":T,\"tenant\":null}");
    }

    @Test
    void anEntryWithoutATimestampIsStampedWhenReadAndStrictlyLaterThanTheOneBefore() {
        Instant before = Instant.now();
        Run r = run("{\"line\":\"a\",\"labels\":{\"app\":\"web\"}}\n{\"line\":\"a\",\"labels\":{\"app\":\"web\"}}\n", "--stages", POD_LOGS);
        Instant after = Instant.now();
        assertThat(r.status()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).hasSize(2);
        String expected = "{\"line\":\"a\",\"labels\":{\"app\":\"web\",\"source\":\"kubernetes\"},\"structured_metadata\":{},\"timestamp\":T,\"tenant\":null}";
        assertThat(withoutTime(lines.get(0), before, after)).isEqualTo(expected);
        assertThat(withoutTime(lines.get(1), before, after)).isEqualTo(expected);
        // Loki drops a second entry with the same time and line in a stream: the read clock never repeats a nanosecond
        assertThat(Instant.parse(time(lines.get(1)))).isAfter(Instant.parse(time(lines.get(0))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUsage")
    void badUsageExitsWithTwoAndPrintsTheUsage(List<String> args, String problem) {
        Run r = run("{\"line\":\"x\"}\n", args.toArray(String[]::new));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo("process: " + problem + "\n" + ProcessCommand.USAGE + "\n");
    }

    static Stream<Arguments> badUsage() {
        return Stream.of(
                Arguments.of(List.of(), "--stages is required"),
                Arguments.of(List.of("--raw"), "--stages is required"),
                Arguments.of(List.of("--stages"), "--stages needs a file name"),
                Arguments.of(List.of("--stages", POD_LOGS, "--tenant", "x"), "unknown argument '--tenant'"));
    }

    @Test
    void helpPrintsTheUsageOnStdout() {
        Run r = run("", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.stdout()).isEqualTo(ProcessCommand.USAGE + "\n");
    }

    @Test
    void thePipelineIsNamedAfterItsStageFile() {
        assertThat(ProcessCommand.pipelineName("src/main/resources/stages/pod-logs.yaml")).isEqualTo("pod-logs");
        assertThat(ProcessCommand.pipelineName("classpath:stages/audit.yaml")).isEqualTo("audit");
        assertThat(ProcessCommand.pipelineName("file:stages")).isEqualTo("stages");
    }

    record Run(int status, String stdout, String stderr) {
    }

    static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ProcessCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final Pattern TIME = Pattern.compile("\"timestamp\":\"([^\"]+)\"");

    static String time(String line) {
        Matcher m = TIME.matcher(line);
        assertThat(m.find()).as("a timestamp in %s", line).isTrue();
        return m.group(1);
    }

    /** The line with its timestamp replaced by T, after checking it is the read time: between before and after. */
    static String withoutTime(String line, Instant before, Instant after) {
        Instant t = Instant.parse(time(line));
        assertThat(t).isBetween(before, after.plusMillis(1)); // the read clock may step a nanosecond past the wall clock
        return TIME.matcher(line).replaceFirst("\"timestamp\":T");
    }
}
