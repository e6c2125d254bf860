package io.caravan.tap;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The taps open on this agent, at most {@link #MAX_TAPS} at once. Every tapped step reads {@link #active()} on every
 * exchange: one volatile read of an array that is empty while nobody taps, replaced (never changed) when a tap opens or
 * closes.
 */
public final class Taps {

    public static final int MAX_TAPS = 4;

    /** A tap refused because as many as the agent takes are open. */
    public static final class TooManyTaps extends Exception {
        TooManyTaps(String message) {
            super(message);
        }
    }

    private static final Tap[] NONE = new Tap[0];

    private final int max;
    private final LongSupplier nanoClock;
    private volatile Tap[] active = NONE;

    public Taps(int max, LongSupplier nanoClock) {
        this.max = max;
        this.nanoClock = nanoClock;
    }

    /** The open taps; empty (the common case) while nobody taps. */
    Tap[] active() {
        return active;
    }

    public List<Tap> open() {
        return List.of(active);
    }

    /** Opens a tap; refused while {@code max} are open, naming them. */
    public synchronized Tap open(String route, String step, Tap.Direction direction, TapLimits limits) throws TooManyTaps {
        Tap[] now = active;
        if (now.length >= max) {
            throw new TooManyTaps(now.length + " taps are open, as many as the agent takes at once ("
                    + String.join(", ", Arrays.stream(now).map(Tap::name).toList()) + "); try again when one ends");
        }
        Tap tap = new Tap(route, step, direction, limits, nanoClock);
        Tap[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = tap;
        active = next;
        return tap;
    }

    /** Closes a tap and stops offering it anything. */
    public synchronized void close(Tap tap, String why) {
        tap.close(why);
        active = Arrays.stream(active).filter(t -> t != tap).toArray(Tap[]::new);
    }

    /** Closes every tap (the agent stops): their readers end their streams. */
    public synchronized void closeAll(String why) {
        for (Tap t : active) {
            t.close(why);
        }
        active = NONE;
    }
}
