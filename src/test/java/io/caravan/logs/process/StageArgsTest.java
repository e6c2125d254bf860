package io.caravan.logs.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One table per stage: a stage file, and either the arguments it binds to (defaults filled in) or the exact
 * refusal, with the file, the stage, the line and column of the key (of the stage, for a rule between arguments)
 * and what to do.
 */
class StageArgsTest {

    /** A row: the YAML, and the arguments it gives or the message it is refused with (after "t.yaml: "). */
    record Case(String yaml, StageArgs accepted, String refused) {
        @Override
        public String toString() {
            return yaml.replace("\n", "⏎");
        }
    }

    static Case accept(String yaml, StageArgs args) {
        return new Case(yaml, args, null);
    }

    static Case refuse(String yaml, String message) {
        return new Case(yaml, null, message);
    }

    static final UnaryOperator<String> PLACEHOLDERS = s -> {
        if (s.contains("{{MISSING}}")) {
            throw new IllegalArgumentException("Property with key [MISSING] not found in properties from text: " + s);
        }
        return s.replace("{{RATE}}", "5").replace("{{DC}}", "east");
    };

    static List<StageConfig> read(String yaml) {
        return StagesFile.read(yaml, "t.yaml", PLACEHOLDERS);
    }

    void check(Case c) {
        if (c.accepted() != null) {
            List<StageConfig> stages = read(c.yaml());
            assertThat(stages).hasSize(1);
            assertThat(stages.get(0).args()).isEqualTo(c.accepted());
        } else {
            assertThatThrownBy(() -> read(c.yaml())).isInstanceOf(PipelineConfigException.class)
                    .hasMessage("t.yaml: " + c.refused());
        }
    }

