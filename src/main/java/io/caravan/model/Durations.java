package io.caravan.model;

/**
 * Prometheus' duration syntax ("30s", "1m30s", "500ms", "2h", "1d", "1w", "1y"), so scrape intervals and
 * timeouts read as they do in a Prometheus or Alloy config.
 */
public final class Durations {

    private Durations() {
    }

    /** Milliseconds in the duration; IllegalArgumentException naming the option when it is not one. */
    public static long parseMillis(String option, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(option + ": a duration is required (like 30s, 1m, 500ms)");
        }
        String s = text.trim();
        if (s.equals("0")) {
            return 0;
        }
        long total = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (start == i) {
                throw bad(option, text);
            }
            long n = Long.parseLong(s.substring(start, i));
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            long unit = switch (s.substring(unitStart, i)) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                case "d" -> 86_400_000L;
                case "w" -> 7 * 86_400_000L;
                case "y" -> 365 * 86_400_000L;
                default -> throw bad(option, text);
            };
            total = Math.addExact(total, Math.multiplyExact(n, unit));
        }
        return total;
    }

    /** The shortest Prometheus spelling of a duration, e.g. 90000 -> "1m30s". */
    public static String format(long ms) {
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long[] units = {3_600_000L, 60_000L, 1_000L, 1L};
        String[] names = {"h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (ms >= units[i]) {
                sb.append(ms / units[i]).append(names[i]);
                ms %= units[i];
            }
        }
        return sb.toString();
    }

    private static IllegalArgumentException bad(String option, String text) {
        return new IllegalArgumentException(option + ": '" + text + "' is not a duration; write it like 30s, 1m30s or 500ms");
    }
}
