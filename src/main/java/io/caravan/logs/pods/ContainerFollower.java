package io.caravan.logs.pods;

import io.caravan.logs.FileFollower;
import io.caravan.logs.FollowerStatus;
import io.caravan.logs.Pollers;
import io.caravan.model.Labels;

/**
 * One container as its pod-logs source follows it: its log files (a {@link FileFollower} and the loop that polls
 * it) or its pods/log stream. Retired, the files are read to their end before their position is forgotten, and a
 * file follower may go on where it was if the container is wanted again first; a stream stops at once.
 */
final class ContainerFollower {

    private final Labels labels;
    private final FileFollower files;
    private final Pollers.Handle poll;
    private final ApiLogStream stream;
    private volatile boolean streamStopped;

    private ContainerFollower(Labels labels, FileFollower files, Pollers.Handle poll, ApiLogStream stream) {
        this.labels = labels;
        this.files = files;
        this.poll = poll;
        this.stream = stream;
    }

    static ContainerFollower ofFiles(Labels labels, FileFollower files, Pollers.Handle poll) {
        return new ContainerFollower(labels, files, poll, null);
    }

    static ContainerFollower ofStream(Labels labels, ApiLogStream stream) {
        return new ContainerFollower(labels, null, null, stream);
    }

    /** The container is no longer wanted: files are drained, then forget their position; a stream forgets at once. */
    void retire(Runnable forgetPosition) {
        if (files != null) {
            files.finish();
        } else {
            stop();
            forgetPosition.run();
        }
    }

    /** Whether a retired container is finished; a finished file follower's poll loop is cancelled for good. */
    boolean done() {
        if (files == null) {
            return streamStopped;
        }
        if (files.isDone()) {
            poll.cancel();
            return true;
        }
        return false;
    }

    /** Takes back a retirement that has not completed (a pod gone from discovery for a moment); false when too late. */
    boolean revive() {
        return files != null && files.resume();
    }

    /** Stops reading; the position stays stored. Call {@link #close()} once every follower of the source is stopped. */
    void stop() {
        if (files != null) {
            poll.cancel();
        } else {
            streamStopped = true;
            stream.stop();
        }
    }

    /** Lets go of the open file, waiting for a poll in progress. */
    void close() {
        if (files != null) {
            files.close();
        }
    }

    FollowerStatus status() {
        return files != null ? files.status() : stream.status();
    }

    /** Whether its files were read to their end and forgotten: not followed any more, whatever the reconciler holds. */
    boolean finished() {
        return files != null && files.isDone();
    }

    Labels labels() {
        return labels;
    }
}
