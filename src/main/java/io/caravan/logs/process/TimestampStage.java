package io.caravan.logs.process;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * stage.timestamp: the entry's time from an extracted value (a string, or a number written as Go writes it), read
 * with a Go layout or one of Alloy's named formats (ANSIC, RFC3339, RFC3339Nano, Unix, UnixMs, UnixUs, UnixNs, ...),
 * trying fallback_formats in order. location applies to layouts only: the named formats read as Go's time.Parse
 * does, in UTC unless the value carries a zone. On failure, action_on_failure "fudge" (the default) sets the time
 * 1ns after the last time this stage gave the same label set, "skip" keeps the time the entry came with. When a
 * parsed time equals the last parsed one of the label set, action_on_duplicate_timestamp "fudge" (the default)
 * sets it 1ns after the last time given, "keep" leaves it. Label sets are remembered for the last 10,000.
 */
final class TimestampStage extends Stage.PerEntry {

    interface Parser {
        long parse(String value);
    }

    private static final int FUDGE_CACHE = 10_000;

    private final String source;
    private final List<Parser> parsers = new ArrayList<>();
    private final boolean fudgeFailures;
    private final boolean fudgeDuplicates;
    private final Map<String, Last> lastKnown = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Last> eldest) {
            return size() > FUDGE_CACHE;
        }
    };

    /** Of one label set: the last time parsed (to see duplicates) and the last time given (to fudge from). */
    private record Last(long parsed, long given) {
    }

    /**
     * Alloy's TimestampConfig. location is the zone for layouts that carry none (absent: UTC); action_on_failure
     * is fudge or skip, action_on_duplicate_timestamp fudge or keep ("" means the default, as in Alloy).
     */
    record Args(String source, String format, List<String> fallbackFormats, String location, String actionOnFailure,
                String actionOnDuplicateTimestamp) implements StageArgs {
        Args {
            fallbackFormats = ArgChecks.listOrEmpty(fallbackFormats);
            actionOnFailure = ArgChecks.emptyAsDefault(actionOnFailure, "fudge");
            actionOnDuplicateTimestamp = ArgChecks.emptyAsDefault(actionOnDuplicateTimestamp, "fudge");
        }

        @Override
        public void validate() {
            ArgChecks.required("source", source);
            ArgChecks.required("format", format);
            ZoneId zone = zone(location);
            if (!actionOnFailure.equals("fudge") && !actionOnFailure.equals("skip")) {
                throw new IllegalArgumentException("invalid action_on_failure '" + actionOnFailure + "'; use fudge or skip");
            }
            if (!actionOnDuplicateTimestamp.equals("fudge") && !actionOnDuplicateTimestamp.equals("keep")) {
                throw new IllegalArgumentException("invalid action_on_duplicate_timestamp '" + actionOnDuplicateTimestamp
                        + "'; use fudge or keep");
            }
            parser(format, zone);
            fallbackFormats.forEach(f -> parser(f, zone));
        }

        ZoneId zone() {
            return zone(location);
        }

        private static ZoneId zone(String location) {
            if (location == null || location.isEmpty() || location.equals("UTC")) {
                return null; // Go's LoadLocation: "" and "UTC" are UTC
            }
            if (location.equals("Local")) {
                return ZoneId.systemDefault();
            }
            try {
                return ZoneId.of(location);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("invalid location '" + location + "': " + e.getMessage());
            }
        }
    }

    TimestampStage(Args args) {
        source = args.source();
        fudgeFailures = args.actionOnFailure().equals("fudge");
        fudgeDuplicates = args.actionOnDuplicateTimestamp().equals("fudge");
        ZoneId zone = args.zone();
        parsers.add(parser(args.format(), zone));
        for (String f : args.fallbackFormats()) {
            parsers.add(parser(f, zone));
        }
    }

    /** A format's parser; {@code loc} is for custom layouts only, as Alloy reads its named formats with time.Parse. */
    static Parser parser(String format, ZoneId loc) {
        return switch (format) {
            case "ANSIC" -> layout("Mon Jan _2 15:04:05 2006", null);
            case "UnixDate" -> layout("Mon Jan _2 15:04:05 MST 2006", null);
            case "RubyDate" -> layout("Mon Jan 02 15:04:05 -0700 2006", null);
            case "RFC822" -> layout("02 Jan 06 15:04 MST", null);
            case "RFC822Z" -> layout("02 Jan 06 15:04 -0700", null);
            case "RFC850" -> layout("Monday, 02-Jan-06 15:04:05 MST", null);
            case "RFC1123" -> layout("Mon, 02 Jan 2006 15:04:05 MST", null);
            case "RFC1123Z" -> layout("Mon, 02 Jan 2006 15:04:05 -0700", null);
            case "RFC3339" -> layout(GoTime.RFC3339, null);
            case "RFC3339Nano" -> layout(GoTime.RFC3339_NANO, null);
            case "Unix" -> TimestampStage::unixSeconds;
            case "UnixMs" -> v -> Math.multiplyExact(Long.parseLong(v), 1_000_000L);
            case "UnixUs" -> v -> Math.multiplyExact(Long.parseLong(v), 1_000L);
            case "UnixNs" -> Long::parseLong;
            default -> layout(format, loc);
        };
    }

    private static Parser layout(String layout, ZoneId loc) {
        GoTime.Layout compiled = GoTime.compile(layout);
        return v -> GoTime.parse(compiled, v, loc);
    }

    /** "1562708916" or "1562708916.414" (fraction scaled to nanoseconds), as Alloy's Unix format. */
    static long unixSeconds(String v) {
        int dot = v.indexOf('.');
        if (dot < 0) {
            return Math.multiplyExact(Long.parseLong(v), 1_000_000_000L);
        }
        if (v.indexOf('.', dot + 1) >= 0) {
            throw new IllegalArgumentException("more than one '.' in " + v);
        }
        long sec = Long.parseLong(v.substring(0, dot));
        String frac = v.substring(dot + 1);
        long f = Long.parseLong(frac);
        long nanos = (long) (f * Math.pow(10, 9 - frac.length()));
        return sec * 1_000_000_000L + nanos;
    }

    @Override
    boolean apply(ProcessEntry e) {
        Long parsed = parse(e.extracted.get(source));
        if (!fudgeFailures && !fudgeDuplicates) {
            if (parsed != null) {
                e.timestampNanos = parsed;
            }
            return true;
        }
        String key = e.labels.build().toString();
        synchronized (lastKnown) {
            Last last = lastKnown.get(key);
            if (parsed != null) {
                boolean duplicate = fudgeDuplicates && last != null && last.parsed() == parsed;
                e.timestampNanos = duplicate ? last.given() + 1 : parsed;
                lastKnown.put(key, new Last(parsed, e.timestampNanos));
            } else if (fudgeFailures && last != null) {
                e.timestampNanos = last.given() + 1;
                lastKnown.put(key, new Last(last.parsed(), e.timestampNanos));
            }
        }
        return true;
    }

    private Long parse(Object v) {
        String s = v == null ? null : Extracted.asString(v);
        if (s == null) {
            return null;
        }
        for (Parser p : parsers) {
            try {
                return p.parse(s);
            } catch (IllegalArgumentException | ArithmeticException tryNext) {
                // NumberFormatException is an IllegalArgumentException
            }
        }
        return null;
    }
}
