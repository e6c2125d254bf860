package io.caravan.logs;

import java.io.IOException;
import java.nio.file.Path;

/** The path a follower reads now: a fixed file, or the newest {@code N.log} of a container. */
@FunctionalInterface
public interface FollowedPath {

    /** The current path, or null while there is none (not created yet, or between a rename and a create). */
    Path current() throws IOException;

    /**
     * Whether a follower told to finish also reads a newer file this names once the one it reads ends. A
     * container's next log, yes: it was written before its pod went away. A fixed path, no: a file that appears
     * there later is another file, followed afresh if it is wanted.
     */
    default boolean finishesNewer() {
        return false;
    }

    static FollowedPath fixed(Path path) {
        return () -> path;
    }
}
