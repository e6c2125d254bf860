package io.caravan.operator;

import java.util.List;
import java.util.Map;

/**
 * One endpoint of one monitor as a scrape job: what the routes it becomes read (discovery URI, the relabel rules, the
 * metric relabel rules, the scrape options), or, when Caravan cannot scrape it as the monitor asks, why not.
 *
 * @param id             route and endpoint name: {@code servicemonitor-<namespace>-<name>-<index>}
 * @param jobName        the operator's job name: {@code serviceMonitor/<namespace>/<name>/<index>}
 * @param problem        null when the job runs; else what keeps it from running, in words
 * @param staticTargets  a Probe's static targets as one file_sd group ({@code targets}, {@code labels}), written where
 *                       the discovery URI's {@code file=} says; null for the other jobs
 */
record MonitorJob(String id, String jobName, String discoveryUri, List<Map<String, Object>> relabelRules,
                  List<Map<String, Object>> metricRelabelRules, Map<String, String> scrapeOptions, String problem,
                  Map<String, Object> staticTargets) {

    MonitorJob(String id, String jobName, String discoveryUri, List<Map<String, Object>> relabelRules,
               List<Map<String, Object>> metricRelabelRules, Map<String, String> scrapeOptions, String problem) {
        this(id, jobName, discoveryUri, relabelRules, metricRelabelRules, scrapeOptions, problem, null);
    }

    boolean runs() {
        return problem == null;
    }
}
