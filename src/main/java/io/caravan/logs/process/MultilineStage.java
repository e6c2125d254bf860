package io.caravan.logs.process;

import com.google.re2j.Pattern;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * stage.multiline, with Alloy's rules. Each stream (label set) is looked at on its own. Until a stream's first line
 * matching {@code firstline}, its lines pass as they are; from then on every line joins the stream's block ("\n"
 * between lines), and a line matching firstline first sends the block on and starts the next. A block also leaves
 * when it reaches max_lines, and when its stream has had no line for max_wait_time (see {@link #holdsOverdue()}:
 * the route comes back for it, {@link HeldEntriesRelease}). A block carries the labels, time, structured metadata
 * and extracted values of the stream's last firstline, as Alloy's does: also a block that a continuation line
 * opens after the previous one left on time or size.
 */
final class MultilineStage implements Stage {

    private final Pattern firstline;
    private final long maxWaitNanos;
    private final long maxLines;
    private final LongSupplier nanoClock;
    private final Map<Labels, Block> streams = new LinkedHashMap<>();

    /**
     * Alloy's MultilineConfig. max_lines 0 means no limit, as in Alloy (its count never equals 0 once a line is in).
     */
    record Args(String firstline, Duration maxWaitTime, Long maxLines) implements StageArgs {
        Args {
            maxWaitTime = ArgChecks.orDefault(maxWaitTime, Duration.ofSeconds(3));
            maxLines = ArgChecks.orDefault(maxLines, 128L);
        }

        @Override
        public void validate() {
            ArgChecks.required("firstline", firstline);
            Regexes.compile("firstline", firstline);
            if (maxWaitTime.isZero() || maxWaitTime.isNegative()) {
                throw new IllegalArgumentException("'max_wait_time' must be greater than 0, like 3s");
            }
            if (maxLines < 0) {
                throw new IllegalArgumentException("'max_lines' must not be negative (0 means no limit)");
            }
        }
    }

    MultilineStage(Args args) {
        this(args, System::nanoTime);
    }

    /** With the clock that says when a stream went quiet; tests step it by hand. */
    MultilineStage(Args args, LongSupplier nanoClock) {
        this.firstline = Regexes.compile("firstline", args.firstline());
        this.maxWaitNanos = args.maxWaitTime().toNanos();
        this.maxLines = args.maxLines();
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized void process(List<ProcessEntry> entries) {
        long now = nanoClock.getAsLong();
        List<ProcessEntry> out = new ArrayList<>(entries.size());
        releaseOverdue(now, out); // their time ran out before this batch came
        for (ProcessEntry e : entries) {
            Labels stream = e.labels.build();
            Block block = streams.get(stream);
            boolean first = firstline.matcher(e.line).find();
            if (block == null && !first) {
                out.add(e);
                continue;
            }
            if (block == null) {
                block = new Block();
                streams.put(stream, block);
            }
            if (first) {
                block.release(out);
                block.startWith(e);
            }
            block.add(e.line, now);
            if (block.lines == maxLines) {
                block.release(out);
            }
        }
        entries.clear();
        entries.addAll(out);
    }

    @Override
    public boolean holdsByTime() {
        return true;
    }

    /** True when a stream has been quiet for max_wait_time with a block open. */
    @Override
    public synchronized boolean holdsOverdue() {
        long now = nanoClock.getAsLong();
        for (Block b : streams.values()) {
            if (b.overdue(now)) {
                return true;
            }
        }
        return false;
    }

    /** Every open block, in the order the streams first matched firstline; the stage then starts afresh. */
    @Override
    public synchronized List<ProcessEntry> flush() {
        List<ProcessEntry> out = new ArrayList<>();
        for (Block b : streams.values()) {
            b.release(out);
        }
        streams.clear();
        return out;
    }

    private void releaseOverdue(long now, List<ProcessEntry> out) {
        for (Block b : streams.values()) {
            if (b.overdue(now)) {
                b.release(out);
            }
        }
    }

    /** One stream's state: its last firstline entry, and the lines of the open block. */
    private final class Block {
        private Labels labels;
        private long timestampNanos;
        private Labels metadata;
        private Map<String, Object> extracted;
        private final StringBuilder text = new StringBuilder();
        private long lines;
        private long lastLineNanos;

        void startWith(ProcessEntry e) {
            labels = e.labels.build();
            timestampNanos = e.timestampNanos;
            metadata = e.metadata;
            extracted = new HashMap<>(e.extracted);
        }

        void add(String line, long now) {
            if (lines > 0) {
                text.append('\n');
            }
            text.append(line);
            lines++;
            lastLineNanos = now;
        }

        boolean overdue(long now) {
            return lines > 0 && now - lastLineNanos >= maxWaitNanos;
        }

        void release(List<ProcessEntry> out) {
            if (lines == 0) {
                return;
            }
            ProcessEntry joined = new ProcessEntry(new LogEntry(labels, timestampNanos, text.toString(), metadata));
            joined.extracted.putAll(extracted);
            out.add(joined);
            text.setLength(0);
            lines = 0;
        }
    }
}
