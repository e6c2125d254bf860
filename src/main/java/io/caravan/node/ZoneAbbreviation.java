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

    /** One TZif file (RFC 8536): its local time types and which type each transition switched to, oldest first. */
    private record TzFile(int[] offsets, boolean[] dst, String[] names, int[] transitionTypes) {

        static final TzFile NONE = new TzFile(new int[0], new boolean[0], new String[0], new int[0]);

        /** The type in force now matches offset and flag; the latest transition to such a type names it. */
        String abbreviation(int offset, boolean daylight) {
            for (int i = transitionTypes.length - 1; i >= 0; i--) {
                int t = transitionTypes[i];
                if (offsets[t] == offset && dst[t] == daylight) {
                    return names[t];
                }
            }
            for (int t = 0; t < offsets.length; t++) { // a zone without transitions (UTC, fixed offsets)
                if (offsets[t] == offset && dst[t] == daylight) {
                    return names[t];
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
            b.position(32); // magic, version, 15 reserved bytes, then isutcnt, isstdcnt, leapcnt
            int timeCount = b.getInt();
            int typeCount = b.getInt();
            int charCount = b.getInt();
            int typeIndices = b.position() + 4 * timeCount;
            int types = typeIndices + timeCount;
            int chars = types + 6 * typeCount;
            int[] transitionTypes = new int[timeCount];
            for (int i = 0; i < timeCount; i++) {
                transitionTypes[i] = Math.min(b.get(typeIndices + i) & 0xff, typeCount - 1);
            }
            int[] offsets = new int[typeCount];
            boolean[] dst = new boolean[typeCount];
            String[] names = new String[typeCount];
            for (int t = 0; t < typeCount; t++) {
                int at = types + 6 * t;
                offsets[t] = b.getInt(at);
                dst[t] = b.get(at + 4) != 0;
                int start = chars + (b.get(at + 5) & 0xff);
                int end = start;
                while (end < chars + charCount && b.get(end) != 0) {
                    end++;
                }
                byte[] name = new byte[end - start];
                b.get(start, name);
                names[t] = new String(name, java.nio.charset.StandardCharsets.US_ASCII);
            }
            return new TzFile(offsets, dst, names, transitionTypes);
        }
    }
}
