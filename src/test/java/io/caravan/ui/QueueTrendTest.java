package io.caravan.ui;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** "Queue growing": a minute of observations (7, 10 s apart) that never shrank and ended higher than they began. */
class QueueTrendTest {

    private static final long T0 = 1_000_000;

    private static QueueTrend observed(String sink, long... entries) {
        QueueTrend trend = new QueueTrend();
        for (int i = 0; i < entries.length; i++) {
            trend.observe(sink, entries[i], T0 + i * QueueTrend.PERIOD_MS);
        }
        return trend;
    }

    @Test
    void aQueueThatRoseForAMinuteIsGrowing() {
        QueueTrend.Growth g = observed("remote-write:mimir", 3_000, 4_000, 5_500, 7_000, 9_000, 10_500, 12_000).growth("remote-write:mimir");
        assertThat(g).isEqualTo(new QueueTrend.Growth(9_000, 60));
    }

    @Test
    void aQueueFedInBurstsIsGrowingThoughFlatBetweenThem() {
        // a 30 s scrape interval: the queue rises every third observation and stays flat in between
        assertThat(observed("s", 100, 100, 100, 2_100, 2_100, 2_100, 4_100).growth("s")).isEqualTo(new QueueTrend.Growth(4_000, 60));
    }

    @Test
    void oneShrinkInTheMinuteMeansTheReceiverTakesEntries() {
        assertThat(observed("s", 100, 900, 1_700, 400, 1_200, 2_000, 2_800).growth("s")).isNull();
    }

    @Test
    void aFlatOrEmptyQueueIsNotGrowing() {
        assertThat(observed("s", 0, 0, 0, 0, 0, 0, 0).growth("s")).isNull();
        assertThat(observed("s", 5_000, 5_000, 5_000, 5_000, 5_000, 5_000, 5_000).growth("s")).as("full and stuck, but not growing").isNull();
    }

    @Test
    void lessThanAMinuteOfObservationsDecidesNothing() {
        assertThat(observed("s", 1, 2, 3, 4, 5, 6).growth("s")).isNull();
        assertThat(observed("s", 1, 2, 3, 4, 5, 6).growth("other")).isNull();
    }

    @Test
    void onlyTheLastMinuteCounts() {
        // an old shrink (the first observation) slides out of the window
        assertThat(observed("s", 9_000, 10, 20, 30, 40, 50, 60, 70).growth("s")).isEqualTo(new QueueTrend.Growth(60, 60));
    }

    @Test
    void aSinkThatIsGoneIsForgotten() {
        QueueTrend trend = observed("s", 1, 2, 3, 4, 5, 6, 7);
        trend.retainOnly(Set.of("other"));
        assertThat(trend.growth("s")).isNull();
        trend.observe("s", 8, T0 + 100_000);
        assertThat(trend.growth("s")).as("starts afresh").isNull();
    }
}
