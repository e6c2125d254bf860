package io.caravan.logs.pods;

import io.caravan.logs.CriParser;

/** How a container log file is written: CRI (containerd, CRI-O), docker's json-file, or told apart per line. */
public enum LogFormat {
    AUTO, CRI, DOCKER;

    public static LogFormat of(String option) {
        try {
            return valueOf(option.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("format must be auto, cri or docker, not '" + option + "'");
        }
    }

    /** The line, or null when it is in neither format; {@code cri} is the reader's parser, for CRI lines. */
    public ContainerLine parse(String line, CriParser cri) {
        return switch (this) {
            case CRI -> cri(line, cri);
            case DOCKER -> DockerJsonParser.parse(line);
            case AUTO -> !line.isEmpty() && line.charAt(0) == '{' ? DockerJsonParser.parse(line) : cri(line, cri);
        };
    }

    private static ContainerLine cri(String line, CriParser cri) {
        // a runtime writes the time to the second at least (20 characters), and it must parse
        if (!cri.parse(line) || cri.timeEnd() < 20) {
            return null;
        }
        long ts = Rfc3339.parseNanos(line, 0, cri.timeEnd());
        return ts == Rfc3339.INVALID ? null : new ContainerLine(ts, cri.stream(), cri.partial(), cri.content());
    }
}
