package io.caravan.logs.process;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * stage.replace, one table: the stage file, the extracted map and line before, and the extracted map and line
 * after, or the refusal at start-up. Cases are the examples of Alloy's stage.replace documentation and its stage
 * tests, in our words, and the edge cases they state.
 */
class ReplaceStageTest {

    static final String ACCESS = "11.11.11.11 - frank [25/Jan/2000:14:00:01 -0500] \"GET /1986.js HTTP/1.1\" 200 932 \"-\" \"Mozilla/5.0 (X11)\"";
    static final String STATUS_OK_OR_UPPER = "'{{ if eq .Value \"200\" }}{{ Replace .Value \"200\" \"HttpStatusOk\" -1 }}{{ else }}{{ .Value | ToUpper }}{{ end }}'";
    static final String ACCESS_REPLACED = "11.11.11.11 - FRANK [25/JAN/2000:14:00:01 -0500] \"GET /1986.JS HTTP/1.1\" HttpStatusOk 932 \"-\" \"MOZILLA/5.0 (X11)\"";

    static Stream<Arguments> cases() {
        return Stream.of(
                // the documented examples
                arguments("a password masked in the line", "- replace: {expression: 'password (\\S+)', replace: '*****'}", Map.of(),
                        "2023-01-01T01:00:00.000000001Z stderr P i'm a log message who has sensitive information with password xyz!",
                        Map.of(), "2023-01-01T01:00:00.000000001Z stderr P i'm a log message who has sensitive information with password *****"),
                arguments("a source from json is replaced in extracted, the line stays", """
                        - json: {expressions: {level: '', msg: ''}}
                        - replace: {expression: '\\S+ - "POST (\\S+) .*', source: msg, replace: redacted_url}""", Map.of(),
                        "{\"level\": \"info\", \"msg\":\"11.11.11.11 - \\\"POST /loki/api/push/ HTTP/1.1\\\" 200 932\"}",
                        Map.of("level", "info", "msg", "11.11.11.11 - \"POST redacted_url HTTP/1.1\" 200 932"), null),
                arguments("named groups as a template's .Value, and into extracted", """
                        - replace:
                            expression: '^(?P<ip>\\S+) (?P<identd>\\S+) (?P<user>\\S+) \\[(?P<timestamp>[\\w:/]+\\s[+\\-]\\d{4})\\]'
                            replace: '{{ .Value | ToUpper }}'""", Map.of(), "11.11.11.11 - alloy [01/Jan/2023:00:00:01 +0200]",
                        Map.of("ip", "11.11.11.11", "identd", "-", "user", "ALLOY", "timestamp", "01/JAN/2023:00:00:01 +0200"),
                        "11.11.11.11 - ALLOY [01/JAN/2023:00:00:01 +0200]"),
                arguments("an if in the template, over unnamed groups", """
                        - replace:
                            expression: '^(\\S+) (\\S+) (\\S+) \\[([\\w:/]+\\s[+\\-]\\d{4})\\] "(\\S+)\\s?(\\S+)?\\s?(\\S+)?" (\\d{3}|-) (\\d+|-)\\s?"?([^"]*)"?\\s?"?([^"]*)?"?$'
                            replace: %s""".formatted(STATUS_OK_OR_UPPER), Map.of(), ACCESS, Map.of(), ACCESS_REPLACED),
                arguments("IPs masked with a salted hash, every match", """
                        - replace: {expression: '(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})', replace: '*IP4*{{ .Value | Hash "salt" }}*'}""",
                        Map.of(), "from 11.11.11.11 to 10.0.0.1", Map.of(),
                        "from *IP4*336c9097a88535ea5512706629bd1015b0d8f8960002963d217296eac31ab746*"
                                + " to *IP4*ef1b64f408461af2b54cfb92089a7a56e17e628eb136c03a6238cd34fe2b6d77*"),
                // Alloy's stage tests
                arguments("a plain replacement of one group", "- replace: {expression: '11.11.11.11 - (\\S+) .*', replace: dummy}", Map.of(),
                        ACCESS, Map.of(), ACCESS.replace("frank", "dummy")),
                arguments("an empty replace removes what the group captured", "- replace: {expression: '11.11.11.11 - (\\S+\\s)', replace: ''}",
                        Map.of(), ACCESS, Map.of(), ACCESS.replace("frank ", "")),
                arguments("replace left out is empty", "- replace: {expression: '11.11.11.11 - (\\S+\\s)'}",
                        Map.of(), ACCESS, Map.of(), ACCESS.replace("frank ", "")),
                arguments("adjacent matches all go", "- replace: {expression: '(a|b|c)', replace: ''}", Map.of(), "abc", Map.of(), ""),
                arguments("nested named groups: outer written, every group extracted", """
                        - replace:
                            expression: '(?P<ip_user>^(?P<ip>\\S+) (?P<identd>\\S+) (?P<user>\\S+)) \\[(?P<timestamp>[\\w:/]+\\s[+\\-]\\d{4})\\] "(?P<action_path>(?P<action>\\S+)\\s?(?P<path>\\S+)?)\\s?(?P<protocol>\\S+)?" (?P<status>\\d{3}|-) (\\d+|-)\\s?"?(?P<referer>[^"]*)"?\\s?"?(?P<useragent>[^"]*)?"?$'
                            replace: %s""".formatted(STATUS_OK_OR_UPPER), Map.of(), ACCESS,
                        Map.ofEntries(Map.entry("ip_user", "11.11.11.11 - FRANK"), Map.entry("ip", "11.11.11.11"), Map.entry("identd", "-"),
                                Map.entry("user", "FRANK"), Map.entry("timestamp", "25/JAN/2000:14:00:01 -0500"),
                                Map.entry("action_path", "GET /1986.JS"), Map.entry("action", "GET"), Map.entry("path", "/1986.JS"),
                                Map.entry("protocol", "HTTP/1.1"), Map.entry("status", "HttpStatusOk"), Map.entry("referer", "-"),
                                Map.entry("useragent", "MOZILLA/5.0 (X11)")), ACCESS_REPLACED),
                // edge cases
                arguments("every match of every group", "- replace: {expression: '(\\d+)', replace: '#'}", Map.of(), "a1b22c", Map.of(), "a#b#c"),
                arguments("an expression without groups replaces nothing", "- replace: {expression: 'frank', replace: x}", Map.of(),
                        ACCESS, Map.of(), ACCESS),
                arguments("no match leaves the line", "- replace: {expression: '(zzz)', replace: x}", Map.of(), "abc", Map.of(), "abc"),
                arguments("a missing source leaves the entry", "- replace: {expression: '(a)', source: s, replace: x}", Map.of(), "abc",
                        Map.of(), "abc"),
                arguments("a null source leaves the entry", "- replace: {expression: '(a)', source: s, replace: x}", Map.of("s", Extracted.NULL),
                        "abc", Map.of("s", Extracted.NULL), "abc"),
                arguments("a number source is read as text and written back as text", "- replace: {expression: '(\\.\\d+)', source: n, replace: ''}",
                        Map.of("n", 2.5), "abc", Map.of("n", "2"), "abc"),
                arguments("extracted values are fields, the line is not", "- replace: {expression: '(b)', replace: '{{ .app }}/{{ .Entry }}'}",
                        Map.of("app", "loki"), "abc", Map.of("app", "loki"), "aloki/<no value>c"),
                arguments("a template that fails leaves the entry", "- replace: {expression: '(?P<x>b)', replace: '{{ .nothere | ToUpper }}'}",
                        Map.of(), "abc", Map.of(), "abc"),
                // refused at start-up
                arguments("expression is required", "- replace: {replace: x}", Map.of(), "",
                        new ExtractedRunner.Refused("t.yaml: stage 1 (replace): 'expression' is required (line 1, column 3)"), null),
                arguments("an expression RE2 refuses", "- replace: {expression: '(?P<ts[0-9]+).*'}", Map.of(), "",
                        new ExtractedRunner.Refused("t.yaml: stage 1 (replace): 'expression' is not a valid RE2 regular expression: "
                                + "error parsing regexp: invalid named capture: `(?P<ts[0-9]+).*` (line 1, column 3)"), null),
                arguments("a replace template Go would not parse", "- replace: {expression: '(a)', replace: '{{ if .x }}'}", Map.of(), "",
                        new ExtractedRunner.Refused("t.yaml: stage 1 (replace): 'replace' is not a valid Go template: {{if}} has no matching {{end}}"
                                + " at column 1 of the template (line 1, column 3)"), null),
                arguments("an empty source", "- replace: {expression: '(a)', source: ''}", Map.of(), "",
                        new ExtractedRunner.Refused("t.yaml: stage 1 (replace): 'source' is empty; leave it out to read the line (line 1, column 3)"), null)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void replace(String name, String yaml, Map<String, Object> extracted, String line, Object want, String wantLine) {
        ExtractedRunner.check(yaml, extracted, line, want, wantLine);
    }
}
