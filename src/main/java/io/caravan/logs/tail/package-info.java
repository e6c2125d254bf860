/**
 * {@code tail:NAME?path=GLOB}: Alloy's local.file_match + loki.source.file as one Camel consumer.
 * <pre>
 * - route:
 *     from:
 *       uri: "tail:audit?path=/var/log/kube-audit/audit.log&amp;labels=job=kube-audit,source=audit"
 *       steps:
 *         - to: direct:audit-pipeline
 * </pre>
 * Options: {@code path} (file or glob, required), {@code start=beginning|end} (files without a stored position
 * that exist at start-up; later files always start at their beginning), {@code pollInterval=250ms},
 * {@code scanInterval=1s} (glob), {@code retryInterval=1s}, {@code maxLineBytes=1048576}, {@code batchLines=1000},
 * {@code batchBytes=1048576}, {@code labels=name=value,...}, {@code dataDir},
 * {@code rotatedNames=<name>.*,<name>-*,<base>-*<ext>,<base>-*<ext>.gz} (where rotation puts a file's older
 * content; see {@link io.caravan.logs.RotatedNames}). Every entry gets a {@code filename} label, the followed
 * path's, also for lines read from a rotated copy; its timestamp is the read time (strictly increasing per file)
 * until a later stage sets it. A glob that also matches rotated names ({@code *} next to {@code app.log.1})
 * reads them again, as in Promtail: match the live names only. A file with a stored position that the path no
 * longer names at start-up is read to its end, then forgotten.
 */
package io.caravan.logs.tail;
