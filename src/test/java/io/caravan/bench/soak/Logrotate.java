package io.caravan.bench.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.zip.GZIPOutputStream;

/**
 * logrotate's three ways with a log file, and its names for what it keeps, none of which a tail glob {@code *.log}
 * matches:
 * <ul>
 *   <li>copytruncate, numbered ({@code rotate N} without dateext): {@code app.log.1} becomes {@code app.log.2} (and
 *       so on up), the file is copied to {@code app.log.1} and truncated to 0 while its writer keeps appending;</li>
 *   <li>rename ({@code create} with {@code dateext}, {@code dateformat -%Y%m%d%H%M%S}): {@code app.log-20261202093015},
 *       and the writer reopens {@code app.log};</li>
 *   <li>compress (without delaycompress): the renamed file gzipped to {@code app.log-20261202093015.gz} and removed.</li>
 * </ul>
 * The agent is being changed (another engineer, in parallel) to find such a sibling, plain or .gz, by the content
 * fingerprint of the file it was reading and to go on from its stored offset there, after a copytruncate or a
 * rename; the agent of today does not, so the soak shows those losses with today's jar.
 */
final class Logrotate {

    private static final DateTimeFormatter DATEEXT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private Logrotate() {
    }

    /** copytruncate: shifts the numbered copies up, copies the file to {@code .1}, truncates it. Returns the copy. */
    static Path copytruncate(Path file) throws IOException {
        int n = 1;
        while (Files.exists(numbered(file, n))) {
            n++;
        }
        for (; n > 1; n--) {
            Files.move(numbered(file, n - 1), numbered(file, n));
        }
        Path copy = numbered(file, 1);
        Files.copy(file, copy);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        return copy;
    }

    /**
     * Renames the file to its dated name; the caller reopens the original name. Two rotations of one file within
     * a second would share a name, so the later one takes the next free second (logrotate would refuse it).
     */
    static Path renameDated(Path file, long nowMillis) throws IOException {
        long s = nowMillis / 1000;
        Path to = dated(file, s);
        while (Files.exists(to) || Files.exists(gz(to))) {
            to = dated(file, ++s);
        }
        Files.move(file, to);
        return to;
    }

    /** gzip's way: {@code file.gz} written, then the original removed. */
    static Path gzip(Path file) throws IOException {
        Path to = gz(file);
        try (InputStream in = Files.newInputStream(file); OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
            in.transferTo(out);
        }
        Files.delete(file);
        return to;
    }

    private static Path numbered(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private static Path dated(Path file, long epochSecond) {
        return file.resolveSibling(file.getFileName() + "-" + DATEEXT.format(Instant.ofEpochSecond(epochSecond)));
    }

    private static Path gz(Path file) {
        return file.resolveSibling(file.getFileName() + ".gz");
    }
}
