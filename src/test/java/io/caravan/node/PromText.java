package io.caravan.node;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** A small parser of the text format for tests: families with help, type and samples by label set. */
final class PromText {

    static final class Family {
        String help;
        String type;
        final Map<String, Double> samples = new TreeMap<>(); // canonical label string -> value
    }

    private PromText() {
    }

    static Map<String, Family> parse(String text) {
        Map<String, Family> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                String rest = line.substring(7);
                int sp = rest.indexOf(' ');
                out.computeIfAbsent(rest.substring(0, sp), k -> new Family()).help = rest.substring(sp + 1);
            } else if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ");
                out.computeIfAbsent(p[0], k -> new Family()).type = p[1];
            } else if (!line.startsWith("#")) {
                int brace = line.indexOf('{');
                int sp = line.lastIndexOf(' ');
                String name = brace >= 0 && brace < sp ? line.substring(0, brace) : line.substring(0, sp);
                String labels = brace >= 0 && brace < sp ? line.substring(brace, line.lastIndexOf('}') + 1) : "{}";
                String v = line.substring(sp + 1);
                double d = switch (v) {
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    case "NaN" -> Double.NaN;
                    default -> Double.parseDouble(v);
                };
                out.computeIfAbsent(name, k -> new Family()).samples.put(labels, d);
            }
        }
        return out;
    }

    /** Removes one label from a canonical label string {a="1",b="2"}. */
    static String dropLabel(String labels, String name) {
        String s = labels.replaceAll("(?<=[{,])" + name + "=\"(?:[^\"\\\\]|\\\\.)*\",?", "");
        return s.replace(",}", "}");
    }
}
