package io.caravan.logs.process;

import com.google.re2j.Pattern;

import java.util.HashMap;
import java.util.Map;

/**
 * stage.logfmt: reads the line (or an extracted source) as logfmt ({@link Logfmt}) and stores values in extracted:
 * each mapping's logfmt key under its name, and with regex every key the expression finds (unanchored) under its
 * own name. A source that is missing or not a string, number or boolean skips the entry; a syntax error keeps
 * what was read before it.
 */
final class LogfmtStage extends Stage.PerEntry {

    /** logfmt key to extracted name: Alloy inverts the mapping, so two names on one key leave the last. */
    private final Map<String, String> nameOfKey = new HashMap<>();
    private final Pattern regex;
    private final String source;

    /** Alloy's LogfmtConfig: extracted name to logfmt key (empty: the same name), keys by regex, an extracted source. */
    record Args(Map<String, String> mapping, String source, String regex) implements StageArgs {
        Args {
            mapping = ArgChecks.orDefault(ArgChecks.inOrder(mapping), Map.of());
            regex = ArgChecks.orDefault(regex, "");
        }

        @Override
        public void validate() {
            if (mapping.isEmpty() && regex.isEmpty()) {
                throw new IllegalArgumentException("logfmt needs 'mapping' (extracted name: logfmt key, like mapping: {user: ''}) "
                        + "or 'regex' (the logfmt keys to extract)");
            }
            ArgChecks.notEmptyIfGiven("source", source);
            Regexes.compile("regex", regex);
        }
    }

    LogfmtStage(Args args) {
        args.mapping().forEach((name, key) -> nameOfKey.put(key.isEmpty() ? name : key, name));
        regex = args.regex().isEmpty() ? null : Regexes.compile("regex", args.regex());
        source = args.source();
    }

    @Override
    boolean apply(ProcessEntry e) {
        String input = e.text(source);
        if (input == null) {
            return true; // a missing or non-string source: the stage leaves the entry alone
        }
        Logfmt.decode(input, (key, value) -> {
            String name = nameOfKey.get(key);
            if (name != null) {
                e.extracted.put(name, value);
            }
            if (regex != null && regex.matcher(key).find()) {
                e.extracted.put(key, value);
            }
        });
        return true;
    }
}
