/**
 * Log sources: following files from a stored position ({@code tail:}) and the logs of the pods on this node
 * ({@code pod-logs:}, from the kubelet's files or through the API server). The shared machinery lives here:
 * {@link io.caravan.logs.FileFollower} (one file, its rotations and its position), {@link io.caravan.logs.PositionStore}
 * (positions that survive {@code kill -9}), {@link io.caravan.logs.Pollers} (the threads) and
 * {@link io.caravan.logs.LogSourceMetrics}. Positions advance only after the route has taken a batch.
 */
package io.caravan.logs;
