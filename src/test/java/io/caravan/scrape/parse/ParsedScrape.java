package io.caravan.scrape.parse;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.scrape.parse.ExpositionParser.Entry;
import io.caravan.scrape.parse.ExpositionParser.MetricType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: a whole body parsed into plain records. */
record ParsedScrape(List<Sample> samples, Map<String, MetricType> types, Map<String, String> help,
                    Map<String, String> units, int comments) {

    record Sample(Labels labels, double value, Long timestampMs, String rawSeries, int line, List<Exemplar> exemplars) {
        String name() {
            return labels.get("__name__");
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = ParsedScrape.class.getResourceAsStream("/exposition/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ParsedScrape parse(ExpositionParser parser, byte[] body) throws ExpositionParseException {
        parser.reset(body, 0, body.length);
        List<Sample> samples = new ArrayList<>();
        Map<String, MetricType> types = new LinkedHashMap<>();
        Map<String, String> help = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        int comments = 0;
        Labels.Builder builder = new Labels.Builder();
        for (Entry e = parser.next(); e != Entry.EOF; e = parser.next()) {
            switch (e) {
                case SERIES -> {
                    builder.reset();
                    parser.labels(builder);
                    String raw = new String(body, parser.seriesOffset(), parser.seriesLength(),
                            java.nio.charset.StandardCharsets.UTF_8);
                    samples.add(new Sample(builder.build(), parser.value(),
                            parser.hasTimestamp() ? parser.timestampMs() : null, raw, parser.lineNumber(), parser.exemplars()));
                }
                case TYPE -> types.put(parser.metricFamily(), parser.type());
                case HELP -> help.put(parser.metricFamily(), parser.help());
                case UNIT -> units.put(parser.metricFamily(), parser.unit());
                case COMMENT -> comments++;
                default -> throw new AssertionError(e);
            }
        }
        return new ParsedScrape(samples, types, help, units, comments);
    }

    Sample find(String labelsString) {
        return samples.stream().filter(s -> s.labels().toString().equals(labelsString)).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + labelsString));
    }

    /** Renders the samples back in text format 0.0.4, names quoted where they need it. */
    String toText() {
        StringBuilder sb = new StringBuilder();
        for (Sample s : samples) {
            String name = s.name();
            boolean plainName = name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*");
            sb.append(plainName ? name : "").append('{');
            boolean first = true;
            if (!plainName) {
                sb.append('"').append(escape(name)).append('"');
                first = false;
            }
            for (int i = 0; i < s.labels().size(); i++) {
                String ln = s.labels().name(i);
                if (ln.equals("__name__")) {
                    continue;
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append(ln.matches("[a-zA-Z_][a-zA-Z0-9_]*") ? ln : '"' + escape(ln) + '"');
                sb.append("=\"").append(escape(s.labels().value(i))).append('"');
            }
            sb.append("} ").append(formatValue(s.value()));
            if (s.timestampMs() != null) {
                sb.append(' ').append(s.timestampMs());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String formatValue(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(v);
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
