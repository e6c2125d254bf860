package io.caravan.logs.process;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.caravan.logs.Utf8;
import io.micrometer.core.instrument.Counter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

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
    private final Predicate<String> regex; // RE2's find
    private final long olderThanNanos;
    private final long longerThan;
    private final Counter dropped;

    /**
     * Alloy's DropConfig. source takes a string or a list, and a string is also split on commas; "" for expression
     * and value means not given; zero older_than and longer_than are off.
     */
    record Args(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> source,
                String separator, String expression, String value, Duration olderThan,
                @JsonDeserialize(using = ArgValues.Bytes.class) Long longerThan, String dropCounterReason) implements StageArgs {
        Args {
            List<String> split = new ArrayList<>();
            for (String s : ArgChecks.listOrEmpty(source)) {
                for (String part : s.split(",", -1)) {
                    if (!part.isEmpty()) {
                        split.add(part);
                    }
                }
            }
            source = List.copyOf(split);
            separator = ArgChecks.emptyAsDefault(separator, ";");
            expression = ArgChecks.orDefault(expression, "");
            value = ArgChecks.orDefault(value, "");
            olderThan = ArgChecks.orDefault(olderThan, Duration.ZERO);
            longerThan = ArgChecks.orDefault(longerThan, 0L);
            dropCounterReason = ArgChecks.emptyAsDefault(dropCounterReason, "drop_stage");
        }

        @Override
        public void validate() {
            if (source.isEmpty() && expression.isEmpty() && olderThan.isZero() && longerThan == 0) {
                throw new IllegalArgumentException("drop needs at least one of source, expression, older_than or longer_than");
            }
            if (!value.isEmpty() && !expression.isEmpty()) {
                throw new IllegalArgumentException("value and expression cannot both be set; use one");
            }
            if (!value.isEmpty() && source.isEmpty()) {
                throw new IllegalArgumentException("value needs a source to compare with");
            }
            if (!expression.isEmpty()) {
                Regexes.compile("expression", expression);
            }
        }
    }

    DropStage(Args args, StageMetrics metrics) {
        if (!args.expression().isEmpty()) {
            regex = Regexes.finder("expression", args.expression());
        } else if (!args.value().isEmpty()) {
            regex = args.value()::equals; // the whole value, literally
        } else {
            regex = null;
        }
        sources = args.source();
        separator = args.separator();
        olderThanNanos = args.olderThan().toMillis() * 1_000_000L;
        longerThan = args.longerThan();
        dropped = metrics.dropCounter(args.dropCounterReason());
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
        if (sources.isEmpty() && regex != null && !regex.test(e.line)) {
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
            return regex.test(joined);
        }
        return true;
    }
}
