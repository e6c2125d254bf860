package io.caravan.logs.process;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

/**
 * Go's time.Parse for reference layouts ("2006-01-02T15:04:05Z07:00", "Jan _2 15:04:05", ...), so timestamp
 * stages copied from Alloy read the same. A layout is split into Go's chunks once ({@link #compile}); parsing
 * walks them. Follows Go's rules: fixed-width fields ("01", "2006") need all their digits, a space in the
 * layout matches a run of spaces, a fractional second may follow the seconds even when the layout has none,
 * a zone abbreviation is read as Go reads it: the offset the location gives that name (EST or EDT in New York), else
 * zero (UTC, GMT, or a name the location does not use).
 */
final class GoTime {

    static final String RFC3339 = "2006-01-02T15:04:05Z07:00";
    static final String RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";

    private enum Std {
        LITERAL, LONG_MONTH, MONTH, NUM_MONTH, ZERO_MONTH, LONG_WEEKDAY, WEEKDAY, DAY, UNDER_DAY, ZERO_DAY,
        ZERO_YDAY, UNDER_YDAY, HOUR, HOUR12, ZERO_HOUR12, MINUTE, ZERO_MINUTE, SECOND, ZERO_SECOND, LONG_YEAR, YEAR,
        PM_UPPER, PM_LOWER, TZ, ISO_TZ_SECONDS_COLON, ISO_TZ_SECONDS, ISO_TZ, ISO_TZ_COLON, ISO_TZ_SHORT,
        NUM_TZ_SECONDS_COLON, NUM_TZ_SECONDS, NUM_TZ, NUM_TZ_COLON, NUM_TZ_SHORT, FRAC0, FRAC9
    }

    private record Chunk(Std std, String literal, int digits) {
    }

    private static final String[] LONG_MONTHS = {"January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"};
    private static final String[] LONG_DAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

    /** A layout split into chunks, and whether it carries a year. */
    static final class Layout {
        final String text;
        final Chunk[] chunks;
        final boolean hasYear;

        private Layout(String text, Chunk[] chunks) {
            this.text = text;
            this.chunks = chunks;
            this.hasYear = text.contains("06");
        }
    }

    private GoTime() {
    }

    static long parse(String layout, String value, ZoneId loc) {
        return parse(compile(layout), value, loc);
    }

    static Layout compile(String layout) {
        List<Chunk> chunks = new ArrayList<>();
        int i = 0;
        int lit = 0;
        while (i < layout.length()) {
            Chunk c = std(layout, i);
            if (c == null) {
                i++;
                continue;
            }
            if (lit < i) {
                chunks.add(new Chunk(Std.LITERAL, layout.substring(lit, i), 0));
            }
            chunks.add(c);
            i += c.literal().length();
            lit = i;
        }
        if (lit < layout.length()) {
            chunks.add(new Chunk(Std.LITERAL, layout.substring(lit), 0));
        }
        return new Layout(layout, chunks.toArray(new Chunk[0]));
    }

