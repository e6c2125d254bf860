package io.caravan.logs.pods;

/**
 * One line of a container log, as the runtime wrote it: when, to which stream, whether the runtime split a long
 * line there ({@code partial}: more of the same line follows), and the application's text.
 */
public record ContainerLine(long timestampNanos, String stream, boolean partial, String content) {

    public static final String STDOUT = "stdout";
    public static final String STDERR = "stderr";
}
