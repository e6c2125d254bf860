package io.caravan.scrape.parse;

import java.util.List;

/**
 * How a job asks for its bodies and reads them, as Prometheus' scrape_protocols, scrape_native_histograms and
 * always_scrape_classic_histograms: the protocols in order of preference (by default Prometheus' order, with the
 * protobuf format first when native histograms are scraped), whether a native histogram is kept as one (else its
 * classic buckets are read, as Prometheus does with native histograms off), whether a histogram exposed both
 * ways also gives its classic series, and how many buckets a native histogram may have.
 *
 * <p>{@code convertClassicHistogramsToNhcb} is Prometheus' convert_classic_histograms_to_nhcb: each classic histogram
 * also becomes one native histogram with custom buckets, its classic series then kept only with
 * {@code alwaysScrapeClassicHistograms}.
 */
public final class ExpositionOptions {

    public static final ExpositionOptions DEFAULT = new ExpositionOptions(null, false, false, 0);

    private final List<ScrapeProtocol> protocols;
    private final boolean nativeHistograms;
    private final boolean alwaysScrapeClassicHistograms;
    private final int nativeHistogramBucketLimit;
    private final boolean convertClassicHistogramsToNhcb;
    private final String acceptHeader;

    /**
     * @param protocols                  in order of preference; null or empty for Prometheus' default for the
     *                                   nativeHistograms setting
     * @param nativeHistogramBucketLimit a native histogram with more buckets is brought to a lower schema until it
     *                                   fits, else the scrape fails (Prometheus' native_histogram_bucket_limit); 0 = none
     */
    public ExpositionOptions(List<ScrapeProtocol> protocols, boolean nativeHistograms, boolean alwaysScrapeClassicHistograms,
                             int nativeHistogramBucketLimit) {
        this(protocols, nativeHistograms, alwaysScrapeClassicHistograms, nativeHistogramBucketLimit, false);
    }

    /** @param convertClassicHistogramsToNhcb each classic histogram also as a native histogram with custom buckets */
    public ExpositionOptions(List<ScrapeProtocol> protocols, boolean nativeHistograms, boolean alwaysScrapeClassicHistograms,
                             int nativeHistogramBucketLimit, boolean convertClassicHistogramsToNhcb) {
        this.convertClassicHistogramsToNhcb = convertClassicHistogramsToNhcb;
        if (nativeHistogramBucketLimit < 0) {
            throw new IllegalArgumentException("nativeHistogramBucketLimit must not be negative, got " + nativeHistogramBucketLimit);
        }
        this.nativeHistogramBucketLimit = nativeHistogramBucketLimit;
        this.protocols = protocols == null || protocols.isEmpty()
                ? (nativeHistograms ? ScrapeProtocol.PROTO_FIRST : ScrapeProtocol.DEFAULT)
                : List.copyOf(protocols);
        this.nativeHistograms = nativeHistograms;
        this.alwaysScrapeClassicHistograms = alwaysScrapeClassicHistograms;
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
        ExpositionParser text = ExpositionParser.forContentType(contentType);
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
