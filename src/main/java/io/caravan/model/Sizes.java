package io.caravan.model;

/** Byte sizes in options: a number of bytes, or with a unit (KB = KiB = 1024, MB = MiB, GB = GiB), as Alloy reads them. */
public final class Sizes {

    private Sizes() {
    }

    public static long parse(String option, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(option + ": a size is required (like 1MiB, 256KB or 1048576)");
        }
        String s = text.trim();
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            throw bad(option, text);
        }
        long mult = switch (s.substring(i).trim().toUpperCase()) {
            case "", "B" -> 1L;
            case "K", "KB", "KIB" -> 1L << 10;
            case "M", "MB", "MIB" -> 1L << 20;
            case "G", "GB", "GIB" -> 1L << 30;
            default -> throw bad(option, text);
        };
        try {
            return (long) (Double.parseDouble(s.substring(0, i)) * mult);
        } catch (NumberFormatException e) {
            throw bad(option, text);
        }
    }

    private static IllegalArgumentException bad(String option, String text) {
        return new IllegalArgumentException(option + ": '" + text + "' is not a size; write it like 1MiB, 256KB or 1048576");
    }
}
