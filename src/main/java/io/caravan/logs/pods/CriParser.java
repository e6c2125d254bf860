package io.caravan.logs.pods;

/**
 * The CRI log format (containerd, CRI-O): {@code <RFC3339Nano> <stdout|stderr> <P|F>[:tags] <content>}, e.g.
 * {@code 2024-01-01T00:00:00.123456789Z stdout F hello}. A "P" tag marks a piece of a line the runtime split
 * (16 KiB by default); the line ends at the next "F" of the same stream.
 */
public final class CriParser {

    private CriParser() {
    }

    /** The parsed line, or null when it is not CRI. */
    public static ContainerLine parse(String line) {
        int sp1 = line.indexOf(' ');
        if (sp1 < 20) {
            return null;
        }
        long ts = Rfc3339.parseNanos(line, 0, sp1);
        if (ts == Rfc3339.INVALID) {
            return null;
        }
        int sp2 = line.indexOf(' ', sp1 + 1);
        if (sp2 < 0) {
            return null;
        }
        String stream;
        if (sp2 - sp1 - 1 == 6 && line.startsWith(ContainerLine.STDOUT, sp1 + 1)) {
            stream = ContainerLine.STDOUT;
        } else if (sp2 - sp1 - 1 == 6 && line.startsWith(ContainerLine.STDERR, sp1 + 1)) {
            stream = ContainerLine.STDERR;
        } else {
            return null;
        }
        int tagStart = sp2 + 1;
        int sp3 = line.indexOf(' ', tagStart);
        int tagEnd = sp3 < 0 ? line.length() : sp3; // "... stdout F" with nothing after: an empty line
        if (tagEnd == tagStart) {
            return null;
        }
        // tags are ':'-separated; the first says partial or full
        int colon = line.indexOf(':', tagStart);
        int firstTagEnd = colon >= 0 && colon < tagEnd ? colon : tagEnd;
        if (firstTagEnd - tagStart != 1) {
            return null;
        }
        char tag = line.charAt(tagStart);
        if (tag != 'P' && tag != 'F') {
            return null;
        }
        String content = sp3 < 0 ? "" : line.substring(sp3 + 1);
        return new ContainerLine(ts, stream, tag == 'P', content);
    }
}