    /** Go's nextStdChunk at one position: the standard element that starts there, or null. */
    private static Chunk std(String l, int i) {
        char c = l.charAt(i);
        switch (c) {
            case 'J':
                if (l.startsWith("January", i)) return chunk(Std.LONG_MONTH, "January");
                if (l.startsWith("Jan", i)) return chunk(Std.MONTH, "Jan");
                break;
            case 'M':
                if (l.startsWith("Monday", i)) return chunk(Std.LONG_WEEKDAY, "Monday");
                if (l.startsWith("Mon", i)) return chunk(Std.WEEKDAY, "Mon");
                if (l.startsWith("MST", i)) return chunk(Std.TZ, "MST");
                break;
            case '0':
                if (i + 1 < l.length() && l.charAt(i + 1) >= '1' && l.charAt(i + 1) <= '6') {
                    return switch (l.charAt(i + 1)) {
                        case '1' -> chunk(Std.ZERO_MONTH, "01");
                        case '2' -> chunk(Std.ZERO_DAY, "02");
                        case '3' -> chunk(Std.ZERO_HOUR12, "03");
                        case '4' -> chunk(Std.ZERO_MINUTE, "04");
                        case '5' -> chunk(Std.ZERO_SECOND, "05");
                        default -> chunk(Std.YEAR, "06");
                    };
                }
                if (l.startsWith("002", i)) return chunk(Std.ZERO_YDAY, "002");
                break;
            case '1':
                if (l.startsWith("15", i)) return chunk(Std.HOUR, "15");
                return chunk(Std.NUM_MONTH, "1");
            case '2':
                if (l.startsWith("2006", i)) return chunk(Std.LONG_YEAR, "2006");
                return chunk(Std.DAY, "2");
            case '_':
                if (l.startsWith("_2", i)) {
                    if (l.startsWith("_2006", i)) {
                        return null; // "_" is literal before a year
                    }
                    return chunk(Std.UNDER_DAY, "_2");
                }
                if (l.startsWith("__2", i)) return chunk(Std.UNDER_YDAY, "__2");
                break;
            case '3':
                return chunk(Std.HOUR12, "3");
            case '4':
                return chunk(Std.MINUTE, "4");
            case '5':
                return chunk(Std.SECOND, "5");
            case 'P':
                if (l.startsWith("PM", i)) return chunk(Std.PM_UPPER, "PM");
                break;
            case 'p':
                if (l.startsWith("pm", i)) return chunk(Std.PM_LOWER, "pm");
                break;
            case '-':
                if (l.startsWith("-07:00:00", i)) return chunk(Std.NUM_TZ_SECONDS_COLON, "-07:00:00");
                if (l.startsWith("-070000", i)) return chunk(Std.NUM_TZ_SECONDS, "-070000");
                if (l.startsWith("-07:00", i)) return chunk(Std.NUM_TZ_COLON, "-07:00");
                if (l.startsWith("-0700", i)) return chunk(Std.NUM_TZ, "-0700");
                if (l.startsWith("-07", i)) return chunk(Std.NUM_TZ_SHORT, "-07");
                break;
            case 'Z':
                if (l.startsWith("Z07:00:00", i)) return chunk(Std.ISO_TZ_SECONDS_COLON, "Z07:00:00");
                if (l.startsWith("Z070000", i)) return chunk(Std.ISO_TZ_SECONDS, "Z070000");
                if (l.startsWith("Z07:00", i)) return chunk(Std.ISO_TZ_COLON, "Z07:00");
                if (l.startsWith("Z0700", i)) return chunk(Std.ISO_TZ, "Z0700");
                if (l.startsWith("Z07", i)) return chunk(Std.ISO_TZ_SHORT, "Z07");
                break;
            case '.':
            case ',':
                if (i + 1 < l.length() && (l.charAt(i + 1) == '0' || l.charAt(i + 1) == '9')) {
                    char d = l.charAt(i + 1);
                    int j = i + 1;
                    while (j < l.length() && l.charAt(j) == d) {
                        j++;
                    }
                    if (!(j < l.length() && Character.isDigit(l.charAt(j)))) {
                        return new Chunk(d == '0' ? Std.FRAC0 : Std.FRAC9, l.substring(i, j), j - i - 1);
                    }
                }
                break;
            default:
                break;
        }
        return null;
    }

    private static Chunk chunk(Std std, String text) {
        return new Chunk(std, text, 0);
    }

