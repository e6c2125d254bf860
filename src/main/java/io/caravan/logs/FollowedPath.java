package io.caravan.logs;

import java.io.IOException;
import java.nio.file.Path;

/** The path a follower reads now: a fixed file, or the newest {@code N.log} of a container. */
@FunctionalInterface
public interface FollowedPath {

    /** The current path, or null while there is none (not created yet, or between a rename and a create). */
    Path current() throws IOException;

    static FollowedPath fixed(Path path) {
        return () -> path;
    }
}
