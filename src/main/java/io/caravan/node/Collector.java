package io.caravan.node;

/**
 * One node_exporter collector: reads its files and fills the families it owns.
 * An instance is never run by two threads at once ({@link NodeExporter} makes sure), so it may keep
 * reusable buffers and state between scrapes (the cpu collector's counters, the filesystem collector's
 * stuck mounts).
 */
public interface Collector {

    /** The collector's name as node_exporter knows it ("cpu", "meminfo", ...): the {@code collector} label. */
    String name();

    /**
     * Collects one scrape into {@code out} (already reset). Throwing means "success 0": whatever was added
     * before the throw is still exported, as node_exporter exports what a failing collector sent before its error.
     */
    void collect(MetricFamilies out) throws Exception;
}
