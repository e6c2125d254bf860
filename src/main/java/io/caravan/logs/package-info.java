/**
 * Log sources: files followed from a stored position ({@code tail:}) and the logs of this node's pods
 * ({@code pod-logs:}, from the kubelet's files or through the API server). The loki.process stages and the Loki
 * sink live elsewhere ({@code logs.process}, {@code loki}); these sources emit {@code List<LogEntry>} batches.
 *
 * <h2>Shared machinery</h2>
 * {@link io.caravan.logs.FileFollower} follows one file and its rotations, for tail: and pod-logs: alike;
 * {@link io.caravan.logs.PositionStore} keeps positions; {@link io.caravan.logs.Fingerprint} knows a file by its
 * first bytes, {@link io.caravan.logs.FileLocator} finds a file or its copy again, {@link io.caravan.logs.RotatedNames}
 * says where rotation puts it, {@link io.caravan.logs.LogFile} reads plain and {@code .gz} files;
 * {@link io.caravan.logs.Pollers} holds the threads (Camel's ExecutorServiceManager: one timer, a cached worker
 * pool); {@link io.caravan.logs.LogSourceMetrics} counts. Both components extend
 * {@link io.caravan.logs.LogSourceComponent} (the Caravan component kit plus positions file, pollers and counters per
 * source) and share their read options through {@link io.caravan.logs.LogSourceEndpoint}; each keeps its followers in
 * a {@link io.caravan.component.Reconciler} (tail: one per file, pod-logs: one per container) and reports each
 * endpoint as a {@link io.caravan.component.ComponentStatus} built by {@link io.caravan.logs.LogSourceStatus}.
 *
 * <h2>Positions</h2>
 * One file per source, {@code <dataDir>/positions/<scheme>-<name>.jsonl} (dataDir: the endpoint's or component's
 * {@code dataDir}, else the property or environment variable {@code CARAVAN_DATA_DIR}, else {@code ./data}), one
 * JSON object per line:
 * <pre>
 * {"key":"/var/log/kube-audit/audit.log","file":"/var/log/kube-audit/audit.log","fileKey":"(dev=803,ino=1234)","fingerprint":"1024:9f3a12c0","offset":52311}
 * {"key":"shop_web-1_&lt;uid&gt;/web","file":"/var/log/pods/shop_web-1_&lt;uid&gt;/web/0.log","fileKey":"(dev=803,ino=99)","fingerprint":"412:5d01aa7e","offset":412,"labels":{"app":"web","container":"web","namespace":"shop","node":"node-a","pod":"web-1"}}
 * {"key":"shop_web-1_&lt;uid&gt;/web","offset":0,"timestampNanos":1704067203250000000,"seen":"9f3a...:1"}   (mode=api)
 * </pre>
 * {@code fingerprint}: length and CRC32C of the file's first bytes (up to 1 KiB, at least up to the offset);
 * {@code labels}: a pod-logs container's stream labels, so its follower can be rebuilt when discovery no longer
 * lists it. Positions stored before fingerprints are known by their inode alone. Written whole to a temp file,
 * fsynced, renamed over the old one, directory fsynced; after every batch the route took (concurrent commits
 * share one write). A damaged line (NUL bytes, cut JSON) costs only its own entry: that source starts per its
 * start option, the others resume.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>A position moves only after the route returned without an exception for that batch. A crash
 *       ({@code kill -9} included) re-reads at most the batch in flight: nothing lost, at most one batch twice.
 *       A route that throws leaves the position where it was; the batch is read again after a pause.</li>
 *   <li>A file is known by its first bytes, its inode a hint: an inode reused by another file is a new file,
 *       read from its start.</li>
 *   <li>Every file with a stored position is read to its end while it exists, whatever the path, the glob or
 *       discovery says now, and only then is its position forgotten: tail: finishes the files its path no longer
 *       names at start-up; pod-logs: ({@code mode=files}) finishes the containers that the first target list
 *       after a start no longer has (pods deleted or replaced while the agent was away), with the labels stored
 *       with their positions, and reads a pod that goes away while the agent runs to the end of its newest log
 *       before it retires it.</li>
 *   <li>Rename rotation (logrotate's create, kube-apiserver's {@code audit-<timestamp>.log}, the kubelet's
 *       {@code N.log.<timestamp>}): the open file is read to its end, what the writer adds before it reopens
 *       included, then the new one from its start. Rotated while the agent was away: the old file is found by its
 *       inode in its directory, or by its first bytes among its rotated names ({@code rotatedNames}), compressed
 *       ({@code .gz}) or not, read from the stored offset to its end, then the new file.</li>
 *   <li>Copy-truncate: when a file is smaller than what was read, its copy is found among its rotated names by
 *       its first bytes ({@code .gz} too), read on from where the reader was to its end, then the file again from
 *       0: nothing the copy holds is lost or read twice.</li>
 *   <li>Failure to write positions (disk full) is logged and counted; reading goes on, a restart re-reads from the
 *       last stored positions (duplicates, never loss).</li>
 * </ul>
 * Lost, and counted in {@code caravan_logs_lost_total{reason}} with one WARN naming the file and what to do:
 * <ul>
 *   <li>{@code deleted}: a file with a stored position is nowhere when the follower starts (deleted, rotated to a
 *       name {@code rotatedNames} does not cover, compressed and removed, a pod's logs removed by the kubelet
 *       before the agent came back): what was written to it after the stored position, if anything.</li>
 *   <li>{@code truncated}: a file shrank (or its inode holds other content at start-up) and no rotated copy starts
 *       with the bytes read: what was written after the read position, if anything (a file rewritten in place
 *       is counted too).</li>
 *   <li>{@code damaged}: a compressed copy ends early (cut or corrupt): its rest.</li>
 * </ul>
 * Lost, and not seen (the windows that remain):
 * <ul>
 *   <li>What a writer writes between the copy and the truncate of copy-truncate: it is in neither file.</li>
 *   <li>A truncation the reader never sees: the writer refills the file past the read position before the next
 *       look (one pollInterval, or as long as the route holds a batch). The first bytes are read once per file
 *       opened; closing this would take reading them again before every read.</li>
 *   <li>More than one rotation between two looks (one pollInterval while running, the whole time away while
 *       stopped): the files in between are not read. Likewise a container that restarted more than once while
 *       the agent was away: only the stored log and the newest are read.</li>
 *   <li>Lines a writer adds to a rotated file after the reader finished it and switched.</li>
 *   <li>pod-logs: a pod created and deleted while the agent was away. Discovery never listed it and no position
 *       names it; its directory may still be there, but without the pod object the agent cannot tell whether the
 *       relabel rules would have kept it (the seed's drop every pod that is not Running), so it is not read.
 *       The soak's 10-minute run lost 8,216 of 540,220 pod-log lines this way, all in pods that lived only
 *       during the agent's two 19-20 s absences.</li>
 *   <li>A file that starts with the same bytes as the stored one (all of them, for a file under 1 KiB) and has
 *       its inode is taken for it: its first {@code offset} bytes are skipped.</li>
 * </ul>
 */
package io.caravan.logs;
