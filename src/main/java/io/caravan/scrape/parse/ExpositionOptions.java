package io.caravan.scrape.parse;

import java.util.List;

/**
 * How a job asks for its bodies and reads them, as Prometheus' scrape_protocols, scrape_native_histograms and
 * always_scrape_classic_histograms: the protocols in order of preference (by default Prometheus' order, with the
 * protobuf format first when native histograms are scraped), whether a native histogram is kept as one (else its
 * classic buckets are read, as Prometheus does with native histograms off), whether a histogram exposed both
 * ways also gives its classic series, how many buckets a native histogram may have and how fine they may be, and
 * whether start timestamps are read (Prometheus' created-timestamp parsing).
 *
 * <p>{@code convertClassicHistogramsToNhcb} is Prometheus' convert_classic_histograms_to_nhcb: each classic histogram
 * also becomes one native histogram with custom buckets, its classic series then kept only with
 * {@code alwaysScrapeClassicHistograms}.
 */
public final class ExpositionOptions {

    public static final ExpositionOptions DEFAULT = new ExpositionOptions(null, false, false, 0, 0, false, false);

    private final List<ScrapeProtocol> protocols;
    private final boolean nativeHistograms;
    private final boolean alwaysScrapeClassicHistograms;
    private final int nativeHistogramBucketLimit;
    private final int nativeHistogramMaxSchema;
    private final boolean createdTimestamps;
    private final boolean convertClassicHistogramsToNhcb;
    private final String acceptHeader;

    /**
     * @param protocols                  in order of preference; null or empty for Prometheus' default for the
     *                                   nativeHistograms setting
     * @param nativeHistogramBucketLimit a native histogram with more buckets is brought to a lower schema until it
     *                                   fits, else the scrape fails (Prometheus' native_histogram_bucket_limit); 0 = none
     * @param nativeHistogramMinBucketFactor a native histogram whose buckets grow by less is brought to the highest
     *                                   schema whose buckets grow by at least this (Prometheus'
     *                                   native_histogram_min_bucket_factor); at most 1 = as fine as exposed
     * @param createdTimestamps          read when each series started: protobuf's created timestamps, OpenMetrics'
     *                                   {@code _created} lines (then not series of their own)
     * @param convertClassicHistogramsToNhcb each classic histogram also as a native histogram with custom buckets
     */
    public ExpositionOptions(List<ScrapeProtocol> protocols, boolean nativeHistograms, boolean alwaysScrapeClassicHistograms,
                             int nativeHistogramBucketLimit, double nativeHistogramMinBucketFactor, boolean createdTimestamps,
                             boolean convertClassicHistogramsToNhcb) {
        this.convertClassicHistogramsToNhcb = convertClassicHistogramsToNhcb;
        if (nativeHistogramBucketLimit < 0) {
            throw new IllegalArgumentException("nativeHistogramBucketLimit must not be negative, got " + nativeHistogramBucketLimit);
        }
        this.nativeHistogramBucketLimit = nativeHistogramBucketLimit;
        if (!(nativeHistogramMinBucketFactor >= 0) || Double.isInfinite(nativeHistogramMinBucketFactor)) {
            throw new IllegalArgumentException("nativeHistogramMinBucketFactor must be a finite number of at least 0 (at most 1: no "
                    + "limit), got " + nativeHistogramMinBucketFactor);
        }
        this.nativeHistogramMaxSchema = maxSchema(nativeHistogramMinBucketFactor);
        this.protocols = protocols == null || protocols.isEmpty()
                ? (nativeHistograms ? ScrapeProtocol.PROTO_FIRST : ScrapeProtocol.DEFAULT)
                : List.copyOf(protocols);
        this.nativeHistograms = nativeHistograms;
        this.alwaysScrapeClassicHistograms = alwaysScrapeClassicHistograms;
        this.createdTimestamps = createdTimestamps;
        this.acceptHeader = ScrapeProtocol.acceptHeader(this.protocols);
    }

    public List<ScrapeProtocol> protocols() {
        return protocols;
    }

    public boolean nativeHistograms() {
        return nativeHistograms;
    }

    public boolean alwaysScrapeClassicHistograms() {
        return alwaysScrapeClassicHistograms;
    }

    public int nativeHistogramBucketLimit() {
        return nativeHistogramBucketLimit;
    }

    /** The highest exponential schema a scraped native histogram keeps; {@link #MAX_EXPONENTIAL_SCHEMA} for no limit. */
    public int nativeHistogramMaxSchema() {
        return nativeHistogramMaxSchema;
    }

    /** The finest exponential schema: buckets grow by 2^(2^-8). */
    public static final int MAX_EXPONENTIAL_SCHEMA = 8;

    /**
     * The highest schema whose buckets grow by at least factor, as Prometheus picks it: schema s grows by 2^(2^-s),
     * so s = floor(-log2(log2(factor))), within -4..8; a factor of at most 1 is taken as 1.00271 (schema 8).
     */
    static int maxSchema(double factor) {
        if (factor <= 1) {
            factor = 1.00271;
        }
        double log2 = Math.log(factor) / Math.log(2);
        double floor = Math.floor(-Math.log(log2) / Math.log(2));
        return (int) Math.max(io.caravan.model.NativeHistogram.MIN_EXPONENTIAL_SCHEMA, Math.min(MAX_EXPONENTIAL_SCHEMA, floor));
    }

    public boolean createdTimestamps() {
        return createdTimestamps;
    }

    public boolean convertClassicHistogramsToNhcb() {
        return convertClassicHistogramsToNhcb;
    }

    /** What a scrape sends as Accept. */
    public String acceptHeader() {
        return acceptHeader;
    }

    /**
     * The parser for a response of this Content-Type: the protobuf format for {@code application/vnd.google.protobuf}
     * (its parameters not checked, as in Prometheus), else a text format (see {@link ExpositionParser#forContentType}).
     * Converting classic histograms is the protobuf parser's own job, and a wrapper's around a text one, as in Prometheus.
     */
    public ExpositionParser parserFor(String contentType) {
        if (isProtobuf(contentType)) {
            return new PrometheusProtobufParser(!nativeHistograms, alwaysScrapeClassicHistograms, convertClassicHistogramsToNhcb);
        }
        ExpositionParser text = ExpositionParser.isOpenMetrics(contentType) ? new OpenMetricsParser(createdTimestamps)
                : new PrometheusTextParser();
        return convertClassicHistogramsToNhcb ? new ClassicToNhcbParser(text, alwaysScrapeClassicHistograms) : text;
    }

    static boolean isProtobuf(String contentType) {
        if (contentType == null) {
            return false;
        }
        String media = contentType.split(";", 2)[0].strip();
        return media.equalsIgnoreCase(PROTOBUF_MEDIA_TYPE);
    }

    private static final String PROTOBUF_MEDIA_TYPE = "application/vnd.google.protobuf";
}