    /** Nanoseconds since the epoch; IllegalArgumentException when the value does not fit the layout. */
    static long parse(Layout layout, String value, ZoneId loc) {
        int year = 0, month = 1, day = 1, yday = -1, hour = 0, minute = 0, second = 0, nanos = 0;
        boolean pm = false, am = false;
        ZoneOffset offset = null;
        String zoneName = null;
        Cursor v = new Cursor(value);
        Chunk[] chunks = layout.chunks;
        for (int ci = 0; ci < chunks.length; ci++) {
            Chunk c = chunks[ci];
            switch (c.std()) {
                case LITERAL -> v.skip(c.literal());
                case LONG_YEAR -> year = v.fixedDigits(4);
                case YEAR -> {
                    int y = v.fixedDigits(2);
                    year = y >= 69 ? 1900 + y : 2000 + y;
                }
                case LONG_MONTH -> month = v.lookup(LONG_MONTHS, false) + 1;
                case MONTH -> month = v.lookup(LONG_MONTHS, true) + 1;
                case NUM_MONTH, ZERO_MONTH -> month = v.num(c.std() == Std.ZERO_MONTH, 1, 12);
                case LONG_WEEKDAY -> v.lookup(LONG_DAYS, false);
                case WEEKDAY -> v.lookup(LONG_DAYS, true);
                case DAY, UNDER_DAY, ZERO_DAY -> {
                    if (c.std() == Std.UNDER_DAY) {
                        v.optionalSpace();
                    }
                    day = v.num(c.std() == Std.ZERO_DAY, 1, 31);
                }
                case ZERO_YDAY, UNDER_YDAY -> {
                    if (c.std() == Std.UNDER_YDAY) {
                        v.optionalSpace();
                        v.optionalSpace();
                    }
                    yday = v.digitsUpTo(3, c.std() == Std.ZERO_YDAY ? 3 : 1);
                }
                case HOUR -> hour = v.num(false, 0, 23);
                case HOUR12, ZERO_HOUR12 -> hour = v.num(c.std() == Std.ZERO_HOUR12, 0, 12);
                case MINUTE, ZERO_MINUTE -> minute = v.num(c.std() == Std.ZERO_MINUTE, 0, 59);
                case SECOND, ZERO_SECOND -> {
                    second = v.num(c.std() == Std.ZERO_SECOND, 0, 59);
                    // Go: a fractional second may follow even when the layout does not show one
                    boolean layoutHasFrac = ci + 1 < chunks.length
                            && (chunks[ci + 1].std() == Std.FRAC0 || chunks[ci + 1].std() == Std.FRAC9);
                    if (!layoutHasFrac && v.fractionFollows()) {
                        v.pos++;
                        nanos = v.fraction(0);
                    }
                }
                case FRAC0 -> {
                    v.expectSeparator();
                    nanos = v.fraction(c.digits());
                }
                case FRAC9 -> {
                    if (v.fractionFollows()) {
                        v.pos++;
                        nanos = v.fraction(0);
                    }
                }
                case PM_UPPER, PM_LOWER -> {
                    String s = v.take(2);
                    String want = c.std() == Std.PM_UPPER ? s : s.toUpperCase(Locale.ROOT);
                    if (c.std() == Std.PM_UPPER && !s.equals(s.toUpperCase(Locale.ROOT))
                            || c.std() == Std.PM_LOWER && !s.equals(s.toLowerCase(Locale.ROOT))) {
                        throw v.bad();
                    }
                    if (want.equals("PM")) {
                        pm = true;
                    } else if (want.equals("AM")) {
                        am = true;
                    } else {
                        throw v.bad();
                    }
                }
                case ISO_TZ, ISO_TZ_COLON, ISO_TZ_SHORT, ISO_TZ_SECONDS, ISO_TZ_SECONDS_COLON -> {
                    if (v.peek() == 'Z') {
                        v.pos++;
                        offset = ZoneOffset.UTC;
                    } else {
                        offset = v.offset(c.std());
                    }
                }
                case NUM_TZ, NUM_TZ_COLON, NUM_TZ_SHORT, NUM_TZ_SECONDS, NUM_TZ_SECONDS_COLON -> offset = v.offset(c.std());
                case TZ -> zoneName = v.zoneName();
            }
        }
        if (v.pos != value.length()) {
            throw new IllegalArgumentException("extra text after the time: \"" + value.substring(v.pos) + "\"");
        }
        if (pm && hour < 12) {
            hour += 12;
        } else if (am && hour == 12) {
            hour = 0;
        }
        try {
            LocalDate date;
            if (yday >= 0) {
                date = LocalDate.ofYearDay(year, yday);
            } else {
                date = LocalDate.of(year, month, day);
            }
            LocalDateTime ldt = date.atTime(hour, minute, second, nanos);
            if (!layout.hasYear) {
                ldt = withYearNearNow(ldt, LocalDate.now(ZoneOffset.UTC));
            }
            ZoneId zone = offset != null ? offset : zoneName != null ? named(zoneName, ldt, loc) : loc != null ? loc : ZoneOffset.UTC;
            ZonedDateTime z = ldt.atZone(zone);
            return z.toEpochSecond() * 1_000_000_000L + z.getNano();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a valid time: " + e.getMessage());
        }
    }

