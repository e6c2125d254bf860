package io.caravan.logs.pods;

import io.caravan.logs.FollowSettings;

import java.nio.file.Path;

/** The options of a pod-logs source, checked once when its producer starts. */
record PodLogsSettings(Mode mode, Path baseDir, LogFormat format, FollowSettings follow, Path positionsFile) {

    /** Where the logs come from: the kubelet's files on this node (the default), or the API server. */
    enum Mode {
        FILES, API;

        static Mode of(String option) {
            return switch (option == null ? "" : option.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "files", "file" -> FILES;
                case "api" -> API;
                default -> throw new IllegalArgumentException("mode must be files or api, not '" + option + "'");
            };
        }
    }
}
