package io.caravan.logs.process.gotemplate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The template engine, one table: a template, the data, and what it renders, or why it fails on that data
 * (the stage then leaves the entry alone), or why it is refused when parsed. Cases follow Go's text/template
 * rules and the functions Alloy documents for stage.template, in our words.
 */
class GoTemplateTest {

    /** Run-time failure: the message holds this. */
    record Fails(String reason) {
    }

    /** Refused at parse: the whole message. */
    record Refused(String message) {
    }

    static final Map<String, String> DATA = Map.of("Value", "Some Silly Value", "app", "loki", "level", "WARN",
            "n", "5", "empty", "", "a-b", "dashed", "pii", "this is PII data", "padded", "  x  ");

    static Stream<Arguments> cases() {
        return Stream.of(
                // text, fields, literals
                arguments("plain text", "hello_world", DATA, "hello_world"),
                arguments("a field", "{{ .app }}_some_suffix", DATA, "loki_some_suffix"),
                arguments("a missing key prints <no value>", "in module {{.module}}", DATA, "in module <no value>"),
                arguments("index reaches keys that are no identifiers", "{{ index . \"a-b\" }}", DATA, "dashed"),
                arguments("string escapes and raw strings", "{{ \"a\\tb\\\"c\\u00e9\" }}|{{ `x\\ny` }}", DATA, "a\tb\"cé|x\\ny"),
                arguments("numbers, booleans, nil", "{{ 42 }} {{ -3 }} {{ 0x1F }} {{ 1.5 }} {{ 1e6 }} {{ true }} {{ 'a' }}", DATA,
                        "42 -3 31 1.5 1e+06 true 97"),
                arguments("comments print nothing", "a{{/* note */}}b", DATA, "ab"),
                // trim markers
                arguments("trim markers take the whitespace beside them", "a  \n {{- .app -}} \n  b", DATA, "alokib"),
                arguments("a dash without a space is a number, not a trim marker", "a {{-3}} b", DATA, "a -3 b"),
                // pipelines and calls
                arguments("piped value is the last argument", "{{ .Value | ToUpper }}", DATA, "SOME SILLY VALUE"),
                arguments("call with arguments", "{{ ToLower .Value }}", DATA, "some silly value"),
                arguments("chained pipeline", "{{ Replace .Value \" \" \"_\" -1 | ToLower }}", DATA, "some_silly_value"),
                arguments("parenthesised call as an argument", "{{ printf \"%s/%s\" (ToUpper .app) .level }}", DATA, "LOKI/WARN"),
                arguments("parenthesised pipeline", "{{ (.app | ToUpper) | printf \"<%s>\" }}", DATA, "<LOKI>"),
                // if / else if / else
                arguments("if with else", "{{ if eq .level \"WARN\" }}{{ Replace .level \"WARN\" \"OK\" -1 }}{{ else }}{{ .level }}{{ end }}",
                        DATA, "OK"),
                arguments("else if chain", "{{ if eq .app \"x\" }}1{{ else if eq .app \"loki\" }}2{{ else }}3{{ end }}", DATA, "2"),
                arguments("if on a missing key and an empty string is false", "{{ if .nothere }}y{{ else if .empty }}e{{ else }}n{{ end }}",
                        DATA, "n"),
                arguments("nested if", "{{ if .app }}{{ if not .empty }}in{{ end }}{{ end }}", DATA, "in"),
                // comparisons and logic
                arguments("eq takes several candidates", "{{ eq .level \"INFO\" \"WARN\" }}", DATA, "true"),
                arguments("ne, lt, le, gt, ge", "{{ ne 1 2 }} {{ lt 1 2 }} {{ le \"b\" \"a\" }} {{ gt 2.5 1.5 }} {{ ge 3 3 }}", DATA,
                        "true true false true true"),
                arguments("or gives the first true value", "{{ or .nothere .empty \"fallback\" }}", DATA, "fallback"),
                arguments("and stops at the first false value", "{{ and .app .empty (ToUpper .nothere) }}", DATA, ""),
                arguments("len counts bytes", "{{ len \"é\" }} {{ len .app }}", DATA, "2 4"),
                arguments("print and println", "{{ print \"a\" 1 2 \"b\" }}|{{ println 1 \"x\" }}", DATA, "a1 2b|1 x\n"),
                arguments("printf verbs", "{{ printf \"%s=%03d %q %5.2f %-4s| %x %v %t\" .app 7 .level 3.14159 \"ab\" 255 .n true }}",
                        DATA, "loki=007 \"WARN\"  3.14 ab  | ff 5 true"),
                arguments("printf with a verb that does not fit", "{{ printf \"%d %s\" .app }}", DATA, "%!d(string=loki) %!s(MISSING)"),
                // Alloy's functions
                arguments("Replace, at most n", "{{ Replace \"loki loki loki\" \"loki\" \"Loki\" 2 }}", DATA, "Loki Loki loki"),
                arguments("Replace with an empty old string", "{{ Replace \"ab\" \"\" \"-\" -1 }}", DATA, "-a-b-"),
                arguments("Trim a cutset", "{{ Trim \"!!!!!WOOOOO!!!!!\" \"!\" }} {{ Trim \"..,x, .\" \",. \" }}", DATA, "WOOOOO x"),
                arguments("TrimLeft, TrimRight", "{{ TrimLeft \"xxaxx\" \"x\" }} {{ TrimRight \"xxaxx\" \"x\" }}", DATA, "axx xxa"),
                arguments("TrimPrefix, TrimSuffix", "{{ TrimPrefix \"--opt\" \"--\" }} {{ TrimSuffix \"a.log\" \".log\" }}", DATA, "opt a"),
                arguments("TrimSpace", "[{{ TrimSpace .padded }}]", DATA, "[x]"),
                arguments("Hash is SHA3-256 of the arguments joined", "{{ Hash .pii \"salt\" }}", DATA,
                        "0807ea24e992127128b38e4930f7155013786a4999c73a25910318a793847658"),
                arguments("Sha2Hash is SHA-256 of the arguments joined", "{{ Sha2Hash .pii \"salt\" }}", DATA,
                        "5526fd6f8ad457279cf8ff06453c6cb61bf479fa826e3b099caa6c846f9376f2"),
                arguments("regexReplaceAll expands ${1}", "{{ regexReplaceAll \"(Silly)\" .Value \"${1}foo\" }}", DATA, "Some Sillyfoo Value"),
                arguments("regexReplaceAll replaces every match", "{{ regexReplaceAll \"( |Of)\" \"Lots Of Spaces\" \"_\" }}", DATA,
                        "Lots___Spaces"),
                arguments("regexReplaceAll: $1x names a group that does not exist", "{{ regexReplaceAll \"(a)\" \"ab\" \"$1x\" }}", DATA, "b"),
                arguments("regexReplaceAllLiteral does not expand", "{{ regexReplaceAllLiteral \"(ts=)\" \"ts=1\" \"$1timestamp=\" }}", DATA,
                        "$1timestamp=1"),
                arguments("regexReplaceAll skips an empty match right after a match", "{{ regexReplaceAll \"a*\" \"baaac\" \"-\" }}", DATA,
                        "-b-c-"),
                arguments("regexReplaceAll: ^ holds only at the start of the text", "{{ regexReplaceAll \"^a\" \"aaa\" \"x\" }}", DATA, "xaa"),
                // sprig
                arguments("sprig add", "{{ add 7 3 }}", DATA, "10"),
                arguments("sprig math reads numbers in strings", "{{ add1 .n }} {{ sub .n 2 }} {{ mul .n 2 3 }} {{ div 7 2 }} {{ mod 7 2 }}"
                        + " {{ max 1 .n 3 }} {{ min 4 2 }}", DATA, "6 3 30 3 1 5 2"),
                arguments("sprig strings", "{{ upper .app }} {{ lower .level }} {{ title \"hello wide world\" }} {{ trim .padded }}"
                        + " {{ trimAll \"x\" \"xxaxx\" }} {{ trimPrefix \"-\" \"-a\" }} {{ trimSuffix \"-\" \"a-\" }}", DATA,
                        "LOKI warn Hello Wide World x a a a"),
                arguments("sprig replace, trunc, substr, repeat, nospace", "{{ .Value | replace \" \" \"-\" }} {{ trunc 4 .Value }}"
                        + " {{ trunc -5 .Value }} {{ substr 0 4 .Value }} {{ repeat 3 \"ab\" }} {{ nospace \"a b  c\" }}", DATA,
                        "Some-Silly-Value Some Value Some ababab abc"),
                arguments("sprig contains, hasPrefix, hasSuffix, regexMatch", "{{ contains \"Silly\" .Value }} {{ hasPrefix \"lo\" .app }}"
                        + " {{ hasSuffix \"x\" .app }} {{ regexMatch \"^W[A-Z]+$\" .level }}", DATA, "true true false true"),
                arguments("sprig quote, squote, cat", "{{ quote .app \"a\\\"b\" }} {{ squote .app }} {{ cat .app nil 3 }}", DATA,
                        "\"loki\" \"a\\\"b\" 'loki' loki 3"),
                arguments("sprig default, empty, coalesce, ternary", "{{ .nothere | default \"none\" }} {{ default \"d\" .app }}"
                        + " {{ empty .empty }} {{ coalesce .empty .app }} {{ ternary \"y\" \"n\" (eq .n \"5\") }}", DATA,
                        "none loki true loki y"),
                arguments("sprig splitList and join", "{{ splitList \",\" \"a,b,c\" | join \"+\" }}", DATA, "a+b+c"),
                arguments("sprig regexFind, regexQuoteMeta", "{{ regexFind \"[A-Z]+\" \"abcDEFg\" }} {{ regexQuoteMeta \"a.b\" }}", DATA,
                        "DEF a\\.b"),
                arguments("sprig encodings and sums", "{{ b64enc \"loki\" }} {{ b64dec \"bG9raQ==\" }} {{ sha256sum \"a\" | trunc 8 }}", DATA,
                        "bG9raQ== loki ca978112"),
                arguments("sprig conversions", "{{ atoi \"12\" | add 1 }} {{ int \"7\" }} {{ float64 \"2.5\" }} {{ toString 3 }}", DATA,
                        "13 7 2.5 3"),
                // failures on this data: the stage keeps the entry as it was
                arguments("a function needs a value, a missing key has none", "{{ .nothere | ToLower }}", DATA, new Fails("ToLower")),
                arguments("a string parameter takes no number", "{{ ToUpper 3 }}", DATA, new Fails("expected string, got int")),
                arguments("comparing a number with a string", "{{ eq .n 5 }}", DATA, new Fails("incompatible types for comparison")),
                arguments("comparing a missing key", "{{ if eq .nothere \"x\" }}y{{ end }}", DATA, new Fails("eq")),
                arguments("wrong number of arguments", "{{ Replace .app \"a\" \"b\" }}", DATA, new Fails("wrong number of args for Replace: want 4 got 3")),
                arguments("a regular expression that RE2 refuses", "{{ regexReplaceAll \"\\\\K\" .Value \"x\" }}", DATA,
                        new Fails("invalid regular expression")),
                arguments("division by zero", "{{ div 1 0 }}", DATA, new Fails("divide by zero")),
                arguments("a field of a string", "{{ .app.name }}", DATA, new Fails("can't evaluate field name in type string")),
                arguments("an argument to a value", "{{ .app 1 }}", DATA, new Fails("can't give argument to non-function .app")),
                // refused when parsed
                arguments("a stray brace", "{{{.Value}}}", DATA, new Refused("'t' is not a valid Go template: unexpected '{' in action at column 3 of the template")),
                arguments("an unknown function", "{{ nosuch .app }}", DATA,
                        new Refused("'t' is not a valid Go template: function \"nosuch\" not defined at column 4 of the template")),
                arguments("an if without end", "x{{ if .app }}y", DATA,
                        new Refused("'t' is not a valid Go template: {{if}} has no matching {{end}} at column 2 of the template")),
                arguments("an end without if", "{{ end }}", DATA, new Refused("'t' is not a valid Go template: unexpected {{end}} at column 1 of the template")),
                arguments("a literal after |", "{{ .app | \"x\" }}", DATA,
                        new Refused("'t' is not a valid Go template: non executable command in pipeline stage 2 at column 11 of the template")),
                arguments("range is not supported", "{{ range . }}{{ end }}", DATA,
                        new Refused("'t' is not a valid Go template: {{range}} is not supported in stage templates; use if/else at column 4 of the template")),
                arguments("variables are not supported", "{{ $x := 1 }}", DATA,
                        new Refused("'t' is not a valid Go template: variables ($) are not supported in stage templates at column 4 of the template")),
                arguments("an unclosed action, on line 2", "a\n{{ .app", DATA,
                        new Refused("'t' is not a valid Go template: unclosed action: no }} at line 2, column 1 of the template")),
                arguments("an unclosed paren", "{{ ( ToUpper .app }}", DATA, new Refused("'t' is not a valid Go template: unclosed left paren at column 4 of the template")),
                arguments("an empty action", "{{ }}", DATA, new Refused("'t' is not a valid Go template: missing value for command at column 1 of the template")),
                arguments("an unterminated string", "{{ \"abc }}", DATA, new Refused("'t' is not a valid Go template: unterminated quoted string at column 4 of the template"))
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void renders(String name, String template, Map<String, String> data, Object expected) throws Exception {
        if (expected instanceof Refused r) {
            assertThatThrownBy(() -> GoTemplate.parse("t", template)).isInstanceOf(IllegalArgumentException.class).hasMessage(r.message());
            return;
        }
        GoTemplate t = GoTemplate.parse("t", template);
        if (expected instanceof Fails f) {
            assertThatThrownBy(() -> t.execute(data)).isInstanceOf(GoTemplate.ExecutionError.class).hasMessageContaining(f.reason());
            return;
        }
        assertThat(t.execute(data)).isEqualTo(expected);
    }
}
