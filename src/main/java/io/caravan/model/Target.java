package io.caravan.model;

/**
 * Something to collect from, described only by its labels: {@code __address__} and the discovery's
 * {@code __meta_*} labels before relabeling; plus {@code __scheme__}, {@code __metrics_path__} and
 * {@code __param_*} after it. This is what discovery emits and what relabel rules rewrite.
 */
public record Target(Labels labels) {

    public static final String ADDRESS = "__address__";
    public static final String SCHEME = "__scheme__";
    public static final String METRICS_PATH = "__metrics_path__";
    public static final String PARAM_PREFIX = "__param_";
    public static final String SCRAPE_INTERVAL = "__scrape_interval__";
    public static final String SCRAPE_TIMEOUT = "__scrape_timeout__";

    public static Target of(String... namesAndValues) {
        return new Target(Labels.of(namesAndValues));
    }

    public String address() {
        return labels.get(ADDRESS);
    }

    /** The body as a target list, or null when it is not one (what a target-consuming endpoint accepts). */
    @SuppressWarnings("unchecked")
    public static java.util.List<Target> listOrNull(Object body) {
        if (!(body instanceof java.util.List<?> list) || (!list.isEmpty() && !(list.get(0) instanceof Target))) {
            return null;
        }
        return (java.util.List<Target>) list;
    }
}
