package io.caravan.canary;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The book of outstanding markers: ids, what a query found, what expired, and its bound. */
class MarkerBookTest {

    @Test
    void idsAreSendTimesMadeUniqueAndFoundMarkersLeaveWithTheirLatency() {
        MarkerBook book = new MarkerBook(60_000);
        long a = book.send(1_000);
        long b = book.send(1_000); // same millisecond: the next id
        long c = book.send(5_000);
        assertThat(List.of(a, b, c)).containsExactly(1_000L, 1_001L, 5_000L);
        assertThat(book.oldestSentAt()).isEqualTo(1_000);

        // a query may return markers of an earlier run (not on the book) and markers already found: ignored
        assertThat(book.found(Set.of(b, 999L), 3_500)).containsExactly(new MarkerBook.Found(b, 2_500));
        assertThat(book.found(Set.of(b), 3_600)).isEmpty();
        assertThat(book.outstanding()).isEqualTo(2);

        book.unsent(c); // the route refused it: not waited for
        assertThat(book.outstanding()).isEqualTo(1);
        assertThat(book.oldestSentAt()).isEqualTo(1_000);
    }

    @Test
    void markersExpireAfterMissingAfterOldestFirstAndTheBookIsBounded() {
        MarkerBook book = new MarkerBook(10_000);
        book.send(0);
        book.send(4_000);
        book.send(8_000);
        assertThat(book.expire(9_999)).isZero();
        assertThat(book.expire(10_000)).isEqualTo(1);
        assertThat(book.expire(14_500)).isEqualTo(1);
        assertThat(book.oldestSentAt()).isEqualTo(8_000);
        assertThat(book.outstanding()).isEqualTo(1);

        MarkerBook full = new MarkerBook(Long.MAX_VALUE);
        for (int i = 0; i < MarkerBook.MAX_OUTSTANDING + 5; i++) {
            full.send(i);
        }
        assertThat(full.expire(MarkerBook.MAX_OUTSTANDING + 5)).as("the oldest beyond the bound").isEqualTo(5);
        assertThat(full.outstanding()).isEqualTo(MarkerBook.MAX_OUTSTANDING);
        assertThat(full.oldestSentAt()).isEqualTo(5);
    }
}
