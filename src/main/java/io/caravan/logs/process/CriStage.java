package io.caravan.logs.process;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.caravan.logs.CriParser;
import io.caravan.logs.Utf8;
import io.caravan.model.Labels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * stage.cri: reads the CRI log format {@code <time> <stdout|stderr> <F|P> <content>} as Alloy does (the loose
 * {@link CriParser.Grammar#ALLOY}: runs of spaces, an optional flag, the time taken as the first token). The
 * line becomes the content, the time is parsed as RFC3339Nano (kept as it was when it does not parse), the
 * {@code stream} label is set, and flags, stream, content, time go to extracted. Partial lines (P) are held per
 * stream and joined with the next full line; past max_partial_lines held streams, everything held is flushed
 * first. Lines that are not CRI pass unchanged.
 */
final class CriStage implements Stage {

    private final int maxPartialLines;
    private final long maxPartialLineSize;
    private final boolean truncate;
    private final Map<Labels, ProcessEntry> partial = new LinkedHashMap<>();
    private final CriParser cri = new CriParser(CriParser.Grammar.ALLOY);

    /** Alloy's CRIConfig: how many streams may hold a partial line, and how long a joined line may grow (0: no limit). */
    record Args(Integer maxPartialLines, @JsonDeserialize(using = ArgValues.Bytes.class) Long maxPartialLineSize,
                Boolean maxPartialLineSizeTruncate) implements StageArgs {
        Args {
            maxPartialLines = ArgChecks.orDefault(maxPartialLines, 100);
            maxPartialLineSize = ArgChecks.orDefault(maxPartialLineSize, 0L);
            maxPartialLineSizeTruncate = ArgChecks.orDefault(maxPartialLineSizeTruncate, false);
        }

        @Override
        public void validate() {
            if (maxPartialLines <= 0) {
                throw new IllegalArgumentException("max_partial_lines must be greater than 0");
            }
        }
    }

    CriStage(Args args) {
        maxPartialLines = args.maxPartialLines();
        maxPartialLineSize = args.maxPartialLineSize();
        truncate = args.maxPartialLineSizeTruncate();
    }

    @Override
    public synchronized void process(List<ProcessEntry> entries) {
        List<ProcessEntry> out = new ArrayList<>(entries.size());
        List<ProcessEntry> flushed = new ArrayList<>();
        for (ProcessEntry e : entries) {
            if (!cri.parse(e.line)) {
                out.add(e);
                continue;
            }
            String content = cri.content();
            String time = cri.time();
            e.extracted.put("flags", cri.partial() ? "P" : "");
            e.extracted.put("stream", cri.stream());
            e.extracted.put("content", content);
            e.extracted.put("time", time);
            e.line = content;
            try {
                e.timestampNanos = GoTime.parse(GoTime.RFC3339_NANO, time, null);
            } catch (IllegalArgumentException keepTime) {
                // Alloy keeps the entry's time when the CRI time does not parse
            }
            e.labels.set("stream", cri.stream());
            Labels key = e.labels.build();
            ProcessEntry prev = partial.get(key);
            if (cri.partial()) {
                if (partial.size() >= maxPartialLines) {
                    flushed.addAll(partial.values());
                    partial.clear();
                } else if (prev != null) {
                    e.line = prev.line + e.line;
                }
                truncateIfAsked(e);
                partial.put(key, e);
                continue;
            }
            if (prev != null) {
                e.line = prev.line + e.line;
                truncateIfAsked(e);
                partial.remove(key);
            }
            out.add(e);
        }
        entries.clear();
        entries.addAll(flushed); // held lines go first, as in Alloy
        entries.addAll(out);
    }

    /** Every stream's partial line as it stands, in the order the streams started one. */
    @Override
    public synchronized List<ProcessEntry> flush() {
        List<ProcessEntry> held = new ArrayList<>(partial.values());
        partial.clear();
        return held;
    }

    private void truncateIfAsked(ProcessEntry e) {
        if (truncate && maxPartialLineSize > 0 && Utf8.length(e.line) > maxPartialLineSize) {
            e.line = e.line.substring(0, (int) Math.min(e.line.length(), maxPartialLineSize));
        }
    }
}
