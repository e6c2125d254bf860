package io.caravan.logs.pods;

import io.caravan.logs.CriParser;
import io.caravan.logs.LineDecoder;
import io.caravan.logs.LogSourceMetrics;
import io.caravan.logs.Utf8;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A container log file's lines to entries, as Promtail's and Alloy's cri/docker stages do: the runtime's
 * timestamp, a {@code stream} label (stdout/stderr), the content without the runtime's prefix, split lines
 * joined per stream. A line in neither format is counted and passed on raw, with its read time.
 */
public final class ContainerLogDecoder implements LineDecoder {

    private final LogFormat format;
    private final CriParser cri = new CriParser(CriParser.Grammar.RUNTIME);
    private final Labels base;
    private final Labels stdout;
    private final Labels stderr;
    private final LogSourceMetrics metrics;
    private final PartialJoiner outPieces;
    private final PartialJoiner errPieces;

    public ContainerLogDecoder(LogFormat format, Labels base, int maxLineChars, LogSourceMetrics metrics) {
        this.format = format;
        this.base = base;
        this.stdout = base.toBuilder().set("stream", ContainerLine.STDOUT).build();
        this.stderr = base.toBuilder().set("stream", ContainerLine.STDERR).build();
        this.metrics = metrics;
        this.outPieces = new PartialJoiner(maxLineChars);
        this.errPieces = new PartialJoiner(maxLineChars);
    }

    @Override
    public void decode(String line, long lineStart, long readNanos, List<LogEntry> out) {
        ContainerLine c = format.parse(line, cri);
        if (c == null) {
            metrics.malformed();
            out.add(new LogEntry(base, readNanos, line));
            return;
        }
        accept(c, lineStart, out);
    }

    /**
     * A CRI line's prefix is ASCII: it is read on its own and only the content is decoded, so a line is copied once
     * on its way to text, not twice (whole, then its content): that second copy was ~18% of what the pod-logs
     * run allocated (JFR). Anything else (docker JSON, a prefix that is not CRI) takes the text path.
     */
    @Override
    public void decode(byte[] b, int off, int len, long lineStart, long readNanos, List<LogEntry> out) {
        int head = format == LogFormat.DOCKER || len == 0 || b[off] == '{' ? -1 : criHeadLength(b, off, len);
        ContainerLine c = head < 0 ? null : format.parse(new String(b, off, head, StandardCharsets.ISO_8859_1), cri);
        if (c == null) {
            decode(Utf8.decode(b, off, len), lineStart, readNanos, out);
            return;
        }
        accept(new ContainerLine(c.timestampNanos(), c.stream(), c.partial(), Utf8.decode(b, off + head, len - head)),
                lineStart, out);
    }

    /** Bytes up to and including the third space (so the prefix parses with empty content), all ASCII; else -1. */
    private static int criHeadLength(byte[] b, int off, int len) {
        int spaces = 0;
        for (int i = off, end = off + Math.min(len, 256); i < end; i++) {
            if (b[i] < 0) {
                return -1;
            }
            if (b[i] == ' ' && ++spaces == 3) {
                return i + 1 - off;
            }
        }
        return -1;
    }

    private void accept(ContainerLine c, long lineStart, List<LogEntry> out) {
        boolean err = ContainerLine.STDERR.equals(c.stream());
        PartialJoiner pieces = err ? errPieces : outPieces;
        if (c.partial()) {
            pieces.add(c, lineStart);
            return;
        }
        Labels labels = err ? stderr : stdout;
        if (!pieces.holding()) {
            out.add(new LogEntry(labels, c.timestampNanos(), c.content()));
            return;
        }
        long ts = pieces.timestampNanos(); // a joined line carries the time of its first piece
        String text = pieces.complete(c.content());
        if (pieces.lastCut()) {
            metrics.lineTruncated();
        }
        out.add(new LogEntry(labels, ts, text));
    }

    @Override
    public long heldSince() {
        long a = outPieces.since();
        long b = errPieces.since();
        if (a < 0) {
            return b;
        }
        return b < 0 ? a : Math.min(a, b);
    }

    @Override
    public void flush(List<LogEntry> out) {
        // the file ended inside a split line: hand on what there is, oldest first
        PartialJoiner first = outPieces.holding() && (!errPieces.holding() || outPieces.since() <= errPieces.since()) ? outPieces : errPieces;
        PartialJoiner second = first == outPieces ? errPieces : outPieces;
        for (PartialJoiner p : new PartialJoiner[]{first, second}) {
            if (p.holding()) {
                long ts = p.timestampNanos();
                out.add(new LogEntry(p == errPieces ? stderr : stdout, ts, p.complete("")));
            }
        }
    }

    @Override
    public void reset() {
        outPieces.clear();
        errPieces.clear();
    }
}
