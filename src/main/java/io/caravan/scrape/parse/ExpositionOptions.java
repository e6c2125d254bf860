package io.caravan.scrape.parse;

import java.util.List;

/**
 * How a job asks for its bodies and reads them, as Prometheus' scrape_protocols, scrape_native_histograms and
 * always_scrape_classic_histograms: the protocols in order of preference (by default Prometheus' order, with the
 * protobuf format first when native histograms are scraped), whether a native histogram is kept as one (else its
 * classic buckets are read, as Prometheus does with native histograms off), whether a histogram exposed both
 * ways also gives its classic series, how many buckets a native histogram may have, and whether start timestamps
 * are read (Prometheus' created-timestamp parsing).
 */
public final class ExpositionOptions {

    public static final ExpositionOptions DEFAULT = new ExpositionOptions(null, false, false, 0, false);

    private final List<ScrapeProtocol> protocols;
    private final boolean nativeHistograms;
    private final boolean alwaysScrapeClassicHistograms;
    private final int nativeHistogramBucketLimit;
    private final boolean createdTimestamps;
    private final String acceptHeader;

    /**
     * @param protocols                  in order of preference; null or empty for Prometheus' default for the
     *                                   nativeHistograms setting
     * @param nativeHistogramBucketLimit a native histogram with more buckets is brought to a lower schema until it
     *                                   fits, else the scrape fails (Prometheus' native_histogram_bucket_limit); 0 = none
     * @param createdTimestamps          read when each series started: protobuf's created timestamps, OpenMetrics'
     *                                   {@code _created} lines (then not series of their own)
     */
    public ExpositionOptions(List<ScrapeProtocol> protocols, boolean nativeHistograms, boolean alwaysScrapeClassicHistograms,
                             int nativeHistogramBucketLimit, boolean createdTimestamps) {
        if (nativeHistogramBucketLimit < 0) {
            throw new IllegalArgumentException("nativeHistogramBucketLimit must not be negative, got " + nativeHistogramBucketLimit);
        }
        this.nativeHistogramBucketLimit = nativeHistogramBucketLimit;
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

    public boolean createdTimestamps() {
        return createdTimestamps;
    }

    /** What a scrape sends as Accept. */
    public String acceptHeader() {
        return acceptHeader;
    }

    /**
     * The parser for a response of this Content-Type: the protobuf format for {@code application/vnd.google.protobuf}
     * (its parameters not checked, as in Prometheus), else a text format (see {@link ExpositionParser#forContentType}).
     */
    public ExpositionParser parserFor(String contentType) {
        if (isProtobuf(contentType)) {
            return new PrometheusProtobufParser(!nativeHistograms, alwaysScrapeClassicHistograms);
        }
        if (ExpositionParser.isOpenMetrics(contentType)) {
            return new OpenMetricsParser(createdTimestamps);
        }
        return new PrometheusTextParser();
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
