package io.caravan.logs;

import java.util.List;

/** One log-source endpoint as the UI shows it: what it follows and how far each follower is. */
// read by ui until it reads statuses()
public record SourceStatus(String endpoint, String positionsFile, List<FollowerStatus> followers, String lastError) {
}
