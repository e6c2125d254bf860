package io.caravan.logs.process;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * stage.pack: the line becomes a JSON object holding the named extracted values (labels are in extracted from the
 * start) and the original line under {@code _entry}, last; the other keys are sorted (Go's byte order, which is
 * code point order) and strings are escaped as Alloy's JSON encoder does ({@link GoJson}). A name whose value is
 * missing or not a string, number or boolean is left out; a name that was packed is removed from the labels. With
 * ingest_timestamp the entry's time becomes the time the stage runs.
 */
final class PackStage extends Stage.PerEntry {

    static final String ENTRY_KEY = "_entry";

    private final List<String> names;
    private final boolean ingestTimestamp;

    /** Alloy's PackConfig: labels must be given (it may be empty); ingest_timestamp defaults to true. */
    record Args(List<String> labels, Boolean ingestTimestamp) implements StageArgs {
        Args {
            labels = labels == null ? null : List.copyOf(labels);
            ingestTimestamp = ArgChecks.orDefault(ingestTimestamp, true);
        }

        @Override
        public void validate() {
            if (labels == null) {
                throw new IllegalArgumentException("'labels' is required: the extracted values and labels to pack, like labels: [pod, user_id]");
            }
        }
    }

    PackStage(Args args) {
        this.names = args.labels().stream().distinct().toList();
        this.ingestTimestamp = args.ingestTimestamp();
    }

    static long nowNanos() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Override
    boolean apply(ProcessEntry e) {
        Map<String, String> packed = new TreeMap<>(PackStage::compareCodePoints);
        for (String name : names) {
            String value = Extracted.asString(e.extracted.get(name));
            if (value != null) {
                packed.put(name, value);
            }
        }
        StringBuilder json = new StringBuilder(e.line.length() + 32 * packed.size() + 16).append('{');
        for (Map.Entry<String, String> kv : packed.entrySet()) {
            GoJson.quote(kv.getKey(), json).append(':');
            GoJson.quote(kv.getValue(), json).append(',');
        }
        GoJson.quote(ENTRY_KEY, json).append(':');
        GoJson.quote(e.line, json).append('}');
        e.line = json.toString();
        packed.keySet().forEach(e.labels::del);
        if (ingestTimestamp) {
            e.timestampNanos = nowNanos();
        }
        return true;
    }

    private static int compareCodePoints(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }
}