    /**
     * Go's reading of a zone abbreviation: the offset of the location's zone of that name (its standard or its
     * daylight name, whether or not in effect at that time), else a zone of offset zero.
     */
    private static ZoneOffset named(String name, LocalDateTime t, ZoneId loc) {
        if (loc == null || name.equals("UTC")) {
            return ZoneOffset.UTC;
        }
        TimeZone tz = TimeZone.getTimeZone(loc);
        ZoneOffset standard = loc.getRules().getStandardOffset(t.toInstant(ZoneOffset.UTC));
        if (name.equals(tz.getDisplayName(false, TimeZone.SHORT, Locale.US))) {
            return standard;
        }
        if (tz.useDaylightTime() && name.equals(tz.getDisplayName(true, TimeZone.SHORT, Locale.US))) {
            return ZoneOffset.ofTotalSeconds(standard.getTotalSeconds() + tz.getDSTSavings() / 1000);
        }
        return ZoneOffset.UTC;
    }

    /**
     * Alloy's rule for layouts without a year: this year, except across New Year (Dec in Jan, Jan in Dec). Go moves
     * the date with AddDate, which turns Feb 29 of a year without one into Mar 1.
     */
    static LocalDateTime withYearNearNow(LocalDateTime t, LocalDate now) {
        int year = now.getYear();
        if (t.getMonthValue() == 12 && now.getMonthValue() == 1) {
            year--;
        } else if (t.getMonthValue() == 1 && now.getMonthValue() == 12) {
            year++;
        }
        return LocalDate.of(year, t.getMonthValue(), 1).plusDays(t.getDayOfMonth() - 1L).atTime(t.toLocalTime());
    }

    /** A position in the value being parsed. */
    private static final class Cursor {
        final String s;
        int pos;

        Cursor(String s) {
            this.s = s;
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        IllegalArgumentException bad() {
            return new IllegalArgumentException("cannot parse \"" + s.substring(Math.min(pos, s.length())) + "\" at position " + pos);
        }

        /** Go's skip: a space in the layout matches a run of spaces. */
        void skip(String literal) {
            int i = 0;
            while (i < literal.length()) {
                if (literal.charAt(i) == ' ') {
                    if (pos < s.length() && s.charAt(pos) != ' ') {
                        throw bad();
                    }
                    while (i < literal.length() && literal.charAt(i) == ' ') {
                        i++;
                    }
                    while (pos < s.length() && s.charAt(pos) == ' ') {
                        pos++;
                    }
                    continue;
                }
                if (pos >= s.length() || s.charAt(pos) != literal.charAt(i)) {
                    throw bad();
                }
                i++;
                pos++;
            }
        }

        void optionalSpace() {
            if (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }

        int fixedDigits(int n) {
            if (pos + n > s.length()) {
                throw bad();
            }
            int v = 0;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(pos + i);
                if (c < '0' || c > '9') {
                    throw bad();
                }
                v = v * 10 + (c - '0');
            }
            pos += n;
            return v;
        }

        int digitsUpTo(int max, int min) {
            int start = pos;
            int v = 0;
            while (pos < s.length() && pos - start < max && Character.isDigit(s.charAt(pos))) {
                v = v * 10 + (s.charAt(pos++) - '0');
            }
            if (pos - start < min) {
                throw bad();
            }
            return v;
        }

        /** Go's getnum: one or two digits; fixed demands two. */
        int num(boolean fixed, int min, int max) {
            if (pos >= s.length() || !Character.isDigit(s.charAt(pos))) {
                throw bad();
            }
            int v = s.charAt(pos) - '0';
            if (pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1))) {
                v = v * 10 + (s.charAt(pos + 1) - '0');
                pos += 2;
            } else {
                if (fixed) {
                    throw bad();
                }
                pos++;
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException("value " + v + " out of range in \"" + s + "\"");
            }
            return v;
        }

