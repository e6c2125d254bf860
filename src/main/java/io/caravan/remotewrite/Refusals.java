package io.caravan.remotewrite;

import io.caravan.model.Durations;
import io.caravan.sink.PushClient;
import io.caravan.sink.Sender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples the receiver refused for what they are, once their batch was split down to them: counted as
 * dropped (reason {@code rejected}) and told in one WARN per distinct reason at most every
 * {@link #LOG_INTERVAL_MS}, naming the series and its job (a series refused on every scrape would otherwise
 * log every few seconds). One per sink, shared by its shards.
 */
final class Refusals {

    private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);
    static final long LOG_INTERVAL_MS = 5 * 60_000;
    static final String REJECTED = "rejected";
    /** Reasons remembered; past this many, new ones share one ("other"), so a receiver's answer can't grow the map. */
    private static final int MAX_REASONS = 32;
    /** Mimir's error ids, e.g. err-mimir-sample-out-of-order: the reason without the series and numbers around it. */
    private static final Pattern ERROR_ID = Pattern.compile("err-[a-z]+-[a-z0-9-]+");

    private final String sink;
    private final Map<String, Unlogged> reasons = new HashMap<>(); // guarded by this

    /** Refusals of one reason since its last WARN. */
    private static final class Unlogged {
        long loggedAtMs;
        long samples;
    }

    Refusals(String sink) {
        this.sink = sink;
    }

    /** The receiver refused these samples (and not the rest of their batch): they are dropped, counted by their shard's sender. */
    void rejected(PushClient.Outcome refusal, List<WalRecord.Series> samples, Sender<?, ?> sender) {
        sender.dropped(REJECTED, samples.size());
        String reason = reason(refusal.answer());
        long now = System.currentTimeMillis();
        long count;
        synchronized (this) {
            Unlogged u = reasons.get(reason);
            if (u == null) {
                if (reasons.size() >= MAX_REASONS) {
                    reason = "other";
                    u = reasons.get(reason);
                }
                if (u == null) {
                    u = new Unlogged();
                    u.loggedAtMs = now - LOG_INTERVAL_MS;
                    reasons.put(reason, u);
                }
            }
            u.samples += samples.size();
            if (now - u.loggedAtMs < LOG_INTERVAL_MS) {
                return;
            }
            count = u.samples;
            u.samples = 0;
            u.loggedAtMs = now;
        }
        LOG.warn("remote-write {}: the receiver refused {} sample(s) for \"{}\" (HTTP {}), e.g. {}; they are dropped "
                        + "(caravan_remote_write_samples_dropped_total reason rejected), their batches were split and the parts "
                        + "the receiver took were sent. Logged once per reason every {}",
                sink, count, reason, refusal.status(), describe(samples.get(0)), Durations.format(LOG_INTERVAL_MS));
    }

    /** What the answer says, without what differs from one refusal to the next (series, timestamps, values). */
    static String reason(String answer) {
        Matcher id = ERROR_ID.matcher(answer);
        if (id.find()) {
            return id.group();
        }
        // Prometheus answers the bare error ("out of order sample"); others go on with the series or numbers
        int end = 0;
        while (end < answer.length() && end < 80 && ":;,{(0123456789".indexOf(answer.charAt(end)) < 0) {
            end++;
        }
        String reason = answer.substring(0, end).strip();
        return reason.isEmpty() ? "no reason given" : reason;
    }

    private static String describe(WalRecord.Series s) {
        try {
            WalRecord.Head sample = s.chunk().head(s.index());
            String job = sample.labels().get("job");
            return (job == null ? "a series without a job label" : "job \"" + job + "\"") + ": " + sample.labels()
                    + " at " + Instant.ofEpochMilli(sample.timestampMs());
        } catch (RuntimeException unreadable) {
            return "a series that cannot be read back (" + unreadable.getMessage() + ")";
        }
    }
}
