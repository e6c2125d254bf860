package io.caravan.logs.pods;

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

    public ContainerLine parse(String line) {
        return switch (this) {
            case CRI -> CriParser.parse(line);
            case DOCKER -> DockerJsonParser.parse(line);
            case AUTO -> !line.isEmpty() && line.charAt(0) == '{' ? DockerJsonParser.parse(line) : CriParser.parse(line);
        };
    }
}
