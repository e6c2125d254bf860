/**
 * Log sources: files followed from a stored position ({@code tail:}) and the logs of this node's pods
 * ({@code pod-logs:}, from the kubelet's files or through the API server). The loki.process stages and the Loki
 * sink live elsewhere ({@code logs.process}, {@code loki}); these sources emit {@code List<LogEntry>} batches.
 *
 * <h2>Shared machinery</h2>
 * {@link io.caravan.logs.FileFollower} follows one file and its rotations; {@link io.caravan.logs.PositionStore}
 * keeps positions; {@link io.caravan.logs.Pollers} holds the threads (Camel's ExecutorServiceManager: one timer,
 * a cached worker pool); {@link io.caravan.logs.LogSourceMetrics} counts.
 *
 * <h2>Positions</h2>
 * One file per source, {@code <dataDir>/positions/<scheme>-<name>.jsonl} (dataDir: the endpoint's or component's
 * {@code dataDir}, else {@code CARAVAN_DATA_DIR}, else {@code ./data}), one JSON object per line:
 * <pre>
 * {"key":"/var/log/kube-audit/audit.log","file":"/var/log/kube-audit/audit.log","fileKey":"(dev=803,ino=1234)","offset":52311}
 * {"key":"shop_web-1_&lt;uid&gt;/web","file":"/var/log/pods/shop_web-1_&lt;uid&gt;/web/0.log","fileKey":"(dev=803,ino=99)","offset":1200}
 * {"key":"shop_web-1_&lt;uid&gt;/web","offset":0,"timestampNanos":1704067203250000000,"seen":"9f3a...:1"}   (mode=api)
 * </pre>
 * Written whole to a temp file, fsynced, renamed over the old one, directory fsynced; after every batch the route
 * took (concurrent commits share one write). A damaged line (NUL bytes, cut JSON) costs only its own entry: that
 * source starts per its start option, the others resume.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>A position moves only after the route returned without an exception for that batch. A crash
 *       ({@code kill -9} included) re-reads at most the batch in flight: nothing lost, at most one batch twice.
 *       A route that throws leaves the position where it was; the batch is read again after a pause.</li>
 *   <li>Rename-and-create rotation: the open file is read to its end before the new one is opened, also when it
 *       happened while the agent was stopped (the old file is found by its identity in the same directory).
 *       Lost: a file created and rotated away again between two looks (more than one rotation per pollInterval),
 *       and lines a writer adds to the old file after the reader has switched.</li>
 *   <li>Copy-truncate: a file smaller than what was read is read again from 0. Lost: what was written after the
 *       last read and before the truncate (only in the copy), and a truncation hidden by a writer that writes
 *       more than the old size before the next look. Promtail and Alloy have the same windows.</li>
 *   <li>Failure to write positions (disk full) is logged and counted; reading goes on, a restart re-reads from the
 *       last stored positions (duplicates, never loss).</li>
 * </ul>
 */
package io.caravan.logs;
