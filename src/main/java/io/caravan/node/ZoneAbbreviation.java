package io.caravan.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The time zone abbreviation node_exporter's {@code time_zone} label carries ("CET", "CEST", "UTC"): Go takes it
 * from the zone's TZif file in the system's zoneinfo database. Java's "zzz" pattern no longer knows these names
 * (JDK 23 removed the COMPAT locale data; CLDR says "GMT+01:00"), so this reads the same file: of the zone's local
 * time types, the one with the offset and daylight flag in force now, latest transition first. Without the file
 * (no tzdata in the image) it falls back to Java's name.
 */
final class ZoneAbbreviation {

    private static final Path ZONEINFO = Path.of("/usr/share/zoneinfo");
    private static final DateTimeFormatter JAVA_NAME = DateTimeFormatter.ofPattern("zzz", Locale.ROOT);
    private static final Map<String, TzFile> FILES = new ConcurrentHashMap<>();

    private ZoneAbbreviation() {
    }

    static String of(ZoneId zone, Instant now) {
        int offset = zone.getRules().getOffset(now).getTotalSeconds();
        boolean dst = zone.getRules().isDaylightSavings(now);
        TzFile file = zone instanceof ZoneOffset ? TzFile.NONE : FILES.computeIfAbsent(zone.getId(), TzFile::read);
        String name = file.abbreviation(offset, dst);
        if (name != null) {
            return name;
        }
        return offset == 0 && zone.normalized().equals(ZoneOffset.UTC) ? "UTC" : JAVA_NAME.format(now.atZone(zone));
    }

    /** The local time types of one TZif file (RFC 8536), in the order of their last use by a transition. */
    private record TzFile(int[] offsets, boolean[] dst, String[] names) {

        static final TzFile NONE = new TzFile(new int[0], new boolean[0], new String[0]);

        String abbreviation(int offset, boolean daylight) {
            for (int i = offsets.length - 1; i >= 0; i--) {
                if (offsets[i] == offset && dst[i] == daylight) {
                    return names[i];
                }
            }
            return null;
        }

        static TzFile read(String id) {
            Path path = ZONEINFO.resolve(id).normalize();
            if (!path.startsWith(ZONEINFO) || !Files.isRegularFile(path)) {
                return NONE;
            }
            try {
                return parse(ByteBuffer.wrap(Files.readAllBytes(path)));
            } catch (IOException | RuntimeException unreadable) {
                return NONE; // a damaged or foreign file: Java's name instead
            }
        }

        /** Version 1 data block: enough for the types and names; the 64-bit block repeats them. */
        static TzFile parse(ByteBuffer b) {
            if (b.getInt(0) != 0x545a6966) { // "TZif"
                return NONE;
            }
            b.position(20);
            int isUtCount = b.getInt();
            int isStdCount = b.getInt();
            int leapCount = b.getInt();
            int timeCount = b.getInt();
            int typeCount = b.getInt();
            int charCount = b.getInt();
            int transitions = b.position();
            int typeIndices = transitions + 4 * timeCount;
            int types = typeIndices + timeCount;
            int chars = types + 6 * typeCount;
            byte[] text = new byte[charCount];
            b.get(chars, text);
            // types ordered by their last use: the latest transition's type wins a tie of offset and flag
            int[] order = new int[typeCount];
            int n = 0;
            boolean[] seen = new boolean[typeCount];
            for (int i = timeCount - 1; i >= 0; i--) {
                int t = b.get(typeIndices + i) & 0xff;
                if (t < typeCount && !seen[t]) {
                    seen[t] = true;
                    order[n++] = t;
                }
            }
            for (int t = typeCount - 1; t >= 0; t--) {
                if (!seen[t]) {
                    order[n++] = t;
                }
            }
            int[] offsets = new int[typeCount];
            boolean[] dst = new boolean[typeCount];
            String[] names = new String[typeCount];
            for (int k = 0; k < typeCount; k++) {
                int t = order[typeCount - 1 - k]; // abbreviation() scans from the end: most recent last
                int at = types + 6 * t;
                offsets[k] = b.getInt(at);
                dst[k] = b.get(at + 4) != 0;
                int start = b.get(at + 5) & 0xff;
                int end = start;
                while (end < text.length && text[end] != 0) {
                    end++;
                }
                names[k] = new String(text, start, end - start, java.nio.charset.StandardCharsets.US_ASCII);
            }
            return new TzFile(offsets, dst, names);
        }
    }
}
