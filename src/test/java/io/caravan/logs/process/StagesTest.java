package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * One table: stages, input labels and line, and what comes out (labels and line, or null for dropped).
 * Cases follow Alloy's documented examples and its stage tests, in our words.
 */
class StagesTest {

    static final Labels APP = Labels.of("app", "api", "namespace", "prod");

    static Stream<Arguments> cases() {
        return Stream.of(
                // static_labels
                arguments("static_labels sets labels", "- static_labels: {values: {source: kubernetes, team: core}}",
                        APP, "x", Labels.of("app", "api", "namespace", "prod", "source", "kubernetes", "team", "core"), "x"),
                arguments("static_labels overrides and skips empty", "- static_labels: {values: {app: web, empty: ''}}",
                        APP, "x", Labels.of("app", "web", "namespace", "prod"), "x"),
                // drop: expression on the line
                arguments("drop blank line", "- drop: {expression: '^\\s*$'}", APP, "   ", null, null),
                arguments("drop keeps non-blank", "- drop: {expression: '^\\s*$'}", APP, " a ", APP, " a "),
                arguments("drop expression is unanchored", "- drop: {expression: 'debug'}", APP, "level=debug msg=x", null, null),
                // drop: source semantics
                arguments("drop source only: present drops", "- drop: {source: app}", APP, "x", null, null),
                arguments("drop source only: missing keeps", "- drop: {source: nothere}", APP, "x", APP, "x"),
                arguments("drop source list: all must be present", "- drop: {source: [app, nothere]}", APP, "x", APP, "x"),
                arguments("drop source + value", "- drop: {source: namespace, value: prod}", APP, "x", null, null),
                arguments("drop source + value, other value", "- drop: {source: namespace, value: dev}", APP, "x", APP, "x"),
                arguments("drop value is literal, not a regex", "- drop: {source: app, value: 'a.i'}", APP, "x", APP, "x"),
                arguments("drop sources joined with separator", "- drop: {source: 'app,namespace', separator: '|', expression: '^api\\|prod$'}",
                        APP, "x", null, null),
                arguments("drop: missing source left out of the join", "- drop: {source: [nothere, app], expression: '^api$'}",
                        APP, "x", null, null),
                arguments("drop: missing single source matches as empty", "- drop: {source: nothere, expression: '^$'}",
                        APP, "x", null, null),
                arguments("drop longer_than", "- drop: {longer_than: 4}", APP, "12345", null, null),
                arguments("drop longer_than counts bytes", "- drop: {longer_than: 4}", APP, "ééé", null, null),
                arguments("drop longer_than keeps short", "- drop: {longer_than: 8}", APP, "12345", APP, "12345"),
                arguments("drop options AND together", "- drop: {longer_than: 2, expression: 'zzz'}", APP, "12345", APP, "12345"),
                arguments("drop older_than (entry at epoch)", "- drop: {older_than: 1h}", APP, "old", null, null),
                arguments("two drop stages OR", "- drop: {expression: 'a'}\n- drop: {expression: 'b'}", APP, "b", null, null),
                // json + labels
                arguments("json nested path to label", """
                        - json: {expressions: {user: user.username, code: responseStatus.code}}
                        - labels: {values: {user: '', status: code}}""",
                        Labels.EMPTY, "{\"user\":{\"username\":\"alice\"},\"responseStatus\":{\"code\":201}}",
                        Labels.of("user", "alice", "status", "201"), null),
                arguments("json float formatting as Go", """
                        - json: {expressions: {v: v}}
                        - labels: {values: {v: ''}}""", Labels.EMPTY, "{\"v\":0.25}", Labels.of("v", "0.25"), null),
                arguments("json bool", """
                        - json: {expressions: {ok: ok}}
                        - labels: {values: {ok: ''}}""", Labels.EMPTY, "{\"ok\":true}", Labels.of("ok", "true"), null),
                arguments("json object value becomes its JSON text", """
                        - json: {expressions: {o: obj}}
                        - output: {source: o}""", Labels.EMPTY, "{\"obj\": {\"a\": [1, \"<b>\"]}}", Labels.EMPTY, "{\"a\":[1,\"\\u003cb\\u003e\"]}"),
                arguments("json null is present but no label", """
                        - json: {expressions: {n: n}}
                        - labels: {values: {n: ''}}
                        - drop: {source: n}""", Labels.EMPTY, "{\"n\":null}", null, null),
                arguments("json missing key is present (null), as in Alloy", """
                        - json: {expressions: {gone: nothere}}
                        - drop: {source: gone, expression: '.*'}""", APP, "{\"a\":1}", APP, "{\"a\":1}"),
                arguments("json JMESPath function", """
                        - json: {expressions: {first: 'items[0].name', n: 'length(items)'}}
                        - labels: {values: {first: '', n: ''}}""",
                        Labels.EMPTY, "{\"items\":[{\"name\":\"x\"},{\"name\":\"y\"}]}", Labels.of("first", "x", "n", "2"), null),
                arguments("json empty expression uses the name", """
                        - json: {expressions: {level: ''}}
                        - labels: {values: {level: ''}}""", Labels.EMPTY, "{\"level\":\"info\"}", Labels.of("level", "info"), null),
                arguments("json from source", """
                        - regex: {expression: '^(?P<body>\\{.*\\})$'}
                        - json: {expressions: {m: msg}, source: body}
                        - output: {source: m}""", Labels.EMPTY, "{\"msg\":\"hi\"}", Labels.EMPTY, "hi"),
                arguments("json malformed passes on", "- json: {expressions: {a: a}}", APP, "not json", APP, "not json"),
                arguments("json malformed dropped", "- json: {expressions: {a: a}, drop_malformed: true}", APP, "{\"a\":", null, null),
                arguments("json array at top level is malformed", "- json: {expressions: {a: a}, drop_malformed: true}", APP, "[1]", null, null),
                arguments("json trailing garbage is malformed", "- json: {expressions: {a: a}, drop_malformed: true}", APP, "{\"a\":1} x", null, null),
                arguments("labels source key differs", """
                        - regex: {expression: 'lvl=(?P<lvl>\\w+)'}
                        - labels: {values: {level: lvl}}""", Labels.EMPTY, "lvl=warn msg=x", Labels.of("level", "warn"), null),
                // regex
                arguments("regex named groups and labels_from_groups", "- regex: {expression: '^(?P<ip>\\S+) (?P<method>[A-Z]+)', labels_from_groups: true}",
                        Labels.EMPTY, "10.0.0.1 GET /", Labels.of("ip", "10.0.0.1", "method", "GET"), null),
                arguments("regex no match leaves entry", "- regex: {expression: '^(?P<x>\\d+)$', labels_from_groups: true}",
                        APP, "abc", APP, "abc"),
                // output
                arguments("output replaces the line", """
                        - json: {expressions: {msg: message}}
                        - output: {source: msg}""", APP, "{\"message\":\"hello\"}", APP, "hello"),
                arguments("output missing source keeps line", "- output: {source: nothere}", APP, "keep", APP, "keep"),
                // label_drop / label_keep
                arguments("label_drop", "- label_drop: {values: [namespace]}", APP, "x", Labels.of("app", "api"), "x"),
                arguments("label_keep", "- label_keep: {values: [namespace]}", APP, "x", Labels.of("namespace", "prod"), "x"),
                // cri
                arguments("cri full line", "- cri: {}", Labels.EMPTY, "2019-04-30T02:12:41.8443515Z stdout F my log line",
                        Labels.of("stream", "stdout"), "my log line"),
                arguments("cri without flag, many spaces", "- cri: {}", Labels.EMPTY, "2019-04-30T02:12:41Z  stderr   oops",
                        Labels.of("stream", "stderr"), "oops"),
                arguments("cri not cri passes", "- cri: {}", APP, "plain line", APP, "plain line"),
                // match
                arguments("match keep runs nested stages", """
                        - match:
                            selector: '{app="api"}'
                            stages:
                              - static_labels: {values: {matched: "yes"}}""", APP, "x",
                        Labels.of("app", "api", "namespace", "prod", "matched", "yes"), "x"),
                arguments("match no match skips nested", """
                        - match:
                            selector: '{app=~"web|db"}'
                            stages:
                              - static_labels: {values: {matched: "yes"}}""", APP, "x", APP, "x"),
                arguments("match drop with line filter", """
                        - match: {selector: '{namespace="prod"} |= "healthz"', action: drop}""", APP, "GET /healthz 200", null, null),
                arguments("match drop, filter not matching", """
                        - match: {selector: '{namespace="prod"} |~ "health[z]" != "GET"', action: drop}""", APP, "GET /healthz", APP, "GET /healthz"),
                arguments("match negative matcher on missing label", """
                        - match: {selector: '{app="api", team!="core"}', action: drop}""", APP, "x", null, null),
                // timestamp
                arguments("timestamp RFC3339 then drop older_than", """
                        - regex: {expression: '^(?P<ts>\\S+)'}
                        - timestamp: {source: ts, format: RFC3339}
                        - drop: {older_than: 1h}""", APP, "2000-01-01T00:00:00Z old", null, null)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stage(String name, String yaml, Labels labels, String line, Labels wantLabels, String wantLine) {
        LogEntry out = new StageRunner(yaml).one(labels, line);
        if (wantLabels == null) {
            assertThat(out).as("dropped").isNull();
            return;
        }
        assertThat(out).as("kept").isNotNull();
        assertThat(out.labels()).isEqualTo(wantLabels);
        assertThat(out.line()).isEqualTo(wantLine == null ? line : wantLine);
    }
}
