package io.caravan.discovery;

/**
 * Prometheus' duration syntax ("500ms", "30s", "5m", "1h30m") for this component's options.
 * The same rules as {@code io.caravan.model.Durations}, which lives on another branch for now: once both are
 * merged, this class should delegate to it (or go away).
 */
final class DurationOption {

    private DurationOption() {
    }

    static long millis(String option, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(option + ": a duration is required (like 500ms, 30s, 5m)");
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
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            if (start == unitStart) {
                throw bad(option, text);
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
            total = Math.addExact(total, Math.multiplyExact(Long.parseLong(s.substring(start, unitStart)), unit));
        }
        return total;
    }

    private static IllegalArgumentException bad(String option, String text) {
        return new IllegalArgumentException(option + ": '" + text + "' is not a duration; write it like 500ms, 30s or 5m");
    }
}
