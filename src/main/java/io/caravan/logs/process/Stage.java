package io.caravan.logs.process;

import java.util.List;

/** One loki.process stage. Works on a batch in place: dropped entries leave the list, held ones too. */
interface Stage {

    void process(List<ProcessEntry> entries);

    /**
     * The entries this stage holds back waiting for more (cri's partial lines), handed over and forgotten: for when
     * no more input will come. Most stages hold nothing.
     */
    default List<ProcessEntry> flush() {
        return List.of();
    }

    /**
     * Whether some entry held back has waited its time and would leave on the next call, even an empty one
     * (multiline's max_wait_time). Most stages hold nothing by time.
     */
    default boolean holdsOverdue() {
        return false;
    }

    /** Whether this stage can hold entries that must leave by time, so someone has to ask {@link #holdsOverdue()}. */
    default boolean holdsByTime() {
        return false;
    }

    /** A stage that looks at one entry at a time; false drops it. */
    abstract class PerEntry implements Stage {

        abstract boolean apply(ProcessEntry e);

        @Override
        public final void process(List<ProcessEntry> entries) {
            int dst = 0;
            for (int i = 0, n = entries.size(); i < n; i++) {
                ProcessEntry e = entries.get(i);
                if (apply(e)) {
                    if (dst != i) {
                        entries.set(dst, e);
                    }
                    dst++;
                }
            }
            if (dst < entries.size()) {
                entries.subList(dst, entries.size()).clear();
            }
        }
    }
}
