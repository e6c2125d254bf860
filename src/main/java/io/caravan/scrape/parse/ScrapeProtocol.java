package io.caravan.scrape.parse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The exposition formats a scrape may ask for, by Prometheus' scrape_protocols names, with the media type each is
 * asked for by in the Accept header.
 */
public enum ScrapeProtocol {

    PROMETHEUS_PROTO("PrometheusProto", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", false),
    OPENMETRICS_TEXT_1_0_0("OpenMetricsText1.0.0", "application/openmetrics-text;version=1.0.0", true),
    OPENMETRICS_TEXT_0_0_1("OpenMetricsText0.0.1", "application/openmetrics-text;version=0.0.1", false),
    PROMETHEUS_TEXT_1_0_0("PrometheusText1.0.0", "text/plain;version=1.0.0", true),
    PROMETHEUS_TEXT_0_0_4("PrometheusText0.0.4", "text/plain;version=0.0.4", false);

    /** Prometheus 3's default order. */
    public static final List<ScrapeProtocol> DEFAULT = List.of(OPENMETRICS_TEXT_1_0_0, OPENMETRICS_TEXT_0_0_1, PROMETHEUS_TEXT_1_0_0,
            PROMETHEUS_TEXT_0_0_4);
    /** Prometheus' order where native histograms are scraped: only the protobuf format carries them. */
    public static final List<ScrapeProtocol> PROTO_FIRST = List.of(PROMETHEUS_PROTO, OPENMETRICS_TEXT_1_0_0, OPENMETRICS_TEXT_0_0_1,
            PROMETHEUS_TEXT_1_0_0, PROMETHEUS_TEXT_0_0_4);

    private final String configName;
    private final String mediaType;
    /** The 1.0.0 text formats take an escaping parameter: Prometheus asks for UTF-8 names as they are. */
    private final boolean escaping;

    ScrapeProtocol(String configName, String mediaType, boolean escaping) {
        this.configName = configName;
        this.mediaType = mediaType;
        this.escaping = escaping;
    }

    public String configName() {
        return configName;
    }

    /** A protocol by its scrape_protocols name (case-sensitive, as in Prometheus). */
    public static ScrapeProtocol of(String name) {
        for (ScrapeProtocol p : values()) {
            if (p.configName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown scrape protocol '" + name + "'; the protocols are "
                + Arrays.stream(values()).map(ScrapeProtocol::configName).collect(Collectors.joining(", ")));
    }

    /** A comma-separated list of names, in order of preference; each at most once. */
    public static List<ScrapeProtocol> parseList(String names) {
        List<ScrapeProtocol> out = new ArrayList<>();
        for (String name : names.split(",")) {
            ScrapeProtocol p = of(name.strip());
            if (out.contains(p)) {
                throw new IllegalArgumentException("scrape protocol " + name.strip() + " is listed twice");
            }
            out.add(p);
        }
        return List.copyOf(out);
    }

    /**
     * The Accept header Prometheus sends for these protocols: each media type with a falling quality, starting at
     * 0.(number of protocols + 1), then anything at the next lower one.
     */
    public static String acceptHeader(List<ScrapeProtocol> protocols) {
        StringBuilder sb = new StringBuilder();
        int weight = values().length + 1;
        for (ScrapeProtocol p : protocols) {
            sb.append(p.mediaType);
            if (p.escaping) {
                sb.append(";escaping=allow-utf-8");
            }
            sb.append(String.format(Locale.ROOT, ";q=0.%d,", weight--));
        }
        return sb.append(String.format(Locale.ROOT, "*/*;q=0.%d", weight)).toString();
    }
}
