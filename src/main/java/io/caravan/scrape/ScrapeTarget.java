package io.caravan.scrape;

import io.caravan.model.Durations;
import io.caravan.model.Labels;
import io.caravan.model.Target;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A target ready to scrape: its final labels (job, instance and the rest, no {@code __} labels) and the URL
 * built from {@code __scheme__}, {@code __address__}, {@code __metrics_path__} and {@code __param_*},
 * following Prometheus' PopulateLabels.
 */
public record ScrapeTarget(Labels labels, URI url, long intervalMs, long timeoutMs) {

    /** A target that cannot be scraped, and why. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    public static ScrapeTarget of(Target target, ScrapeSettings job) throws Invalid {
        Labels.Builder b = target.labels().toBuilder();
        // Defaults go in only where discovery/relabeling did not set them, as in Prometheus.
        setIfAbsent(b, "job", job.jobName());
        setIfAbsent(b, Target.SCRAPE_INTERVAL, Durations.format(job.intervalMs()));
        setIfAbsent(b, Target.SCRAPE_TIMEOUT, Durations.format(job.timeoutMs()));
        setIfAbsent(b, Target.METRICS_PATH, job.metricsPath());
        setIfAbsent(b, Target.SCHEME, job.scheme());
        for (int i = 0; i < job.params().size(); i++) {
            setIfAbsent(b, Target.PARAM_PREFIX + job.params().name(i), job.params().value(i));
        }
        String address = b.get(Target.ADDRESS);
        if (address == null) {
            throw new Invalid("no __address__ label (relabeling removed it or discovery gave none)");
        }
        if (address.contains("/")) {
            throw new Invalid("__address__ '" + address + "' is not host:port (did a relabel rule put a URL there?)");
        }
        long interval;
        long timeout;
        try {
            interval = Durations.parseMillis(Target.SCRAPE_INTERVAL, b.get(Target.SCRAPE_INTERVAL));
            timeout = Durations.parseMillis(Target.SCRAPE_TIMEOUT, b.get(Target.SCRAPE_TIMEOUT));
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
        if (interval <= 0 || timeout <= 0 || timeout > interval) {
            throw new Invalid("scrape timeout " + b.get(Target.SCRAPE_TIMEOUT) + " must be positive and at most the interval "
                    + b.get(Target.SCRAPE_INTERVAL));
        }
        String scheme = b.get(Target.SCHEME);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new Invalid("__scheme__ must be http or https, got '" + scheme + "'");
        }
        URI url = url(b, scheme, address);

        Labels.Builder out = Labels.builder();
        for (int i = 0; i < b.size(); i++) {
            if (!b.name(i).startsWith("__")) {
                out.set(b.name(i), b.value(i));
            }
        }
        setIfAbsent(out, "instance", address);
        return new ScrapeTarget(out.build(), url, interval, timeout);
    }

    private static URI url(Labels.Builder b, String scheme, String address) throws Invalid {
        StringBuilder sb = new StringBuilder(scheme).append("://").append(address);
        String path = b.getOrEmpty(Target.METRICS_PATH);
        if (!path.startsWith("/")) {
            sb.append('/');
        }
        sb.append(path);
        char sep = path.contains("?") ? '&' : '?';
        for (int i = 0; i < b.size(); i++) {
            String name = b.name(i);
            if (name.startsWith(Target.PARAM_PREFIX)) {
                sb.append(sep).append(encode(name.substring(Target.PARAM_PREFIX.length()))).append('=').append(encode(b.value(i)));
                sep = '&';
            }
        }
        try {
            return URI.create(sb.toString());
        } catch (IllegalArgumentException e) {
            throw new Invalid("cannot build a scrape URL from " + sb + ": " + e.getMessage());
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void setIfAbsent(Labels.Builder b, String name, String value) {
        if (b.get(name) == null) {
            b.set(name, value);
        }
    }
}
