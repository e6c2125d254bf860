package io.caravan.loki;

import io.caravan.component.ComponentStatus;

/**
 * What the UI shows for one loki sink: where it sends, whether the last request worked, and what waits.
 * {@code state} is "debug" (no url), "starting", "ok", "retrying" (the receiver fails; entries wait on disk)
 * or "stopped". Times are epoch milliseconds, 0 for never.
 */
// read by ui until it reads statuses()
public record LokiStatus(String name, String url, String state, long queuedEntries, long queuedBytes, long spillBytes,
                         long sentEntries, long lastSuccessMs, long lastErrorMs, String lastError) {

    static LokiStatus of(ComponentStatus s) {
        ComponentStatus.Queue q = s.queue() == null ? new ComponentStatus.Queue(0, 0, 0) : s.queue();
        Object sent = s.details().getOrDefault("sentEntries", s.details().getOrDefault("received", 0L));
        Object lastSuccess = s.details().get("lastSuccessMs");
        return new LokiStatus(s.name(), String.valueOf(s.details().getOrDefault("url", "")), s.state(), q.entries(), q.bytes(),
                q.diskBytes(), ((Number) sent).longValue(), lastSuccess == null ? 0 : ((Number) lastSuccess).longValue(),
                s.lastErrorAt() == null ? 0 : s.lastErrorAt().toEpochMilli(), s.lastError() == null ? "" : s.lastError());
    }
}
