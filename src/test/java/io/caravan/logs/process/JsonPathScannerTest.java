package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The json stage's streaming fast path must give exactly what the JMESPath tree path gives. The same
 * expressions run twice: once as plain paths (fast path) and once with a non-plain expression added,
 * which sends the whole stage through the tree and the JMESPath interpreter.
 */
class JsonPathScannerTest {

    static final List<String> DOCS = List.of(
            "{\"verb\":\"get\",\"user\":{\"username\":\"alice\",\"groups\":[\"a\",\"b\"]},\"objectRef\":{\"resource\":\"pods\"}}",
            "{\"user\":\"plain\",\"verb\":1.5}",
            "{\"user\":{\"username\":\"first\"},\"user\":{\"other\":1}}",
            "{\"user\":{\"username\":\"first\"},\"user\":7}",
            "{\"user\":null,\"verb\":true,\"responseStatus\":{\"code\":403}}",
            "{\"user\":[{\"username\":\"x\"}],\"objectRef\":{\"resource\":{\"deep\":[1,2,{\"k\":\"<v>\"}]}}}",
            "{\"verb\":\"a\\\"b\\u00e9\",\"n\":12345678901234567890}",
            "{}",
            "{\"verb\":\"x\"} trailing",
            "[\"not an object\"]",
            "{\"verb\": \"unterminated",
            "  {  \"verb\" : \"spaced\" , \"objectRef\" : { \"resource\" : \"pods\" } }  ",
            // the grammar, strictly: each of these is refused by Go's Unmarshal and by the tree path
            "{\"verb\":01}", "{\"verb\":-}", "{\"verb\":1.}", "{\"verb\":.5}", "{\"verb\":1e}", "{\"verb\":NaN}",
            "{\"verb\":\"a\tb\"}", "{\"verb\":\"\\x\"}", "{\"verb\":\"\\u12\"}", "{\"verb\":1,}", "{\"verb\" 1}",
            "{\"other\":[1,2,]}", "{\"other\":{\"a\":1,}}", "{\"other\":[1 2]}", "{\"other\":{\"a\" 1}}", "{\"other\":tru}",
            "", "   ", "null", "{", "{\"verb\":\"x\"", "{\"other\":[[[[]]]]", "{\"other\":{\"a\":[}]}}",
            // and what it allows
            "{\"verb\":-0.5e+3,\"n\":0,\"other\":[{},[],\"\\\"\",{\"a\":[true,false,null,-1E-2]}]}",
            "{\"v\\u0065rb\":\"escaped name\",\"user\":{\"user\\u006eame\":\"\\ud83d\\ude00 \\n \\/\"}}",
            "{\"objectRef\":{\"resource\":\"first\",\"resource\":\"second\"},\"objectRef\":{}}",
            "{\"user\":{\"username\":{\"nested\":[1,{\"x\":\"&\"}]}},\"responseStatus\":{\"code\":\"403\"}}",
            "\t{\"verb\":\"tabbed\"}\r\n",
            // integers at the edge of the exact fast path (15 chars) and past it
            "{\"verb\":0,\"n\":-7,\"responseStatus\":{\"code\":999999999999999}}",
            "{\"verb\":-99999999999999,\"n\":9999999999999999,\"responseStatus\":{\"code\":-999999999999999}}",
            "{\"verb\":12345678901234567890123,\"n\":-0.0,\"responseStatus\":{\"code\":200.0}}");

    static final String PLAIN = "verb: verb, user: user, name: user.username, res: objectRef.resource, code: responseStatus.code, n: n";

    /**
     * Long strings with a quote, an escape, a control character or non-ASCII text at each position from 0 to 17, in
     * values the scanner keeps and in ones it skips (not under "user", which a path ends at: that object is read as a
     * tree, which would hide the scanner's mistakes).
     */
    static List<String> longStrings() {
        List<String> docs = new java.util.ArrayList<>();
        String[] specials = {"[", "]", "\\\"", "\\n", "\\u00e9", "\t", "\u0001", "\u001f", "é", "\ud83d\ude00", "\\\\"};
        for (int at = 0; at < 18; at++) {
            for (String sp : specials) {
                String body = "a".repeat(at) + sp + "b".repeat(17 - at);
                docs.add("{\"verb\":\"" + body + "\",\"skipped\":\"" + body + "\",\"objectRef\":{\"resource\":\"" + body + "\"}}");
                docs.add("{\"skipped\":\"" + body + "\",\"verb\":\"x\"}"); // only in a value passed over
            }
            docs.add("{\"verb\":\"" + "a".repeat(at) + "\"}");
            docs.add("{\"verb\":\"" + "a".repeat(at)); // the line ends inside the string
        }
        return docs;
    }

    @Test
    void fast_path_equals_jmespath() {
        StageRunner fast = new StageRunner("- json: {expressions: {" + PLAIN + "}}\n- match: {selector: '{x=\"y\"}', action: drop}");
        StageRunner slow = new StageRunner("- json: {expressions: {" + PLAIN + ", forced: 'length(@)'}}");
        List<String> docs = new java.util.ArrayList<>(DOCS);
        docs.addAll(longStrings());
        for (String doc : docs) {
            assertThat(extracted(fast, doc)).as(doc).isEqualTo(without(extracted(slow, doc), "forced"));
        }
    }

    private static Map<String, Object> extracted(StageRunner r, String line) {
        ProcessEntry e = new ProcessEntry(new LogEntry(Labels.EMPTY, 0, line));
        Pipeline.runStages(r.pipeline.stages().subList(0, 1), new java.util.ArrayList<>(List.of(e)));
        Map<String, Object> m = new HashMap<>(e.extracted);
        m.replaceAll((k, v) -> v == Extracted.NULL ? "<null>" : v);
        return m;
    }

    private static Map<String, Object> without(Map<String, Object> m, String key) {
        m.remove(key);
        return m;
    }

    @Test
    void a_number_no_float64_holds_makes_the_line_malformed_as_in_go() {
        StageRunner fast = new StageRunner("- json: {expressions: {" + PLAIN + "}}");
        assertThat(fast.one(Labels.EMPTY, "{\"verb\":1e999}")).isNotNull(); // passed on, as a malformed line is
        assertThat(fast.registry.get("caravan_logs_json_malformed_entries").counter().count()).isEqualTo(1);
        assertThat(extracted(fast, "{\"verb\":1e999}")).isEmpty();
        assertThat(extracted(fast, "{\"skipped\":[{\"deep\":-2E+400}],\"verb\":\"x\"}")).isEmpty(); // also where it is skipped
        assertThat(extracted(fast, "{\"skipped\":[{\"deep\":-2E+300}],\"verb\":\"x\"}")).containsEntry("verb", "x");
    }

    @Test
    void plain_paths_are_recognised() {
        assertThat(JsonPathScanner.plainPath("user.username")).containsExactly("user", "username");
        assertThat(JsonPathScanner.plainPath("_a.b2")).containsExactly("_a", "b2");
        assertThat(JsonPathScanner.plainPath("items[0]")).isNull();
        assertThat(JsonPathScanner.plainPath("\"quoted\"")).isNull();
        assertThat(JsonPathScanner.plainPath("a..b")).isNull();
        assertThat(JsonPathScanner.plainPath("length(@)")).isNull();
    }
}