        boolean fractionFollows() {
            return pos + 1 < s.length() && (s.charAt(pos) == '.' || s.charAt(pos) == ',') && Character.isDigit(s.charAt(pos + 1));
        }

        void expectSeparator() {
            if (pos >= s.length() || (s.charAt(pos) != '.' && s.charAt(pos) != ',')) {
                throw bad();
            }
            pos++;
        }

        /** Fraction digits as nanoseconds; exactly n digits when n > 0, else all that follow. */
        int fraction(int n) {
            int start = pos;
            long v = 0;
            int count = 0;
            while (pos < s.length() && Character.isDigit(s.charAt(pos)) && (n == 0 || count < n)) {
                if (count < 9) {
                    v = v * 10 + (s.charAt(pos) - '0');
                }
                count++;
                pos++;
            }
            if (count == 0 || (n > 0 && count != n)) {
                pos = start;
                throw bad();
            }
            for (int i = Math.min(count, 9); i < 9; i++) {
                v *= 10;
            }
            return (int) v;
        }

        String take(int n) {
            if (pos + n > s.length()) {
                throw bad();
            }
            String t = s.substring(pos, pos + n);
            pos += n;
            return t;
        }

        int lookup(String[] names, boolean abbreviated) {
            for (int i = 0; i < names.length; i++) {
                String name = abbreviated ? names[i].substring(0, 3) : names[i];
                if (s.regionMatches(true, pos, name, 0, name.length())) {
                    pos += name.length();
                    return i;
                }
            }
            throw bad();
        }

        ZoneOffset offset(Std std) {
            char sign = peek();
            if (sign != '+' && sign != '-') {
                throw bad();
            }
            pos++;
            int h = fixedDigits(2);
            int m = 0;
            int sec = 0;
            switch (std) {
                case ISO_TZ_COLON, NUM_TZ_COLON -> {
                    skip(":");
                    m = fixedDigits(2);
                }
                case ISO_TZ, NUM_TZ -> m = fixedDigits(2);
                case ISO_TZ_SECONDS, NUM_TZ_SECONDS -> {
                    m = fixedDigits(2);
                    sec = fixedDigits(2);
                }
                case ISO_TZ_SECONDS_COLON, NUM_TZ_SECONDS_COLON -> {
                    skip(":");
                    m = fixedDigits(2);
                    skip(":");
                    sec = fixedDigits(2);
                }
                default -> {
                }
            }
            int total = h * 3600 + m * 60 + sec;
            try {
                return ZoneOffset.ofTotalSeconds(sign == '-' ? -total : total);
            } catch (DateTimeException e) {
                throw bad();
            }
        }

        /** A zone abbreviation: UTC, or three to five upper-case letters (Go also takes GMT+n). */
        String zoneName() {
            int start = pos;
            while (pos < s.length() && Character.isUpperCase(s.charAt(pos)) && pos - start < 5) {
                pos++;
            }
            if (pos - start < 3) {
                pos = start;
                throw bad();
            }
            return s.substring(start, pos);
        }
    }
}
