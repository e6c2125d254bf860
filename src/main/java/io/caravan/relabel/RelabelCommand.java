package io.caravan.relabel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.caravan.model.Labels;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code relabel --rules RULES.yaml [--legacy-names]}: reads one JSON object of labels per line from stdin and
 * prints, per line, the relabelled labels as one JSON object (keys in label order) or {@code null} when dropped.
 * Plain Jackson streaming; starts no Spring and no Camel.
 *
 * <p>Input lines that are not a JSON object of string values are reported on stderr as
 * "line N: ..." and produce no output line, so stdout holds only real results; blank lines are skipped
 * silently. Exit status: 0 when every line was good, 1 when at least one input line was bad,
 * 2 for a usage error or a bad rules file (nothing is read from stdin then).
 */
public final class RelabelCommand {

    static final String USAGE = "usage: relabel --rules RULES.yaml [--legacy-names]\n"
            + "  Reads one JSON object of labels per line on stdin, writes the relabelled object (or null"
            + " when dropped) per line on stdout.\n"
            + "  --rules FILE      YAML list of Prometheus relabel_configs\n"
            + "  --legacy-names    only allow label names [a-zA-Z_][a-zA-Z0-9_]* (Prometheus 2 rules)";

    private static final JsonFactory JSON = new JsonFactory();

    private RelabelCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    public static int run(String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        String rulesFile = null;
        NameValidation names = NameValidation.UTF8;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--rules") && i + 1 < args.length) {
                rulesFile = args[++i];
            } else if (arg.startsWith("--rules=")) {
                rulesFile = arg.substring("--rules=".length());
            } else if (arg.equals("--legacy-names")) {
                names = NameValidation.LEGACY;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                stdout.println(USAGE);
                return 0;
            } else {
                stderr.println("relabel: " + (arg.equals("--rules") ? "--rules needs a file name" : "unknown argument '" + arg + "'"));
                stderr.println(USAGE);
                return 2;
            }
        }
        if (rulesFile == null || rulesFile.isEmpty()) {
            stderr.println("relabel: --rules is required");
            stderr.println(USAGE);
            return 2;
        }
        RelabelRules rules;
        try {
            rules = RelabelRules.load(Path.of(rulesFile), names);
        } catch (RelabelConfigException e) {
            stderr.println("relabel: " + e.getMessage());
            return 2;
        }
        return relabelLines(rules, stdin, stdout, stderr);
    }

    private static int relabelLines(RelabelRules rules, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        Labels.Builder scratch = new Labels.Builder();
        boolean anyBad = false;
        int lineNumber = 0;
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                Labels labels;
                try {
                    labels = parseLabels(line, scratch.reset());
                } catch (IOException | IllegalArgumentException e) {
                    stderr.println("relabel: line " + lineNumber + ": " + e.getMessage()
                            + " (expected one JSON object of string values, e.g. {\"job\":\"x\"}); line skipped");
                    anyBad = true;
                    continue;
                }
                Labels out = rules.apply(labels);
                stdout.println(out == null ? "null" : toJson(out));
            }
        } catch (IOException e) {
            stderr.println("relabel: cannot read stdin: " + e);
            return 2;
        }
        stdout.flush();
        return anyBad ? 1 : 0;
    }

    /** One JSON object whose values are all strings; anything else is an IllegalArgumentException. */
    static Labels parseLabels(String line, Labels.Builder b) throws IOException {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    throw new IllegalArgumentException("value of \"" + name + "\" is not a string");
                }
                b.set(name, p.getText());
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("extra content after the JSON object");
            }
            return b.build();
        }
    }

    static String toJson(Labels labels) {
        StringWriter w = new StringWriter(32 + labels.size() * 32);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            for (int i = 0; i < labels.size(); i++) {
                g.writeStringField(labels.name(i), labels.value(i));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing to a string cannot fail", e);
        }
        return w.toString();
    }
}
