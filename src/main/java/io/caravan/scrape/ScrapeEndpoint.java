package io.caravan.scrape;

import io.caravan.http.BearerTokenFile;
import io.caravan.http.HttpClients;
import io.caravan.model.Durations;
import io.caravan.model.Labels;
import io.caravan.model.NameValuePairs;
import io.caravan.relabel.RelabelRules;
import io.caravan.scrape.parse.ExpositionOptions;
import io.caravan.scrape.parse.ScrapeProtocol;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** The options of a scrape job, named after Prometheus' scrape_config fields. */
@UriEndpoint(scheme = "scrape", title = "Prometheus scrape", syntax = "scrape:job", category = Category.MONITORING)
public class ScrapeEndpoint extends DefaultEndpoint implements io.caravan.component.ReadsFiles {

    @UriPath(description = "Job name; also the default value of the job label")
    private final String job;
    @UriParam(description = "The job label, when it should differ from the endpoint name")
    private String jobName;
    @UriParam(defaultValue = "30s")
    private String interval = "30s";
    @UriParam(defaultValue = "10s")
    private String timeout = "10s";
    @UriParam(defaultValue = "http")
    private String scheme = "http";
    @UriParam(defaultValue = "/metrics")
    private String metricsPath = "/metrics";
    @UriParam(description = "URL parameters for every target, as name=value pairs joined by commas")
    private String params = "";
    @UriParam(defaultValue = "false")
    private boolean honorLabels;
    @UriParam(defaultValue = "true")
    private boolean honorTimestamps = true;
    @UriParam(defaultValue = "0", description = "Fail a scrape with more samples than this after relabeling; 0 = no limit")
    private int sampleLimit;
    @UriParam(defaultValue = "67108864", description = "Fail a scrape whose body is larger (bytes, uncompressed wire size); 0 = no limit")
    private long bodySizeLimit = 64L << 20;
    @UriParam(defaultValue = "2h", description = "Drop samples whose own timestamp is older than this (a receiver refuses them, "
            + "and one refused sample fails its whole request); 0 = no limit. The default is remote-write's maxWalAge")
    private String maxSampleAge = "2h";
    @UriParam(defaultValue = "true")
    private boolean enableCompression = true;
    @UriParam(description = "File holding a bearer token, re-read when it changes (projected tokens rotate)")
    private String bearerTokenFile;
    @UriParam(description = "PEM file of CAs to verify the targets against")
    private String caFile;
    @UriParam(defaultValue = "false", description = "Skip TLS verification; only when explicitly needed")
    private boolean insecureSkipVerify;
    @UriParam(description = "metric_relabel_configs: a YAML file of relabel rules (classpath: or file: or a path)")
    private String metricRelabel;
    @UriParam(description = "The exposition formats to ask for, in order of preference, by Prometheus' scrape_protocols names "
            + "(PrometheusProto, OpenMetricsText1.0.0, OpenMetricsText0.0.1, PrometheusText1.0.0, PrometheusText0.0.4), comma-separated; "
            + "default: Prometheus' order, PrometheusProto first when scrapeNativeHistograms is on")
    private String scrapeProtocols;
    @UriParam(defaultValue = "false", description = "Keep native histograms as such (Prometheus' scrape_native_histograms); off, "
            + "a histogram is read as its classic buckets")
    private boolean scrapeNativeHistograms;
    @UriParam(defaultValue = "false", description = "A histogram exposed both as native and classic also gives its classic series "
            + "(Prometheus' always_scrape_classic_histograms)")
    private boolean alwaysScrapeClassicHistograms;
    @UriParam(defaultValue = "false", description = "Each classic histogram also becomes one native histogram with custom buckets "
            + "(Prometheus' convert_classic_histograms_to_nhcb); its classic series are then kept only with alwaysScrapeClassicHistograms")
    private boolean convertClassicHistogramsToNhcb;
    @UriParam(defaultValue = "0", description = "A native histogram with more buckets is brought to a lower schema until it fits, "
            + "else the scrape fails (Prometheus' native_histogram_bucket_limit); 0 = no limit")
    private int nativeHistogramBucketLimit;
    @UriParam(defaultValue = "0", description = "A native histogram whose buckets grow by a smaller factor is brought to the "
            + "highest schema whose buckets grow by at least this (Prometheus' native_histogram_min_bucket_factor, e.g. 1.1); "
            + "at most 1 = as fine as exposed")
    private double nativeHistogramMinBucketFactor;
    @UriParam(defaultValue = "false", description = "Read when each series started (Prometheus' created-timestamp parsing): "
            + "protobuf's created timestamps and OpenMetrics' _created lines, which are then not series of their own; "
            + "remote_write 2.0 sends them, 1.0 has no field for them")
    private boolean createdTimestamps;
    @UriParam(description = "Name of an in-process exporter bean (a Supplier<byte[]> of text-format bodies, e.g. nodeExporter) "
            + "that every target of this job is read from instead of HTTP")
    private String localExporter;

