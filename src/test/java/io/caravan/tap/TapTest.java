package io.caravan.tap;

import io.caravan.model.Labels;
import io.caravan.model.Target;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A tap's rate limit, buffer, item limit and time, on a clock the test moves (nothing here sleeps). */
class TapTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private static List<Target> targets(int n) {
        List<Target> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Target(Labels.of("__address__", "10.0.0." + i + ":9100")));
        }
        return list;
    }

    private Tap tap(int perSecond, int buffer, long limit, int seconds) {
        return new Tap("r", "relabel:x", Tap.Direction.IN, new TapLimits(perSecond, buffer, limit, seconds), nanos::get);
    }

    private void advanceMillis(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
    }

    @Test
    void aBurstBeyondTheRateIsCountedAsSkippedNotKept() throws Exception {
        Tap tap = tap(100, 1000, TapLimits.MAX_LIMIT, 60);
        tap.offer("in", targets(250));
        Tap.Poll poll = tap.poll(1000, 0);
        assertThat(poll.lines()).hasSize(100);
        assertThat(poll.lines().get(0).text()).isEqualTo("{__address__=\"10.0.0.0:9100\"}");
        assertThat(poll.lines().get(99).text()).isEqualTo("{__address__=\"10.0.0.99:9100\"}");
        assertThat(poll.skipped()).isEqualTo(150);
        assertThat(poll.end()).isNull();

        // a quarter of a second later a quarter of the rate is back
        advanceMillis(250);
        tap.offer("in", targets(40));
        poll = tap.poll(1000, 0);
        assertThat(poll.lines()).hasSize(25);
        assertThat(poll.skipped()).as("counted once, since the last poll").isEqualTo(15);

        // a long pause refills one second's worth, not more
        advanceMillis(10_000);
        tap.offer("in", targets(300));
        assertThat(tap.poll(1000, 0).lines()).hasSize(100);
        assertThat(tap.items()).isEqualTo(225);
        assertThat(tap.skippedTotal()).isEqualTo(150 + 15 + 200);
    }

    @Test
    void aReaderThatFallsBehindFillsTheBufferAndTheRestIsSkipped() throws Exception {
        Tap tap = tap(1000, 50, TapLimits.MAX_LIMIT, 60);
        tap.offer("in", targets(30));
        advanceMillis(1000);
        tap.offer("in", targets(30)); // 20 fit
        advanceMillis(1000);
        tap.offer("in", targets(30)); // none fit
        Tap.Poll poll = tap.poll(10, 0);
        assertThat(poll.lines()).as("at most max per poll").hasSize(10);
        assertThat(poll.skipped()).isEqualTo(10 + 30);
        assertThat(tap.poll(1000, 0).lines()).hasSize(40);
        // room again: the pipeline's next items are taken
        advanceMillis(1000);
        tap.offer("in", targets(5));
        assertThat(tap.poll(1000, 0).lines()).hasSize(5);
    }

    @Test
    void itEndsWhenTheLimitIsDeliveredAndTakesNothingAfter() throws Exception {
        Tap tap = tap(100, 1000, 3, 60);
        tap.offer("in", targets(5));
        Tap.Poll poll = tap.poll(1000, 0);
        assertThat(poll.lines()).hasSize(3);
        assertThat(poll.skipped()).as("items beyond the limit come after the end: not skipped").isZero();
        assertThat(poll.end()).isEqualTo(Tap.LIMIT_REACHED);
        advanceMillis(1000);
        tap.offer("in", targets(5));
        assertThat(tap.poll(1000, 0).lines()).isEmpty();
        assertThat(tap.items()).isEqualTo(3);
    }

    @Test
    void itEndsWhenItsTimeIsUpAfterTheBufferIsDrained() throws Exception {
        Tap tap = tap(100, 1000, TapLimits.MAX_LIMIT, 10);
        tap.offer("in", targets(2));
        advanceMillis(9_999);
        assertThat(tap.poll(1, 0).end()).isNull();
        advanceMillis(1);
        Tap.Poll poll = tap.poll(1000, 0);
        assertThat(poll.lines()).as("what was taken in time is still delivered").hasSize(1);
        assertThat(poll.end()).isEqualTo(Tap.TIME_IS_UP);
        tap.offer("in", targets(2));
        assertThat(tap.items()).isEqualTo(2);
    }

    @Test
    void closingEndsItWithTheReason() throws Exception {
        Tap tap = tap(100, 1000, TapLimits.MAX_LIMIT, 60);
        tap.close("agent stopping");
        tap.offer("in", targets(2));
        Tap.Poll poll = tap.poll(1000, 0);
        assertThat(poll.lines()).isEmpty();
        assertThat(poll.end()).isEqualTo("agent stopping");
    }

    @Test
    void aBodyThatIsNoListIsOneItemAndAFailureIsALine() throws Exception {
        Tap tap = tap(100, 1000, TapLimits.MAX_LIMIT, 60);
        tap.offer("in", "token=abc plain text");
        tap.offer("out", new IllegalStateException("push to https://u:pw@loki failed"));
        tap.offer("in", null);
        tap.offer("in", List.of());
        List<TapLine> lines = tap.poll(1000, 0).lines();
        assertThat(lines).extracting(TapLine::dir, TapLine::kind, TapLine::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple("in", "String", "token=*** plain text"),
                org.assertj.core.groups.Tuple.tuple("out", "error", "failed: IllegalStateException: push to https://u:***@loki failed"));
    }

    @Test
    void atMostMaxTapsAreOpenAndAClosedOneMakesRoom() throws Exception {
        Taps taps = new Taps(2, nanos::get);
        assertThat(taps.active()).as("nobody taps: the array the tap points read is empty").isEmpty();
        TapLimits limits = TapLimits.of(null, null, null);
        Tap a = taps.open("a", RouteSteps.FROM, Tap.Direction.IN, limits);
        taps.open("b", "direct:mimir", Tap.Direction.BOTH, limits);
        assertThatThrownBy(() -> taps.open("c", RouteSteps.FROM, Tap.Direction.IN, limits))
                .isInstanceOf(Taps.TooManyTaps.class)
                .hasMessage("2 taps are open, as many as the agent takes at once (a, b:direct:mimir); try again when one ends");
        taps.close(a, "client gone");
        assertThat(taps.active()).extracting(Tap::route).containsExactly("b");
        assertThat(a.poll(1, 0).end()).isEqualTo("client gone");
        taps.open("c", RouteSteps.FROM, Tap.Direction.IN, limits);
        taps.closeAll("agent stopping");
        assertThat(taps.active()).isEmpty();
    }

    @Test
    void aTapOnTheSourceWatchesWhatGoesIntoTheFirstStep() {
        Tap source = tap(100, 10, 10, 10);
        Tap from = new Tap("r", RouteSteps.FROM, Tap.Direction.OUT, new TapLimits(1, 1, 1, 1), nanos::get);
        assertThat(from.watches("r", "relabel:x", true)).isTrue();
        assertThat(from.watches("r", "scrape:x", false)).isFalse();
        assertThat(from.watches("other", "relabel:x", true)).isFalse();
        assertThat(from.showsIn()).isTrue();
        assertThat(from.showsOut()).as("the source has no out").isFalse();
        assertThat(from.inWord()).isEqualTo("from");
        assertThat(source.watches("r", "relabel:x", false)).isTrue();
        assertThat(source.watches("r", "scrape:x", true)).isFalse();
        assertThat(source.inWord()).isEqualTo("in");
    }

    @Test
    void limitsOutOfRangeAreRefusedWithWhatIsAllowed() {
        assertThatThrownBy(() -> TapLimits.of(0, null, null)).hasMessage("rate must be 1 to 1000 items a second, not 0");
        assertThatThrownBy(() -> TapLimits.of(null, null, 601)).hasMessage("seconds must be 1 to 600, not 601");
        assertThatThrownBy(() -> TapLimits.of(null, 0L, null)).hasMessage("limit must be 1 to 1000000 items, not 0");
        assertThat(TapLimits.of(null, null, null)).isEqualTo(new TapLimits(100, 1000, TapLimits.MAX_LIMIT, 60));
        assertThatThrownBy(() -> Tap.Direction.parse("sideways")).hasMessage("direction must be in, out or both, not 'sideways'");
        assertThat(Tap.Direction.parse("Both")).isEqualTo(Tap.Direction.BOTH);
    }
}
