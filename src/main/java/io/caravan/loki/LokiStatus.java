package io.caravan.loki;

/**
 * What the UI shows for one loki sink: where it sends, whether the last request worked, and what waits.
 * {@code state} is "debug" (no url), "starting", "ok", "retrying" (the receiver fails; entries wait on disk)
 * or "stopped". Times are epoch milliseconds, 0 for never.
 */
public record LokiStatus(String name, String url, String state, long queuedEntries, long queuedBytes, long spillBytes,
                         long sentEntries, long lastSuccessMs, long lastErrorMs, String lastError) {
}
