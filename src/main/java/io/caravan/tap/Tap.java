package io.caravan.tap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * One client's tap on one step of one route: what the pipeline offers it (on the pipeline's thread, never waiting)
 * goes through its rate limit into a bounded buffer, from which its reader polls. Items beyond the rate or the
 * buffer are counted and reported as skipped, never kept. It ends when its limit of items is delivered, when its time
 * is up, or when it is closed (the client went away, the agent stops).
 */
public final class Tap {

    /** Which side of the step it shows: the body going in, coming out, or both. */
    public enum Direction {
        IN, OUT, BOTH;

        public static Direction parse(String s) {
            try {
                return s == null ? IN : valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("direction must be in, out or both, not '" + s + "'");
            }
        }
    }

    /** What a poll returns: lines, the items skipped since the last poll, and why the tap ended (null while it runs). */
    public record Poll(List<TapLine> lines, long skipped, String end) {
    }

    public static final String LIMIT_REACHED = "limit reached";
    public static final String TIME_IS_UP = "time is up";

    private final String route;
    private final String step;
    private final boolean source;
    private final Direction direction;
    private final TapLimits limits;
    private final LongSupplier nanoClock;
    private final long deadline;
    private final TokenBucket bucket;
    private final ArrayDeque<TapLine> buffer = new ArrayDeque<>();
    private long admitted;
    private long skipped;
    private long skippedTotal;
    private String closed;

    /** A tap on {@code step} (an id of {@link RouteSteps}; {@link RouteSteps#FROM} for what leaves the source). */
    public Tap(String route, String step, Direction direction, TapLimits limits, LongSupplier nanoClock) {
        this.route = route;
        this.step = step;
        this.source = RouteSteps.FROM.equals(step);
        this.direction = source ? Direction.IN : direction; // what leaves the source goes into its first step
        this.limits = limits;
        this.nanoClock = nanoClock;
        this.deadline = nanoClock.getAsLong() + limits.seconds() * 1_000_000_000L;
        this.bucket = new TokenBucket(limits.perSecond(), nanoClock);
    }

    public String route() {
        return route;
    }

    public String step() {
        return step;
    }

    public Direction direction() {
        return direction;
    }

    public TapLimits limits() {
        return limits;
    }

    /** Whether the step {@code step} of {@code route} is the one tapped; {@code first}: it is the route's first step. */
    boolean watches(String route, String step, boolean first) {
        return this.route.equals(route) && (source ? first : this.step.equals(step));
    }

    boolean showsIn() {
        return direction != Direction.OUT;
    }

    boolean showsOut() {
        return direction != Direction.IN;
    }

    /** The direction word of a body seen going into the step: "from" for a tap on the source. */
    String inWord() {
        return source ? "from" : "in";
    }

    /**
     * Takes what passes: a list's items, or the body as one item. Called on the pipeline's thread: it renders at most
     * the rate's share of items and counts the rest, and never throws.
     */
    public void offer(String dir, Object body) {
        if (body == null) {
            return;
        }
        List<?> items = body instanceof List<?> list ? list : List.of(body);
        if (items.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        synchronized (this) {
            if (closed != null || admitted >= limits.limit()) {
                return;
            }
            int wanted = (int) Math.min(items.size(), limits.limit() - admitted); // beyond the limit: after the end
            int room = Math.min(wanted, limits.buffer() - buffer.size());
            int take = bucket.take(room);
            int i = 0;
            for (Object item : items) {
                if (i++ == take) {
                    break;
                }
                try {
                    buffer.add(TapLine.of(dir, item, now));
                } catch (RuntimeException e) {
                    buffer.add(TapLine.of(dir, e, now)); // a tap must not fail the exchange it watches
                }
            }
            admitted += take;
            skipped += wanted - take;
            skippedTotal += wanted - take;
            if (take > 0) {
                notifyAll();
            }
        }
    }

    /**
     * Up to {@code max} lines, waiting up to {@code waitMillis} for the first; with the count skipped since the last
     * poll, and once the buffer is drained and the tap is over, why it ended.
     */
    public synchronized Poll poll(int max, long waitMillis) throws InterruptedException {
        long waitUntil = System.nanoTime() + waitMillis * 1_000_000L;
        while (buffer.isEmpty() && over() == null) {
            long left = (waitUntil - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            wait(Math.min(left, Math.max(1, (deadline - nanoClock.getAsLong()) / 1_000_000L)));
        }
        List<TapLine> lines = new ArrayList<>(Math.min(max, buffer.size()));
        while (lines.size() < max && !buffer.isEmpty()) {
            lines.add(buffer.poll());
        }
        long s = skipped;
        skipped = 0;
        String end = buffer.isEmpty() ? over() : null;
        if (end != null && closed == null) {
            closed = end; // nothing more is taken
        }
        return new Poll(lines, s, end);
    }

    /** Why the tap is over, or null while it runs. */
    private String over() {
        if (closed != null) {
            return closed;
        }
        if (admitted >= limits.limit()) {
            return LIMIT_REACHED;
        }
        return nanoClock.getAsLong() - deadline >= 0 ? TIME_IS_UP : null;
    }

    /** Ends the tap (the client went away, the agent stops); its reader's next poll says why. */
    public synchronized void close(String why) {
        if (closed == null) {
            closed = why;
        }
        notifyAll();
    }

    public synchronized long items() {
        return admitted;
    }

    public synchronized long skippedTotal() {
        return skippedTotal;
    }

    public String name() {
        return route + (source ? "" : ":" + step);
    }
}
