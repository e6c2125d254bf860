package io.caravan.tap;

/**
 * How much one tap may take: items a second (beyond them items are counted as skipped, not kept), the buffer between
 * the pipeline and a slow reader (full, items are skipped too: the pipeline never waits for a tap), the items to deliver
 * before it ends, and the seconds before it ends anyway.
 */
public record TapLimits(int perSecond, int buffer, long limit, int seconds) {

    public static final int DEFAULT_PER_SECOND = 100;
    public static final int MAX_PER_SECOND = 1000;
    public static final int BUFFER = 1000;
    public static final int DEFAULT_SECONDS = 60;
    public static final int MAX_SECONDS = 600;
    public static final long MAX_LIMIT = 1_000_000;

    public TapLimits {
        if (perSecond < 1 || perSecond > MAX_PER_SECOND) {
            throw new IllegalArgumentException("rate must be 1 to " + MAX_PER_SECOND + " items a second, not " + perSecond);
        }
        if (buffer < 1) {
            throw new IllegalArgumentException("buffer must hold at least 1 item, not " + buffer);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + " items, not " + limit);
        }
        if (seconds < 1 || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("seconds must be 1 to " + MAX_SECONDS + ", not " + seconds);
        }
    }

    /** What a client asked for, each null for the default: 100 a second, no limit but the time, 60 seconds. */
    public static TapLimits of(Integer perSecond, Long limit, Integer seconds) {
        return new TapLimits(perSecond == null ? DEFAULT_PER_SECOND : perSecond, BUFFER, limit == null ? MAX_LIMIT : limit,
                seconds == null ? DEFAULT_SECONDS : seconds);
    }
}