    public ScrapeEndpoint(String uri, ScrapeComponent component, String job) {
        super(uri, component);
        this.job = job;
    }

    @Override
    public ScrapeComponent getComponent() {
        return (ScrapeComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() throws Exception {
        return new ScrapeProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        ScrapeConsumer consumer = new ScrapeConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Options are checked when the endpoint is created, so validate and start-up report them. */
    @Override
    protected void doInit() throws Exception {
        super.doInit();
        settings();
    }

    @Override
    public List<String> files() {
        return metricRelabel == null || metricRelabel.isBlank() ? List.of() : List.of(metricRelabel);
    }

    ScrapeJob scrapeJob() {
        return getComponent().job(job);
    }

    ScrapeSettings settings() throws Exception {
        return new ScrapeSettings(jobName == null || jobName.isBlank() ? job : jobName,
                Durations.parseMillis("scrape:" + job + " interval", interval),
                Durations.parseMillis("scrape:" + job + " timeout", timeout),
                scheme, metricsPath, honorLabels, honorTimestamps, sampleLimit, bodySizeLimit,
                Durations.parseMillis("scrape:" + job + " maxSampleAge", maxSampleAge), enableCompression,
                parseParams(), metricRelabelRules(), exposition());
    }

    private ExpositionOptions exposition() {
        List<ScrapeProtocol> protocols;
        try {
            protocols = scrapeProtocols == null || scrapeProtocols.isBlank() ? null : ScrapeProtocol.parseList(scrapeProtocols);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("scrape:" + job + " scrapeProtocols: " + e.getMessage(), e);
        }
        return new ExpositionOptions(protocols, scrapeNativeHistograms, alwaysScrapeClassicHistograms, nativeHistogramBucketLimit,
                nativeHistogramMinBucketFactor, createdTimestamps, convertClassicHistogramsToNhcb);
    }

    HttpClient httpClient() {
        return HttpClients.create(Duration.ofMillis(Durations.parseMillis("timeout", timeout)), caFile, insecureSkipVerify, null);
    }

    BearerTokenFile bearerToken() {
        return bearerTokenFile == null || bearerTokenFile.isBlank() ? null : new BearerTokenFile(Path.of(bearerTokenFile));
    }

    private Labels parseParams() {
        return NameValuePairs.any("scrape:" + job + " params", params);
    }

    private UnaryOperator<Labels> metricRelabelRules() throws Exception {
        if (metricRelabel == null || metricRelabel.isBlank()) {
            return null;
        }
        String text = getComponent().readResource("scrape:" + job + " metricRelabel", metricRelabel);
        RelabelRules rules = RelabelRules.parse(text, metricRelabel);
        return rules::apply;
    }

    public String getJob() {
        return job;
    }

    public String getJobName() {
        return jobName;
    }

    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public String getScheme() {
        return scheme;
    }

    public void setScheme(String scheme) {
        this.scheme = scheme;
    }

    public String getMetricsPath() {
        return metricsPath;
    }

    public void setMetricsPath(String metricsPath) {
        this.metricsPath = metricsPath;
    }

    public String getParams() {
        return params;
    }

    public void setParams(String params) {
        this.params = params == null ? "" : params;
    }

    public boolean isHonorLabels() {
        return honorLabels;
    }

    public void setHonorLabels(boolean honorLabels) {
        this.honorLabels = honorLabels;
    }

    public boolean isHonorTimestamps() {
        return honorTimestamps;
    }

    public void setHonorTimestamps(boolean honorTimestamps) {
        this.honorTimestamps = honorTimestamps;
    }

    public int getSampleLimit() {
        return sampleLimit;
    }

    public void setSampleLimit(int sampleLimit) {
        this.sampleLimit = sampleLimit;
    }

    public long getBodySizeLimit() {
        return bodySizeLimit;
    }

    public void setBodySizeLimit(long bodySizeLimit) {
        this.bodySizeLimit = bodySizeLimit;
    }

    public String getMaxSampleAge() {
        return maxSampleAge;
    }

    public void setMaxSampleAge(String maxSampleAge) {
        this.maxSampleAge = maxSampleAge;
    }

    public boolean isEnableCompression() {
        return enableCompression;
    }

    public void setEnableCompression(boolean enableCompression) {
        this.enableCompression = enableCompression;
    }

    public String getBearerTokenFile() {
        return bearerTokenFile;
    }

    public void setBearerTokenFile(String bearerTokenFile) {
        this.bearerTokenFile = bearerTokenFile;
    }

    public String getCaFile() {
        return caFile;
    }

    public void setCaFile(String caFile) {
        this.caFile = caFile;
    }

    public boolean isInsecureSkipVerify() {
        return insecureSkipVerify;
    }

    public void setInsecureSkipVerify(boolean insecureSkipVerify) {
        this.insecureSkipVerify = insecureSkipVerify;
    }

    /** The in-process exporter named by localExporter, or null for HTTP targets. */
    @SuppressWarnings("unchecked")
    Supplier<byte[]> localSource() {
        if (localExporter == null || localExporter.isBlank()) {
            return null;
        }
        Object bean = getCamelContext().getRegistry().lookupByName(localExporter);
        if (!(bean instanceof Supplier<?> supplier)) {
            throw new IllegalArgumentException("scrape:" + job + " localExporter=" + localExporter
                    + ": no such in-process exporter bean (the built-in node exporter is 'nodeExporter')");
        }
        return (Supplier<byte[]>) supplier;
    }

    public String getLocalExporter() {
        return localExporter;
    }

    public void setLocalExporter(String localExporter) {
        this.localExporter = localExporter;
    }

    public String getMetricRelabel() {
        return metricRelabel;
    }

    public void setMetricRelabel(String metricRelabel) {
        this.metricRelabel = metricRelabel;
    }

    public String getScrapeProtocols() {
        return scrapeProtocols;
    }

    public void setScrapeProtocols(String scrapeProtocols) {
        this.scrapeProtocols = scrapeProtocols;
    }

    public boolean isScrapeNativeHistograms() {
        return scrapeNativeHistograms;
    }

    public void setScrapeNativeHistograms(boolean scrapeNativeHistograms) {
        this.scrapeNativeHistograms = scrapeNativeHistograms;
    }

    public boolean isAlwaysScrapeClassicHistograms() {
        return alwaysScrapeClassicHistograms;
    }

    public void setAlwaysScrapeClassicHistograms(boolean alwaysScrapeClassicHistograms) {
        this.alwaysScrapeClassicHistograms = alwaysScrapeClassicHistograms;
    }

    public boolean isConvertClassicHistogramsToNhcb() {
        return convertClassicHistogramsToNhcb;
    }

    public void setConvertClassicHistogramsToNhcb(boolean convertClassicHistogramsToNhcb) {
        this.convertClassicHistogramsToNhcb = convertClassicHistogramsToNhcb;
    }

    public int getNativeHistogramBucketLimit() {
        return nativeHistogramBucketLimit;
    }

    public void setNativeHistogramBucketLimit(int nativeHistogramBucketLimit) {
        this.nativeHistogramBucketLimit = nativeHistogramBucketLimit;
    }

    public double getNativeHistogramMinBucketFactor() {
        return nativeHistogramMinBucketFactor;
    }

    public void setNativeHistogramMinBucketFactor(double nativeHistogramMinBucketFactor) {
        this.nativeHistogramMinBucketFactor = nativeHistogramMinBucketFactor;
    }

    public boolean isCreatedTimestamps() {
        return createdTimestamps;
    }

    public void setCreatedTimestamps(boolean createdTimestamps) {
        this.createdTimestamps = createdTimestamps;
    }
}