    static Map<String, String> map(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static final String DROP_TAKES = "drop takes source, separator, expression, value, older_than, longer_than, drop_counter_reason";

    static Stream<Case> drop() {
        return Stream.of(
                accept("- drop: {expression: '^$'}", new DropStage.Args(List.of(), ";", "^$", "", Duration.ZERO, 0L, "drop_stage")),
                accept("- drop: {source: 'a,b', value: x, separator: '|', drop_counter_reason: noisy}",
                        new DropStage.Args(List.of("a", "b"), "|", "", "x", Duration.ZERO, 0L, "noisy")),
                accept("- drop: {source: [a, b], older_than: 1h, longer_than: 1KB}",
                        new DropStage.Args(List.of("a", "b"), ";", "", "", Duration.ofHours(1), 1024L, "drop_stage")),
                accept("- drop: {longer_than: 4, separator: ''}", new DropStage.Args(List.of(), ";", "", "", Duration.ZERO, 4L, "drop_stage")),
                accept("- drop: {source: ok, value: true}", new DropStage.Args(List.of("ok"), ";", "", "true", Duration.ZERO, 0L, "drop_stage")),
                accept("- drop: {source: code, value: 1.50}", new DropStage.Args(List.of("code"), ";", "", "1.50", Duration.ZERO, 0L, "drop_stage")),
                refuse("- drop: {expression: x, sourec: a}",
                        "stage 1 (drop): unknown argument 'sourec' (line 1, column 25); " + DROP_TAKES),
                refuse("- drop:\n    expression: x\n    longer-than: 3\n",
                        "stage 1 (drop): unknown argument 'longer-than' (line 3, column 5); " + DROP_TAKES),
                refuse("- drop: {longer_than: lots}", "stage 1 (drop): 'longer_than' must be a size like 256KB, found 'lots' (line 1, column 10)"),
                refuse("- drop: {older_than: soon}",
                        "stage 1 (drop): older_than: 'soon' is not a duration; write it like 30s, 1m30s or 500ms (line 1, column 10)"),
                refuse("- drop: {expression: x, separator: [a]}",
                        "stage 1 (drop): 'separator' must be a single string, found a list (line 1, column 25)"),
                refuse("- drop: {source: {a: b}}",
                        "stage 1 (drop): 'source' must hold strings only, found a mapping (line 1, column 10)"),
                refuse("- drop: {}", "stage 1 (drop): drop needs at least one of source, expression, older_than or longer_than (line 1, column 3)"),
                refuse("- drop:", "stage 1 (drop): drop needs at least one of source, expression, older_than or longer_than (line 1, column 3)"),
                refuse("- drop: {source: a, value: x, expression: y}", "stage 1 (drop): value and expression cannot both be set; use one (line 1, column 3)"),
                refuse("- drop: {value: x, longer_than: 10}", "stage 1 (drop): value needs a source to compare with (line 1, column 3)"),
                refuse("- drop: {expression: '(['}",
                        "stage 1 (drop): 'expression' is not a valid RE2 regular expression: error parsing regexp: missing closing ]: `[` (line 1, column 3)"));
    }

    static Stream<Case> staticLabels() {
        return Stream.of(
                accept("- static_labels: {values: {a: b, empty: ''}}", new StaticLabelsStage.Args(map("a", "b", "empty", ""))),
                accept("- static_labels: {values: {port: 8080, tls: false}}", new StaticLabelsStage.Args(map("port", "8080", "tls", "false"))),
                accept("- static_labels:\n    values:\n      dc: '{{DC}}'\n      left_out:\n",
                        new StaticLabelsStage.Args(map("dc", "east", "left_out", ""))),
                refuse("- static_labels:", "stage 1 (static_labels): 'values' is required (a mapping like values: {a: b}) (line 1, column 3)"),
                refuse("- static_labels: {values: [a]}",
                        "stage 1 (static_labels): 'values' must be a mapping like values: {a: b}, found a list (line 1, column 19)"),
                refuse("- static_labels:\n    values:\n      a: [b]\n", "stage 1 (static_labels): 'values.a' must be a string, found a list (line 3, column 7)"),
                refuse("- static_labels: {values: {'a-b': x}}",
                        "stage 1 (static_labels): invalid label name 'a-b'; label names match [a-zA-Z_][a-zA-Z0-9_]* (line 1, column 3)"),
                refuse("- static_labels: {value: {a: b}}", "stage 1 (static_labels): unknown argument 'value' (line 1, column 19); static_labels takes values"));
    }

    static Stream<Case> json() {
        return Stream.of(
                accept("- json: {expressions: {a: '', b: c.d}}", new JsonStage.Args(map("a", "", "b", "c.d"), null, false)),
                accept("- json: {expressions: {a: a}, source: body, drop_malformed: 'true'}", new JsonStage.Args(map("a", "a"), "body", true)),
                refuse("- json: {}", "stage 1 (json): 'expressions' is required (a mapping like expressions: {a: b}) (line 1, column 3)"),
                refuse("- json: {expressions: {}}", "stage 1 (json): 'expressions' is empty; give at least one name: JMESPath pair (line 1, column 3)"),
                refuse("- json: {expressions: {a: a}, source: ''}", "stage 1 (json): 'source' is empty; leave it out to read the line (line 1, column 3)"),
                refuse("- json: {expressions: {a: a}, drop_malformed: maybe}",
                        "stage 1 (json): 'drop_malformed' must be true or false, found 'maybe' (line 1, column 31)"),
                refuse("- json: {expressions: {a: a}, drop_malformed: 1}",
                        "stage 1 (json): 'drop_malformed' must be true or false, found '1' (line 1, column 31)"),
                refuse("- json: {expression: {a: a}}", "stage 1 (json): unknown argument 'expression' (line 1, column 10); json takes expressions, source, drop_malformed"));
    }

    static Stream<Case> labels() {
        return Stream.of(
                accept("- labels: {values: {level: lvl, user: ''}}", new LabelsStage.Args(map("level", "lvl", "user", ""), "extracted")),
                refuse("- labels: {values: {a: ''}, source_type: structured_metadata}",
                        "stage 1 (labels): source_type 'structured_metadata' is not supported here; only 'extracted' (line 1, column 3)"),
                refuse("- labels: {values: {'bad-name': ''}}",
                        "stage 1 (labels): invalid label name 'bad-name'; label names match [a-zA-Z_][a-zA-Z0-9_]* (line 1, column 3)"),
                refuse("- labels: {}", "stage 1 (labels): 'values' is required (a mapping like values: {a: b}) (line 1, column 3)"));
    }

    static Stream<Case> cri() {
        return Stream.of(
                accept("- cri:", new CriStage.Args(100, 0L, false)),
                accept("- cri: {}", new CriStage.Args(100, 0L, false)),
                accept("- cri: {max_partial_lines: 2, max_partial_line_size: 64KB, max_partial_line_size_truncate: true}",
                        new CriStage.Args(2, 65_536L, true)),
                accept("- cri: {max_partial_lines: '{{RATE}}', max_partial_line_size_truncate: 'false'}", new CriStage.Args(5, 0L, false)),
                refuse("- cri: {max_partial_lines: 0}", "stage 1 (cri): max_partial_lines must be greater than 0 (line 1, column 3)"),
                refuse("- cri: {max_partial_lines: many}", "stage 1 (cri): 'max_partial_lines' must be a number, found 'many' (line 1, column 9)"),
                refuse("- cri: {max_partial_line_size: 1XB}", "stage 1 (cri): 'max_partial_line_size' has an unknown unit 'XB'; use B, KB, MB or GB (line 1, column 9)"),
                refuse("- cri: [a]", "stage 1 (cri): the arguments must be a mapping, found a list (line 1, column 8)"));
    }

    static Stream<Case> regex() {
        return Stream.of(
                accept("- regex: {expression: '(?P<ip>\\S+)'}", new RegexStage.Args("(?P<ip>\\S+)", null, false)),
                accept("- regex: {expression: x, source: msg, labels_from_groups: true}", new RegexStage.Args("x", "msg", true)),
                refuse("- regex: {source: msg}", "stage 1 (regex): 'expression' is required (line 1, column 3)"),
                refuse("- regex: {expression: '('}",
                        "stage 1 (regex): 'expression' is not a valid RE2 regular expression: error parsing regexp: missing closing ): `(` (line 1, column 3)"),
                refuse("- regex: {expression: x, source: ''}", "stage 1 (regex): 'source' is empty; leave it out to read the line (line 1, column 3)"));
    }

    static Stream<Case> timestamp() {
        return Stream.of(
                accept("- timestamp: {source: ts, format: RFC3339}", new TimestampStage.Args("ts", "RFC3339", List.of(), null, "fudge", "fudge")),
                accept("- timestamp: {source: ts, format: UnixMs, fallback_formats: [Unix], location: Europe/Paris, action_on_failure: skip}",
                        new TimestampStage.Args("ts", "UnixMs", List.of("Unix"), "Europe/Paris", "skip", "fudge")),
                accept("- timestamp: {source: ts, format: Unix, action_on_failure: '', action_on_duplicate_timestamp: keep, location: ''}",
                        new TimestampStage.Args("ts", "Unix", List.of(), "", "fudge", "keep")),
                refuse("- timestamp: {source: t, format: RFC3339, action_on_duplicate_timestamp: skip}",
                        "stage 1 (timestamp): invalid action_on_duplicate_timestamp 'skip'; use fudge or keep (line 1, column 3)"),
                refuse("- timestamp: {source: ts}", "stage 1 (timestamp): 'format' is required (line 1, column 3)"),
                refuse("- timestamp: {source: t, format: RFC3339, location: Mars/Base}",
                        "stage 1 (timestamp): invalid location 'Mars/Base': Unknown time-zone ID: Mars/Base (line 1, column 3)"),
                refuse("- timestamp: {source: t, format: RFC3339, action_on_failure: panic}",
                        "stage 1 (timestamp): invalid action_on_failure 'panic'; use fudge or skip (line 1, column 3)"),
                refuse("- timestamp: {source: t, format: RFC3339, fallback_formats: Unix}",
                        "stage 1 (timestamp): 'fallback_formats' must be a list of strings, like fallback_formats: [a, b], found 'Unix' (line 1, column 43)"));
    }

    static Stream<Case> output() {
        return Stream.of(
                accept("- output: {source: msg}", new OutputStage.Args("msg")),
                refuse("- output: {}", "stage 1 (output): 'source' is required (line 1, column 3)"),
                refuse("- output: {source: {a: b}}", "stage 1 (output): 'source' must be a single string, found a mapping (line 1, column 12)"));
    }

    static Stream<Case> logfmt() {
        return Stream.of(
                accept("- logfmt: {mapping: {user: '', level: lvl}}", new LogfmtStage.Args(map("user", "", "level", "lvl"), null, "")),
                accept("- logfmt: {regex: 'pod_.*', source: extra}", new LogfmtStage.Args(Map.of(), "extra", "pod_.*")),
                refuse("- logfmt: {source: extra}", "stage 1 (logfmt): logfmt needs 'mapping' (extracted name: logfmt key, like "
                        + "mapping: {user: ''}) or 'regex' (the logfmt keys to extract) (line 1, column 3)"),
                refuse("- logfmt: {mapping: {a: ''}, source: ''}", "stage 1 (logfmt): 'source' is empty; leave it out to read the line (line 1, column 3)"),
                refuse("- logfmt: {regex: '('}",
                        "stage 1 (logfmt): 'regex' is not a valid RE2 regular expression: error parsing regexp: missing closing ): `(` (line 1, column 3)"),
                refuse("- logfmt: {mapping: [a]}", "stage 1 (logfmt): 'mapping' must be a mapping like mapping: {a: b}, found a list (line 1, column 12)"));
    }

    static Stream<Case> pack() {
        return Stream.of(
                accept("- pack: {labels: [env, user_id]}", new PackStage.Args(List.of("env", "user_id"), true)),
                accept("- pack: {labels: [], ingest_timestamp: false}", new PackStage.Args(List.of(), false)),
                refuse("- pack: {ingest_timestamp: true}",
                        "stage 1 (pack): 'labels' is required: the extracted values and labels to pack, like labels: [pod, user_id] (line 1, column 3)"),
                refuse("- pack: {labels: env}", "stage 1 (pack): 'labels' must be a list of strings, like labels: [a, b], found 'env' (line 1, column 10)"));
    }

    static Stream<Case> noArguments() {
        return Stream.of(
                accept("- decolorize:", new DecolorizeStage.Args()),
                accept("- decolorize: {}", new DecolorizeStage.Args()),
                accept("- docker: {}", new DockerStage.Args()),
                refuse("- docker: {stream: stdout}", "stage 1 (docker): unknown argument 'stream' (line 1, column 12); docker takes no arguments"),
                refuse("- decolorize: {all: true}", "stage 1 (decolorize): unknown argument 'all' (line 1, column 16); decolorize takes no arguments"));
    }

    static Stream<Case> sampling() {
        return Stream.of(
                accept("- sampling: {rate: 0.25, drop_counter_reason: logs_sampling}", new SamplingStage.Args(0.25, "logs_sampling")),
                accept("- sampling: {rate: 1}", new SamplingStage.Args(1.0, "sampling_stage")),
                accept("- sampling: {rate: 0, drop_counter_reason: ''}", new SamplingStage.Args(0.0, "sampling_stage")),
                refuse("- sampling: {}", "stage 1 (sampling): 'rate' is required: the fraction of entries to keep, from 0 to 1, like rate: 0.25 (line 1, column 3)"),
                refuse("- sampling: {rate: 12}", "stage 1 (sampling): 'rate' must be between 0 and 1 (0.25 keeps a quarter), found 12.0 (line 1, column 3)"),
                refuse("- sampling: {rate: -0.5}", "stage 1 (sampling): 'rate' must be between 0 and 1 (0.25 keeps a quarter), found -0.5 (line 1, column 3)"),
                refuse("- sampling: {rate: half}", "stage 1 (sampling): 'rate' must be a number, found 'half' (line 1, column 14)"));
    }

    static Stream<Case> labelDropAndKeep() {
        return Stream.of(
                accept("- label_drop: {values: [a, b]}", new LabelDropStage.Args(List.of("a", "b"))),
                accept("- label_keep: {values: [a]}", new LabelKeepStage.Args(List.of("a"))),
                refuse("- label_drop: {values: []}", "stage 1 (label_drop): 'values' is required: the label names to drop (line 1, column 3)"),
                refuse("- label_keep: {}", "stage 1 (label_keep): 'values' is required: the label names to keep (line 1, column 3)"),
                refuse("- label_drop: {values: a}",
                        "stage 1 (label_drop): 'values' must be a list of strings, like values: [a, b], found 'a' (line 1, column 16)"),
                refuse("- label_keep: {values: [a, ~]}", "stage 1 (label_keep): 'values' must hold strings only, found an empty item (line 1, column 16)"),
                refuse("- label_drop: {values: [a, {b: c}]}", "stage 1 (label_drop): 'values' must hold strings only, found a mapping (line 1, column 16)"));
    }

    static Stream<Case> limit() {
        return Stream.of(
                accept("- limit: {rate: 10, burst: 20}", new LimitStage.Args(10.0, 20, false, "", 10_000)),
                accept("- limit: {rate: '{{RATE}}', burst: 1, drop: true, by_label_name: pod, max_distinct_labels: 50000}",
                        new LimitStage.Args(5.0, 1, true, "pod", 50_000)),
                refuse("- limit: {rate: 0, burst: 1}", "stage 1 (limit): rate and burst must both be greater than 0 (line 1, column 3)"),
                refuse("- limit: {rate: 1, burst: 1, by_label_name: x}", "stage 1 (limit): when limiting by_label_name, drop must be true (line 1, column 3)"),
                refuse("- limit: {rate: fast, burst: 1}", "stage 1 (limit): 'rate' must be a number, found 'fast' (line 1, column 11)"),
                refuse("- limit: {rate: '{{MISSING}}', burst: 1}",
                        "stage 1 (limit): Property with key [MISSING] not found in properties from text: {{MISSING}} (line 1, column 11)"));
    }

    static Stream<Case> match() {
        return Stream.of(
                accept("- match: {selector: '{a=\"b\"}', action: drop}", new MatchStage.Args("{a=\"b\"}", "drop", List.of(), "match_stage", "")),
                accept("- match: {selector: '{a=\"b\"}', pipeline_name: p, stages: [{static_labels: {values: {x: y}}}]}",
                        new MatchStage.Args("{a=\"b\"}", "keep",
                                List.of(new StageConfig(StageType.STATIC_LABELS, new StaticLabelsStage.Args(map("x", "y")))), "match_stage", "p")),
                refuse("- match: {selector: '{a=\"b\"}'}", "stage 1 (match): a match stage with action keep needs nested 'stages' (line 1, column 3)"),
                refuse("- match: {selector: '{a=\"b\"}', action: drop, stages: [{cri: {}}]}",
                        "stage 1 (match): a match stage with action drop cannot have nested 'stages' (line 1, column 3)"),
                refuse("- match: {selector: '{a=\"b\"}', action: hide}", "stage 1 (match): action must be keep or drop, found 'hide' (line 1, column 3)"),
                refuse("- match: {action: drop}", "stage 1 (match): 'selector' is required (line 1, column 3)"),
                refuse("""
                        - cri: {}
                        - match:
                            selector: '{a="b"}'
                            stages:
                              - json:
                                  expressions: {a: a}
                              - labels:
                                  values: {a: ''}
                                  source: x
                        """, "stage 2 (match) > stage 2 (labels): unknown argument 'source' (line 9, column 11); labels takes values, source_type"),
                refuse("- match: {selector: '{a=\"b\"}', stages: {json: {}}}",
                        "stage 1 (match): expected a YAML list of stages, like \"- drop: {expression: '^\\\\s*$'}\", found a mapping (line 1, column 40)"));
    }

    static Stream<Case> template() {
        return Stream.of(
                accept("- template: {source: app, template: '{{ .Value | ToLower }}'}", new TemplateStage.Args("app", "{{ .Value | ToLower }}")),
                accept("- template: {source: '{{DC}}', template: ''}", new TemplateStage.Args("east", "")),
                refuse("- template: {template: x}", "stage 1 (template): 'source' is required (line 1, column 3)"),
                refuse("- template: {source: a, template: '{{MISSING}}'}", "stage 1 (template): 'template' is not a valid Go template: "
                        + "function \"MISSING\" not defined at column 3 of the template (line 1, column 3)"));
    }

    static Stream<Case> replace() {
        return Stream.of(
                accept("- replace: {expression: '(a)'}", new ReplaceStage.Args("(a)", null, "")),
                accept("- replace: {expression: '(a)', source: '{{DC}}', replace: '{{ .Value }}'}", new ReplaceStage.Args("(a)", "east", "{{ .Value }}")),
                refuse("- replace: {replace: x}", "stage 1 (replace): 'expression' is required (line 1, column 3)"),
                refuse("- replace: {expression: '(a)', replace: '{{ .Value'}",
                        "stage 1 (replace): 'replace' is not a valid Go template: unclosed action: no }} at column 1 of the template (line 1, column 3)"));
    }

    static Stream<Case> multiline() {
        return Stream.of(
                accept("- multiline: {firstline: x}", new MultilineStage.Args("x", Duration.ofSeconds(3), 128L)),
                accept("- multiline: {firstline: x, max_wait_time: 500ms, max_lines: 0}", new MultilineStage.Args("x", Duration.ofMillis(500), 0L)),
                refuse("- multiline: {max_lines: 3}", "stage 1 (multiline): 'firstline' is required (line 1, column 3)"),
                refuse("- multiline: {firstline: '(['}", "stage 1 (multiline): 'firstline' is not a valid RE2 regular expression: "
                        + "error parsing regexp: missing closing ]: `[` (line 1, column 3)"),
                refuse("- multiline: {firstline: x, max_wait_time: 0s}",
                        "stage 1 (multiline): 'max_wait_time' must be greater than 0, like 3s (line 1, column 3)"),
                refuse("- multiline: {firstline: x, max_lines: -1}",
                        "stage 1 (multiline): 'max_lines' must not be negative (0 means no limit) (line 1, column 3)"),
                refuse("- multiline: {firstline: x, max_lines: many}",
                        "stage 1 (multiline): 'max_lines' must be a number, found 'many' (line 1, column 29)"),
                refuse("- multiline: {firstline: x, max_wait: 1s}", "stage 1 (multiline): unknown argument 'max_wait' (line 1, column 29); "
                        + "multiline takes firstline, max_wait_time, max_lines"));
    }

    static MetricsStage.Args metricsArgs(MetricsStage.Metric... metrics) {
        return new MetricsStage.Args(List.of(metrics));
    }

    static final String M = "stage 1 (metrics): metric 1 ";

    static Stream<Case> metrics() {
        Duration fiveMinutes = Duration.ofMinutes(5);
        return Stream.of(
                accept("- metrics: {metric: [{counter: {name: lines_total, action: inc, match_all: true}}]}",
                        metricsArgs(new MetricsStage.Metric(new MetricsStage.Counter("lines_total", "inc", "", "lines_total",
                                "loki_process_custom_", fiveMinutes, "", true, false), null, null))),
                accept("- metrics:\n    metric:\n      gauge: {name: q, action: set, source: s, prefix: my_, max_idle_duration: 1h, value: v}",
                        metricsArgs(new MetricsStage.Metric(null, new MetricsStage.Gauge("q", "set", "", "s", "my_", Duration.ofHours(1), "v"), null))),
                accept("- metrics: {metric: {histogram: {name: t, buckets: []}}}",
                        metricsArgs(new MetricsStage.Metric(null, null, new MetricsStage.Histogram("t", MetricsStage.DEFAULT_BUCKETS, "", "t",
                                "loki_process_custom_", fiveMinutes, "")))),
                accept("- metrics:", metricsArgs()),
                refuse("- metrics: {metric: [{counter: {name: a, action: inc}, gauge: {name: b, action: set}}]}",
                        "stage 1 (metrics): metric 1 must be exactly one of counter, gauge or histogram, "
                                + "like metric: [{counter: {name: lines_total, action: inc, match_all: true}}] (line 1, column 3)"),
                refuse("- metrics: {metric: {counter: {action: inc}}}", M + "(counter): 'name' is required (line 1, column 3)"),
                refuse("- metrics: {metric: {counter: {name: a, action: set}}}",
                        M + "(counter): 'action' must be inc or add, found 'set' (line 1, column 3)"),
                refuse("- metrics: {metric: {counter: {name: a, action: inc, match_all: true, value: x}}}",
                        M + "(counter): a counter takes match_all: true or a value, not both (line 1, column 3)"),
                refuse("- metrics: {metric: {counter: {name: a, action: inc, match_all: true, count_entry_bytes: true}}}",
                        M + "(counter): count_entry_bytes needs match_all: true and action: add (line 1, column 3)"),
                refuse("- metrics: {metric: {gauge: {name: a}}}", M + "(gauge): 'action' is required (line 1, column 3)"),
                refuse("- metrics: {metric: {gauge: {name: a, action: up}}}",
                        M + "(gauge): 'action' must be set, inc, dec, add or sub, found 'up' (line 1, column 3)"),
                refuse("- metrics: {metric: {gauge: {name: a, action: set, max_idle_duration: 500ms}}}",
                        M + "(gauge): 'max_idle_duration' must be 1s or more (line 1, column 3)"),
                refuse("- metrics: {metric: {histogram: {name: a}}}",
                        M + "(histogram): 'buckets' is required (a list of upper bounds, like buckets: [0.1, 0.5, 1]) (line 1, column 3)"),
                refuse("- metrics: {metric: {histogram: {name: a, buckets: [1, 0.5]}}}",
                        M + "(histogram): 'buckets' must be in increasing order, found [1.0, 0.5] (line 1, column 3)"),
                refuse("- metrics: {metric: {gauge: {name: queue_bucket, action: set}}}",
                        M + "(gauge): the metric name 'loki_process_custom_queue_bucket' cannot be exported (The metric name must not "
                                + "include the '_bucket' suffix); choose another name or prefix (line 1, column 3)"),
                refuse("- metrics: {metric: {counter: {name: a.b, action: inc}}}",
                        M + "(counter): the metric name 'loki_process_custom_a.b' cannot be exported (a Prometheus metric name "
                                + "matches [a-zA-Z_:][a-zA-Z0-9_:]*); choose another name or prefix (line 1, column 3)"),
                refuse("- metrics: {metric: [{counter: {nme: a}}]}",
                        "stage 1 (metrics): unknown argument 'nme' (line 1, column 33); metrics takes metric"),
                refuse("- metrics: {metrics: []}", "stage 1 (metrics): unknown argument 'metrics' (line 1, column 13); metrics takes metric"));
    }

    static Stream<Case> structuredMetadata() {
        return Stream.of(
                accept("- structured_metadata: {}", new StructuredMetadataStage.Args(map(), "")),
                accept("- structured_metadata: {values: {env: '', user: username}, regex: 'pod_.*'}",
                        new StructuredMetadataStage.Args(map("env", "", "user", "username"), "pod_.*")),
                refuse("- structured_metadata: {values: {'trace-id': ''}}",
                        "stage 1 (structured_metadata): invalid label name 'trace-id'; label names match [a-zA-Z_][a-zA-Z0-9_]* (line 1, column 3)"),
                refuse("- structured_metadata: {regex: '(pod'}", "stage 1 (structured_metadata): 'regex' is not a valid RE2 regular expression: "
                        + "error parsing regexp: missing closing ): `(pod` (line 1, column 3)"));
    }

    static Stream<Case> tenant() {
        return Stream.of(
                accept("- tenant: {value: team-a}", new TenantStage.Args("", "", "team-a")),
                accept("- tenant: {source: customer_id}", new TenantStage.Args("", "customer_id", "")),
                accept("- tenant: {label: namespace}", new TenantStage.Args("namespace", "", "")),
                refuse("- tenant: {}", "stage 1 (tenant): one of 'label', 'source' or 'value' is required: where the tenant comes from (line 1, column 3)"),
                refuse("- tenant: {source: customer_id, value: team-a}",
                        "stage 1 (tenant): 'label', 'source' and 'value' exclude each other; set only one (line 1, column 3)"));
    }

    static Stream<Case> file() {
        return Stream.of(
                refuse("- nosuch: {}", "stage 1 (nosuch): unknown stage 'nosuch' (line 1, column 3); supported: " + StageType.names()),
                refuse("- cri: {}\n- json: {expressions: {a: a}}\n  drop: {expression: x}\n",
                        "stage 2: each stage is a mapping with exactly one block name (" + StageType.names() + "), found a second one, 'drop' (line 3, column 3)"),
                refuse("- cri\n", "stage 1: each stage is a mapping with exactly one block name (" + StageType.names() + "), found 'cri' (line 1, column 3)"),
                refuse("cri: {}\n", "expected a YAML list of stages, like \"- drop: {expression: '^\\\\s*$'}\", found a mapping (line 1, column 1)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drop")
    void drop(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("staticLabels")
    void static_labels(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("json")
    void json(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labels")
    void labels(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cri")
    void cri(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regex")
    void regex(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestamp")
    void timestamp(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("output")
    void output(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logfmt")
    void logfmt(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pack")
    void pack(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noArguments")
    void decolorize_and_docker(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampling")
    void sampling(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labelDropAndKeep")
    void label_drop_and_label_keep(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limit")
    void limit(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("match")
    void match(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("template")
    void template(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("multiline")
    void multiline(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replace")
    void replace(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("metrics")
    void metrics(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structuredMetadata")
    void structured_metadata(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tenant")
    void tenant(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("file")
    void the_file_around_the_stages(Case c) {
        check(c);
    }

    @Test
    void every_stage_type_has_a_table_here() {
        assertThat(Stream.of(drop(), staticLabels(), json(), labels(), cri(), regex(), timestamp(), output(), labelDropAndKeep(),
                limit(), match(), logfmt(), pack(), noArguments(), sampling(), template(), replace(), multiline(), metrics(), structuredMetadata(), tenant()).flatMap(s -> s).map(c -> c.yaml().strip().split(":")[0].substring(2)).distinct().sorted())
                .containsExactlyElementsOf(Stream.of(StageType.values()).map(StageType::blockName).sorted().toList());
    }

    @Test
    void a_yaml_mistake_is_reported_as_one_before_any_stage() {
        assertThatThrownBy(() -> read("- nosuch: {}\n- drop: {expression: 'x'\n"))
                .isInstanceOf(PipelineConfigException.class).hasMessageStartingWith("t.yaml: not valid YAML: ");
    }

    @Test
    void an_empty_file_has_no_stages() {
        assertThat(read("")).isEmpty();
        assertThat(read("# nothing yet\n")).isEmpty();
    }
}
