package io.caravan.scrape;

import java.util.function.BiConsumer;

/** Where a scrape's body comes from: a target over HTTP ({@link HttpFetcher}) or an in-process exporter ({@link LocalFetcher}). */
interface Fetcher {

    /**
     * Starts one fetch of {@code target} and returns at once. {@code done} gets the body or why there is none, on a
     * scrape worker, by the target's timeout at the latest: a hung target holds no thread and delays no other target.
     */
    void fetch(ScrapeTarget target, BiConsumer<Fetched, Throwable> done);
}
