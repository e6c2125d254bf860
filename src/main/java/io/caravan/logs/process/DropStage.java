package io.caravan.logs.process;

import com.google.re2j.Pattern;
import io.caravan.logs.Utf8;
import io.micrometer.core.instrument.Counter;

import java.util.ArrayList;
import java.util.List;

/**
 * stage.drop, with Alloy's rules: every option given must hold for the entry to be dropped (AND); several
 * drop stages act one after the other (OR). With a source and no expression, the entry is dropped when
 * every source key is present in extracted (whatever its value). With a source and an expression, the
 * present sources are joined with the separator and matched (a missing source is left out of the join,
 * a value that is not a string/number/bool keeps the entry). The expression is not anchored.
 */
final class DropStage extends Stage.PerEntry {

    private final List<String> sources;
    private final String separator;
    private final Pattern regex;
    private final long olderThanNanos;
    private final long longerThan;
    private final Counter dropped;

    DropStage(StageArgs args, StageMetrics metrics) {
        List<String> src = new ArrayList<>();
        for (String s : args.stringOrList("source")) {
            for (String part : s.split(",", -1)) { // Alloy also splits a source string on commas
                if (!part.isEmpty()) {
                    src.add(part);
                }
            }
        }
        String value = args.optString("value", "");
        String expression = args.optString("expression", "");
        String sep = args.optString("separator", "");
        separator = sep.isEmpty() ? ";" : sep;
        olderThanNanos = args.durationMillis("older_than") * 1_000_000L;
        longerThan = args.bytes("longer_than");
        String reason = args.optString("drop_counter_reason", "");
        args.done("drop", "source, separator, expression, value, older_than, longer_than, drop_counter_reason");
        if (src.isEmpty() && expression.isEmpty() && olderThanNanos == 0 && longerThan == 0) {
            throw new IllegalArgumentException("drop needs at least one of source, expression, older_than or longer_than");
        }
        if (!value.isEmpty() && !expression.isEmpty()) {
            throw new IllegalArgumentException("value and expression cannot both be set; use one");
        }
        if (!value.isEmpty() && src.isEmpty()) {
            throw new IllegalArgumentException("value needs a source to compare with");
        }
        if (!expression.isEmpty()) {
            regex = Regexes.compile("expression", expression);
        } else if (!value.isEmpty()) {
            regex = Pattern.compile("^" + Pattern.quote(value) + "$");
        } else {
            regex = null;
        }
        sources = List.copyOf(src);
        dropped = metrics.dropCounter(reason.isEmpty() ? "drop_stage" : reason);
    }

    @Override
    boolean apply(ProcessEntry e) {
        if (shouldDrop(e)) {
            dropped.increment();
            return false;
        }
        return true;
    }

    private boolean shouldDrop(ProcessEntry e) {
        if (longerThan != 0 && Utf8.length(e.line) <= longerThan) {
            return false;
        }
        if (olderThanNanos != 0 && e.timestampNanos >= System.currentTimeMillis() * 1_000_000L - olderThanNanos) {
            return false;
        }
        if (!sources.isEmpty() && regex == null) {
            for (String s : sources) {
                if (!e.extracted.containsKey(s)) {
                    return false;
                }
            }
        }
        if (sources.isEmpty() && regex != null && !regex.matcher(e.line).find()) {
            return false;
        }
        if (!sources.isEmpty() && regex != null) {
            String joined;
            if (sources.size() == 1) {
                Object v = e.extracted.get(sources.get(0));
                joined = v == null ? "" : Extracted.asString(v);
                if (joined == null) {
                    return false;
                }
            } else {
                StringBuilder sb = new StringBuilder();
                boolean first = true;
                for (String s : sources) {
                    Object v = e.extracted.get(s);
                    if (v == null) {
                        continue;
                    }
                    String str = Extracted.asString(v);
                    if (str == null) {
                        return false;
                    }
                    if (!first) {
                        sb.append(separator);
                    }
                    sb.append(str);
                    first = false;
                }
                joined = sb.toString();
            }
            return regex.matcher(joined).find();
        }
        return true;
    }
}
