package io.caravan.logs.process;

import com.google.re2j.Pattern;
import io.caravan.model.Labels;

import java.util.Map;

/**
 * stage.structured_metadata: sets structured metadata (Loki's non-indexed labels) from extracted values and from
 * labels, in Alloy's order: extracted values named in {@code values}, extracted keys matching {@code regex}, then
 * labels named as a source in {@code values} and labels matching {@code regex}. A label used so leaves the label set:
 * it moves, it is not copied. A name already in the metadata gets the later value, so each name is sent once (an empty value
 * removes it: Caravan's label sets hold no empty values). An extracted value that is not a string, number or
 * boolean is skipped. The regex is not anchored.
 */
final class StructuredMetadataStage extends Stage.PerEntry {

    private final String[] names;
    private final String[] sources;
    private final Pattern regex; // null: no regex

    /** Alloy's StructuredMetadataConfig: metadata name to extracted key or label ('' = the same name), and a regex. */
    record Args(Map<String, String> values, String regex) implements StageArgs {
        Args {
            values = ArgChecks.inOrder(values == null ? Map.of() : values);
            regex = ArgChecks.orDefault(regex, "");
        }

        @Override
        public void validate() {
            values.keySet().forEach(LabelNames::require);
            if (!regex.isEmpty()) {
                Regexes.compile("regex", regex);
            }
        }
    }

    StructuredMetadataStage(Args args) {
        names = new String[args.values().size()];
        sources = new String[names.length];
        int i = 0;
        for (Map.Entry<String, String> kv : args.values().entrySet()) {
            names[i] = kv.getKey();
            sources[i] = kv.getValue() == null || kv.getValue().isEmpty() ? kv.getKey() : kv.getValue();
            i++;
        }
        regex = args.regex().isEmpty() ? null : Regexes.compile("regex", args.regex());
    }

    @Override
    boolean apply(ProcessEntry e) {
        Labels.Builder metadata = null;
        for (int i = 0; i < names.length; i++) {
            String value = Extracted.asString(e.extracted.get(sources[i]));
            if (value != null) {
                metadata = set(metadata, e, names[i], value);
            }
        }
        if (regex != null) {
            for (Map.Entry<String, Object> kv : e.extracted.entrySet()) {
                String value = Extracted.asString(kv.getValue());
                if (value != null && regex.matcher(kv.getKey()).find()) {
                    metadata = set(metadata, e, kv.getKey(), value);
                }
            }
        }
        for (int i = 0; i < names.length; i++) {
            String value = e.labels.get(sources[i]);
            if (value != null) {
                metadata = set(metadata, e, names[i], value);
            }
        }
        // labels move after every name is read, as Alloy does: two names may read one label
        for (String source : sources) {
            e.labels.del(source);
        }
        if (regex != null) {
            for (int i = e.labels.size() - 1; i >= 0; i--) {
                String name = e.labels.name(i);
                if (regex.matcher(name).find()) {
                    metadata = set(metadata, e, name, e.labels.value(i));
                    e.labels.del(name);
                }
            }
        }
        if (metadata != null) {
            e.metadata = metadata.build();
        }
        return true;
    }

    /** The entry's metadata as a builder made on first use, with name set (Labels keeps one value per name). */
    private static Labels.Builder set(Labels.Builder metadata, ProcessEntry e, String name, String value) {
        Labels.Builder b = metadata == null ? e.metadata.toBuilder() : metadata;
        b.set(name, value);
        return b;
    }
}
