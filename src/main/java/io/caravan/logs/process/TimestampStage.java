package io.caravan.logs.process;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * stage.timestamp: the entry's time from an extracted value, read with a Go layout or one of Alloy's named
 * formats (ANSIC, RFC3339, RFC3339Nano, Unix, UnixMs, UnixUs, UnixNs, ...), trying fallback_formats in
 * order. On failure, action_on_failure "fudge" (the default) sets the time 1ns after the last good time of
 * the same label set (kept for 10,000 label sets), "skip" keeps the time the entry came with.
 */
final class TimestampStage extends Stage.PerEntry {

    interface Parser {
        long parse(String value);
    }

    private static final int FUDGE_CACHE = 10_000;

    private final String source;
    private final List<Parser> parsers = new ArrayList<>();
    private final boolean fudge;
    private final Map<String, Long> lastKnown = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > FUDGE_CACHE;
        }
    };

    /**
     * Alloy's TimestampConfig. location is the zone for layouts that carry none (absent: as the layout reads,
     * UTC); action_on_failure is fudge or skip.
     */
    record Args(String source, String format, List<String> fallbackFormats, String location, String actionOnFailure)
            implements StageArgs {
        Args {
            fallbackFormats = ArgChecks.listOrEmpty(fallbackFormats);
            actionOnFailure = ArgChecks.orDefault(actionOnFailure, "fudge");
        }

        @Override
        public void validate() {
            ArgChecks.required("source", source);
            ArgChecks.required("format", format);
            ZoneId zone = zone(location);
            if (!actionOnFailure.equals("fudge") && !actionOnFailure.equals("skip")) {
                throw new IllegalArgumentException("invalid action_on_failure '" + actionOnFailure + "'; use fudge or skip");
            }
            parser(format, zone);
            fallbackFormats.forEach(f -> parser(f, zone));
        }

        ZoneId zone() {
            return zone(location);
        }

        private static ZoneId zone(String location) {
            if (location == null) {
                return null;
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
        fudge = args.actionOnFailure().equals("fudge");
        ZoneId zone = args.zone();
        parsers.add(parser(args.format(), zone));
        for (String f : args.fallbackFormats()) {
            parsers.add(parser(f, zone));
        }
    }

    static Parser parser(String format, ZoneId loc) {
        return switch (format) {
            case "ANSIC" -> layout("Mon Jan _2 15:04:05 2006", loc);
            case "UnixDate" -> layout("Mon Jan _2 15:04:05 MST 2006", loc);
            case "RubyDate" -> layout("Mon Jan 02 15:04:05 -0700 2006", loc);
            case "RFC822" -> layout("02 Jan 06 15:04 MST", loc);
            case "RFC822Z" -> layout("02 Jan 06 15:04 -0700", loc);
            case "RFC850" -> layout("Monday, 02-Jan-06 15:04:05 MST", loc);
            case "RFC1123" -> layout("Mon, 02 Jan 2006 15:04:05 MST", loc);
            case "RFC1123Z" -> layout("Mon, 02 Jan 2006 15:04:05 -0700", loc);
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
        if (parsed != null) {
            e.timestampNanos = parsed;
            if (fudge) {
                synchronized (lastKnown) {
                    lastKnown.put(e.labels.build().toString(), parsed);
                }
            }
            return true;
        }
        if (fudge) {
            String key = e.labels.build().toString();
            synchronized (lastKnown) {
                Long last = lastKnown.get(key);
                if (last != null) {
                    e.timestampNanos = last + 1;
                    lastKnown.put(key, e.timestampNanos);
                }
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
