package io.caravan.canary;

import java.io.IOException;
import java.util.Set;

/** Asks a store's query API which of a canary's markers it holds. */
interface ReadBack {

    /**
     * The ids of the markers the store holds that were sent in [fromMs, toMs]; IOException (in words naming the URL and
     * what to check) when the query cannot be made or answered.
     */
    Set<Long> markers(long fromMs, long toMs) throws IOException, InterruptedException;
}
