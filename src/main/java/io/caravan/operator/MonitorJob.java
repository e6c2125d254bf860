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
 * @param credentials    what the job reads from Secrets and ConfigMaps of the monitor's namespace (only where the agent
 *                       is allowed to), each into a file whose path goes in the scrape option it names
 */
record MonitorJob(String id, String jobName, String discoveryUri, List<Map<String, Object>> relabelRules,
                  List<Map<String, Object>> metricRelabelRules, Map<String, String> scrapeOptions, String problem,
                  Map<String, Object> staticTargets, List<Credential> credentials) {

    MonitorJob(String id, String jobName, String discoveryUri, List<Map<String, Object>> relabelRules,
               List<Map<String, Object>> metricRelabelRules, Map<String, String> scrapeOptions, String problem) {
        this(id, jobName, discoveryUri, relabelRules, metricRelabelRules, scrapeOptions, problem, null, List.of());
    }

    /** One key of a Secret or ConfigMap, to be written to a file for the scrape option {@code option}. */
    record Credential(String namespace, boolean secret, String name, String key, String option) {
        String describe() {
            return (secret ? "Secret " : "ConfigMap ") + namespace + "/" + name + " key " + key;
        }
    }

    MonitorJob withProblem(String newProblem) {
        return new MonitorJob(id, jobName, discoveryUri, relabelRules, metricRelabelRules, scrapeOptions, newProblem,
                staticTargets, credentials);
    }

    boolean runs() {
        return problem == null;
    }
}
