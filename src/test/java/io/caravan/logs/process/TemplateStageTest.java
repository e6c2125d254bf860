package io.caravan.logs.process;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * stage.template, one table: the stage file, the extracted map and line before, and the extracted map and line
 * after, or the refusal at start-up. Cases are the examples of Alloy's stage.template documentation and the edge
 * cases it and Alloy's stage tests state, in our words.
 */
class TemplateStageTest {

    static final String LINE = "the line";

    static Stream<Arguments> cases() {
        return Stream.of(
                // the documented examples
                arguments("a constant creates the key", "- template: {source: new_key, template: hello_world}",
                        Map.of(), LINE, Map.of("new_key", "hello_world"), LINE),
                arguments(".Value is the source's value", "- template: {source: app, template: '{{ ToLower .Value }}_some_suffix'}",
                        Map.of("app", "LOKI"), LINE, Map.of("app", "loki_some_suffix"), LINE),
                arguments("every extracted key is a field", """
                        - template: {source: output_msg, template: '{{ .level }} for app {{ ToUpper .app }} in module {{.module}}'}""",
                        Map.of("level", "warn", "app", "loki", "module", "test"), LINE,
                        Map.of("level", "warn", "app", "loki", "module", "test", "output_msg", "warn for app LOKI in module test"), LINE),
                arguments(".Entry is the line, here prefixed through output", """
                        - template: {source: message, template: '{{.app }}: {{ .Entry }}'}
                        - output: {source: message}""",
                        Map.of("app", "loki"), LINE, Map.of("app", "loki", "message", "loki: the line"), "loki: the line"),
                arguments("ToLower and ToUpper, called and piped", """
                        - template: {source: out, template: '{{ ToLower .app }}'}
                        - template: {source: out2, template: '{{ .app | ToUpper }}'}""",
                        Map.of("app", "Loki"), LINE, Map.of("app", "Loki", "out", "loki", "out2", "LOKI"), LINE),
                arguments("Replace the first n", "- template: {source: output, template: '{{ Replace .Value \"loki\" \"Loki\" 2 }}'}",
                        Map.of("output", "loki loki loki"), LINE, Map.of("output", "Loki Loki loki"), LINE),
                arguments("Trim, TrimSpace, TrimPrefix", """
                        - template: {source: a, template: '{{ Trim .Value ",. " }}'}
                        - template: {source: b, template: '{{ TrimSpace .Value }}'}
                        - template: {source: c, template: '{{ TrimPrefix .Value "--" }}'}""",
                        Map.of("a", ". ,x,.", "b", " y\t", "c", "--z"), LINE, Map.of("a", "x", "b", "y", "c", "z"), LINE),
                arguments("regexReplaceAll with ${1}", "- template: {source: output, template: '{{ regexReplaceAll \"(a*)bc\" .Value \"${1}a\" }}'}",
                        Map.of("output", "aabc xbc"), LINE, Map.of("output", "aaa xa"), LINE),
                arguments("regexReplaceAllLiteral", "- template: {source: output, template: '{{ regexReplaceAllLiteral \"(ts=)\" .Value \"timestamp=\" }}'}",
                        Map.of("output", "ts=12 level=info"), LINE, Map.of("output", "timestamp=12 level=info"), LINE),
                arguments("Hash and Sha2Hash", """
                        - template: {source: h3, template: '{{ Hash .Value "salt" }}'}
                        - template: {source: h2, template: '{{ Sha2Hash .pii "salt" }}'}""",
                        Map.of("h3", "this is PII data", "pii", "this is PII data"), LINE,
                        Map.of("pii", "this is PII data", "h3", "0807ea24e992127128b38e4930f7155013786a4999c73a25910318a793847658",
                                "h2", "5526fd6f8ad457279cf8ff06453c6cb61bf479fa826e3b099caa6c846f9376f2"), LINE),
                arguments("a sprig function", "- template: {source: testval, template: '{{ add 7 3 }}'}",
                        Map.of("testval", "Value"), LINE, Map.of("testval", "10"), LINE),
                // Alloy's pipeline: json, three templates, and labels that read them
                arguments("json then templates", """
                        - json: {expressions: {app: app, level: level}}
                        - template: {source: app, template: '{{ .Value | ToUpper }} doki'}
                        - template: {source: level, template: '{{ if eq .Value "WARN" }}{{ Replace .Value "WARN" "OK" -1 }}{{ else }}{{ .Value }}{{ end }}'}
                        - template: {source: nonexistent, template: TEST}""",
                        Map.of(), "{\"app\":\"loki\",\"level\":\"WARN\",\"nested\":{\"child\":\"value\"}}",
                        Map.of("app", "LOKI doki", "level", "OK", "nonexistent", "TEST"), null),
                // edge cases
                arguments("a missing key prints <no value>", "- template: {source: message, template: '{{.Value}} in module {{.module}}'}",
                        Map.of("message", "warn for app loki"), LINE, Map.of("message", "warn for app loki in module <no value>"), LINE),
                arguments("a function given a missing source fails: the entry stays", "- template: {source: testval, template: '{{ .Value | ToLower }}'}",
                        Map.of("other", "x"), LINE, Map.of("other", "x"), LINE),
                arguments("an empty result removes the key", "- template: {source: testval, template: ''}",
                        Map.of("testval", "WOOOOO"), LINE, Map.of(), LINE),
                arguments("an empty result adds no key", "- template: {source: testval, template: '{{ if .nothere }}x{{ end }}'}",
                        Map.of(), LINE, Map.of(), LINE),
                arguments("a null extracted value is no field; the others still are", """
                        - template: {source: level, template: '{{ Replace .Value "Warning" "warn" 1 }}{{ if .testval }}!{{ end }}'}""",
                        Map.of("level", "Warning", "testval", Extracted.NULL), LINE, Map.of("level", "warn", "testval", Extracted.NULL), LINE),
                arguments("numbers and booleans read as Go prints them", "- template: {source: n, template: '{{ .Value }}/{{ .ok }}'}",
                        Map.of("n", 2.5, "ok", true), LINE, Map.of("n", "2.5/true", "ok", true), LINE),
                arguments("the template is not a placeholder", "- template: {source: s, template: '{{DC}}'}",
                        Map.of(), LINE, new ExtractedRunner.Refused("t.yaml: stage 1 (template): 'template' is not a valid Go template: function \"DC\" not defined"
                                + " at column 3 of the template (line 1, column 3)"), null),
                // refused at start-up
                arguments("source is required", "- template: {template: x}", Map.of(), LINE,
                        new ExtractedRunner.Refused("t.yaml: stage 1 (template): 'source' is required (line 1, column 3)"), null),
                arguments("template is required", "- template: {source: a}", Map.of(), LINE,
                        new ExtractedRunner.Refused("t.yaml: stage 1 (template): 'template' is required (a Go template, like template: '{{ .Value | ToLower }}')"
                                + " (line 1, column 3)"), null),
                arguments("a template Go would not parse", "- template: {source: a, template: '{{{.Value}}}'}", Map.of(), LINE,
                        new ExtractedRunner.Refused("t.yaml: stage 1 (template): 'template' is not a valid Go template: unexpected '{' in action"
                                + " at column 3 of the template (line 1, column 3)"), null),
                arguments("template must be a string", "- template: {source: a, template: [x]}", Map.of(), LINE,
                        new ExtractedRunner.Refused("t.yaml: stage 1 (template): 'template' must be a single string, found a list (line 1, column 25)"), null)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void template(String name, String yaml, Map<String, Object> extracted, String line, Object want, String wantLine) {
        ExtractedRunner.check(yaml, extracted, line, want, wantLine);
    }
}
