/**
 * {@code pod-logs:NAME}: the seed's loki.source.kubernetes, in two modes chosen per route.
 * <pre>
 * - route:
 *     from:
 *       uri: "k8s-discovery:pod?nodeName={{env:NODE_NAME}}"
 *       steps:
 *         - to: "relabel:pod_logs?rules=classpath:relabel/pod-logs.yaml"
 *         - to: "pod-logs:pods?baseDir={{POD_LOGS_DIR:/var/log/pods}}"
 * - route:
 *     from:
 *       uri: pod-logs:pods
 *       steps:
 *         - to: direct:pod-pipeline
 * </pre>
 * The producer takes the relabeled {@code List<Target>} and follows one log per container
 * ({@code __meta_kubernetes_namespace}, {@code _pod_name}, {@code _pod_uid}, {@code _pod_container_name}; several
 * ports collapse to one). The target's public labels (not starting with {@code __}) become the stream labels,
 * with {@code stream} (stdout/stderr): the seed's {@code namespace}, {@code pod}, {@code container}, {@code node},
 * {@code app}. No {@code filename}: every container restart and pod incarnation would open a new Loki stream
 * (structured metadata would be its place; LogEntry has none yet).
 * <ul>
 *   <li>{@code mode=files} (default): {@code <baseDir>/<ns>_<pod>_<uid>/<container>/<restartCount>.log}, the highest
 *       restart count; CRI and docker JSON ({@code format=auto|cri|docker}), split lines joined per stream, the
 *       runtime's timestamp. Kubelet rotation and container restarts: the old file is read to its end first
 *       (a rotated log the agent had not finished is found among {@code N.log.*}, {@code .gz} too). A pod that
 *       goes away is read to the end of its newest log, then its position is forgotten; so is a container whose
 *       pod went away while the agent was stopped (the first target list lacks it), with the labels stored with
 *       its position.</li>
 *   <li>{@code mode=api}: {@code pods/log?follow=true&amp;timestamps=true&amp;sinceTime=...} through the registry's
 *       KubernetesClient, reconnected whenever the API ends the stream; replays are dropped by timestamp and
 *       content ({@link io.caravan.logs.pods.SeenLines}).</li>
 * </ul>
 * Other options as for {@code tail:}: pollInterval, retryInterval, maxLineBytes, batchLines, batchBytes, dataDir.
 */
package io.caravan.logs.pods;
